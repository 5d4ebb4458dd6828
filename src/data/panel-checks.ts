/**
 * The checks between a file as read (a Frame) and the study's panel: column names mapped to the codebook
 * (case-only differences and the codebook's Chinese names), a city-name column mapped to city codes, every
 * missing column listed at once, keys whole and unique, and units against each variable's plausible range.
 * Every mapping is reported; nothing is renamed silently.
 */
import { NqpError, closest, escapeControls } from '../errors';
import { readCell } from './cells';
import { isText, textAt, type Frame, type FrameColumn } from './frame';
import type { City, CodebookEntry } from './reference';
import { selectKth } from '../math/stats';

export interface Renamed {
  from: string;
  to: string;
  why: 'case' | 'Chinese name';
}

/** Rename columns to the codebook's names where only case differs or the codebook's name_zh is used. */
export function mapNames(frame: Frame, codebook: CodebookEntry[]): Renamed[] {
  const known = new Set(codebook.map((e) => e.name));
  const byLower = new Map(codebook.map((e) => [e.name.toLowerCase(), e.name]));
  const byZh = new Map(codebook.filter((e) => e.name_zh).map((e) => [e.name_zh, e.name]));
  const present = new Set(frame.names);
  const renamed: Renamed[] = [];
  frame.names = frame.names.map((nm) => {
    if (known.has(nm)) return nm;
    const to = byZh.get(nm) ?? byLower.get(nm.toLowerCase());
    if (!to || present.has(to) || renamed.some((r) => r.to === to)) return nm;
    renamed.push({ from: nm, to, why: byZh.has(nm) ? 'Chinese name' : 'case' });
    const col = frame.columns.get(nm) as FrameColumn;
    frame.columns.delete(nm);
    frame.columns.set(to, col);
    const facts = frame.facts.get(nm);
    frame.facts.delete(nm);
    if (facts) frame.facts.set(to, facts);
    return to;
  });
  return renamed;
}

const CITY_NAME_COLUMNS = ['city', 'city_name', 'name_zh', 'name_en', '城市', '城市名称', '地区'];

/**
 * Without a city_code column, a column of city names (Chinese or English, as in cities.csv) gives the codes.
 * Returns the column used, or undefined when there is none. An unknown name is an error listing it.
 */
export function cityCodesFromNames(frame: Frame, cities: City[]): string | undefined {
  if (frame.columns.has('city_code')) return undefined;
  const col = CITY_NAME_COLUMNS.find((c) => frame.columns.has(c));
  if (!col) return undefined;
  const names = frame.columns.get(col) as FrameColumn;
  if (!isText(names)) return undefined;
  const byName = new Map<string, number>();
  for (const c of cities) {
    byName.set(c.name_zh, c.city_code);
    byName.set(c.name_en.toLowerCase(), c.city_code);
    // 北京市 / 北京: yearbooks often add the administrative suffix.
    byName.set(`${c.name_zh}市`, c.city_code);
  }
  const codeOf = names.labels.map((l) => byName.get(l) ?? byName.get(l.toLowerCase()));
  const unknown = names.labels.filter((_, k) => codeOf[k] === undefined);
  if (unknown.length) {
    const r = names.codes.findIndex((k) => k >= 0 && codeOf[k] === undefined);
    throw new NqpError(
      'UNKNOWN_CITY',
      `${frame.source}, ${frame.rowWord} ${frame.lines[r]}, column "${col}"`,
      `City name${unknown.length > 1 ? 's' : ''} ${unknown
        .slice(0, 5)
        .map((u) => `"${u}"`)
        .join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''} in column "${col}" not in the ` +
        `city list (first at ${frame.rowWord} ${frame.lines[r]}). Use the names of data/cities.csv, or add a ` +
        'city_code column.',
    );
  }
  const codes = new Float64Array(frame.n);
  for (let r = 0; r < frame.n; r++) {
    const k = names.codes[r];
    codes[r] = k < 0 ? NaN : (codeOf[k] as number);
  }
  frame.columns.set('city_code', codes);
  frame.names = ['city_code', ...frame.names];
  frame.facts.set('city_code', { missing: 0, thousands: 0, thousandsAmbiguous: 0, keptAsText: false });
  return col;
}

/** Every required column that is absent, at once, each with its closest match. */
export function requireColumns(frame: Frame, required: string[], codebook: CodebookEntry[]): void {
  const absent = required.filter((r) => !frame.columns.has(r));
  if (!absent.length) return;
  const lines = absent.map((a) => {
    const near = closest(a, frame.names);
    const label = codebook.find((e) => e.name === a)?.label;
    return `"${a}"${label ? ` (${label})` : ''}${near ? ` — closest: "${near}"` : ''}`;
  });
  // A workbook: the sheet read, and the others (the panel may be on another one).
  const others = (frame.sheets ?? []).filter((x) => x !== frame.sheet);
  const src = frame.sheet === undefined ? frame.source : `${frame.source}, sheet "${frame.sheet}"`;
  const sheetHint =
    frame.sheet === undefined
      ? ''
      : others.length
        ? ` The workbook's other sheets: ${others.map((x) => `"${x}"`).join(', ')}; choose one with { sheet } ` +
          '(--sheet).'
        : " It is the workbook's only sheet.";
  throw new NqpError(
    'MISSING_COLUMN',
    `${frame.sheet === undefined ? '' : `sheet "${frame.sheet}", `}${absent.map((a) => `column "${a}"`).join(', ')}`,
    `${src} lacks ${absent.length} column${absent.length > 1 ? 's' : ''}: ${lines.join('; ')}. Rename the ` +
      `columns, or list the columns you have in { required: [...] }.${sheetHint}`,
  );
}

/** A column the codebook wants as numbers: an error at its first text cell, by file line. */
export function requireNumeric(
  frame: Frame,
  name: string,
  what: string,
  context: (r: number) => string = () => '',
): Float64Array {
  const c = frame.columns.get(name) as FrameColumn;
  if (!isText(c)) return c;
  const textual = c.labels.map((l) => readCell(l).kind === 'text');
  let r = c.codes.findIndex((k) => k >= 0 && textual[k]);
  if (r < 0) r = c.codes.findIndex((k) => k >= 0);
  const ctx = context(r);
  throw new NqpError(
    'NON_NUMERIC',
    `${frame.rowWord} ${frame.lines[r]}, column "${name}"${ctx ? ` (${ctx})` : ''}`,
    `Non-numeric value "${String(textAt(c, r)).slice(0, 40)}" in column "${name}" (${what}) at ${frame.rowWord} ` +
      `${frame.lines[r]}${ctx ? ` (${ctx})` : ''} of ${frame.source}. Fix the cell, or leave it empty for a missing ` +
      'value.',
  );
}

/**
 * Units: a column whose median (of absolute values) lies outside the codebook's plausible range, and would lie
 * inside after a factor of 10², 10⁴ or 10⁸ (a share given as a fraction, yuan for 10k yuan, 万元 for 亿元), gets
 * a warning naming the factor; outside by any other amount, a warning naming the range. The same check runs on
 * each year's values: a unit that changed part-way (GDP in 万元 for 2018–2021 only) is named with its years.
 */
export function unitWarnings(frame: Frame, codebook: CodebookEntry[]): string[] {
  const out: string[] = [];
  const yc = frame.columns.get('year');
  const years = yc && !isText(yc) ? yearGroups(yc) : undefined;
  for (const e of codebook) {
    const c = frame.columns.get(e.name);
    if (!c || isText(c) || e.plausible === undefined) continue;
    const byYear = years ? yearBlocks(c, years, e.plausible) : undefined;
    const whole = unitOff(byYear?.whole ?? medianAbs(c), e.plausible);
    const blocks = byYear?.blocks ?? [];
    const offYears = blocks.filter((b) => b.off !== 'in');
    const steps = stepRuns(blocks);
    for (const run of steps) out.push(unitMessage(e, run.off, run.m, yearSpan(run.years), true));
    if (!steps.length && offYears.length && offYears.length < blocks.length) {
      for (const run of runs(offYears)) out.push(unitMessage(e, run.off, run.m, yearSpan(run.years)));
    } else if (whole.off !== 'in' && (!steps.length || offYears.length === blocks.length)) {
      out.push(unitMessage(e, whole, whole.m));
    }
  }
  return out;
}

type Off = { off: 'in' } | { off: 'out'; m: number; f?: number; dir: 'large' | 'small' };

/** The median of |c| over the cells that are not missing; NaN when all are. */
function medianAbs(c: Float64Array): number {
  const abs = new Float64Array(c.length);
  let n = 0;
  for (let r = 0; r < c.length; r++) if (!Number.isNaN(c[r])) abs[n++] = Math.abs(c[r]);
  // The middle value by selection (a sort would order every value); absolute values hold no −0.
  return n ? selectKth(abs.subarray(0, n), Math.floor(n / 2)) : NaN;
}

function unitOff(m: number, [lo, hi]: [number, number]): Off & { m: number } {
  if (Number.isNaN(m) || (m >= lo && m <= hi)) return { off: 'in', m };
  // Of the factors that bring the median inside the range, the one that lands nearest its (geometric) middle.
  const mid = Math.sqrt(Math.max(lo, 1e-12) * hi);
  const fits = [1e2, 1e4, 1e8].filter((k) => {
    const v = m > hi ? m / k : m * k;
    return v >= lo && v <= hi;
  });
  const dist = (k: number) => Math.abs(Math.log((m > hi ? m / k : m * k) / mid));
  return { off: 'out', m, f: fits.sort((a, b) => dist(a) - dist(b))[0], dir: m > hi ? 'large' : 'small' };
}

/** The rows of each (whole) year, grouped once for every column: years in order, each row's year, group starts. */
function yearGroups(years: Float64Array) {
  const list = [...new Set(Array.from(years).filter((y) => Number.isInteger(y)))].sort((a, b) => a - b);
  const at = new Map(list.map((y, g) => [y, g]));
  const of = Int32Array.from(years, (y) => at.get(y) ?? -1);
  const start = new Int32Array(list.length + 1);
  for (const g of of) if (g >= 0) start[g + 1]++;
  for (let g = 0; g < list.length; g++) start[g + 1] += start[g];
  // Every row in a year: the year blocks hold all of a column's values, and its median comes from them too.
  return { list, of, start, everyRow: start[list.length] === years.length };
}

/** |c| of the non-missing cells, year by year into `buf` (each year's block from its start; `end` advances). */
function absByYear(c: Float64Array, of: Int32Array, buf: Float64Array, end: Int32Array): void {
  for (let r = 0; r < c.length; r++) {
    const g = of[r];
    if (g >= 0 && !Number.isNaN(c[r])) buf[end[g]++] = Math.abs(c[r]);
  }
}

/**
 * Each year's verdict, in year order (years where the column has no value are left out), and the median of |c| over
 * the whole column when every row has a year (what medianAbs gives, from the same values).
 */
function yearBlocks(c: Float64Array, years: ReturnType<typeof yearGroups>, range: [number, number]) {
  const { list, of, start } = years;
  const buf = new Float64Array(c.length);
  const end = start.slice(0, list.length);
  absByYear(c, of, buf, end);
  const out: { year: number; m: number; off: Off['off']; verdict: Off & { m: number } }[] = [];
  list.forEach((year, g) => {
    const n = end[g] - start[g];
    if (!n) return;
    const m = selectKth(buf.subarray(start[g], end[g]), Math.floor(n / 2));
    const verdict = unitOff(m, range);
    out.push({ year, m, off: verdict.off, verdict });
  });
  if (!years.everyRow) return { blocks: out, whole: undefined };
  // The blocks end to end (selection has only reordered values within each), then the middle one.
  let total = 0;
  for (let g = 0; g < list.length; g++) {
    buf.copyWithin(total, start[g], end[g]);
    total += end[g] - start[g];
  }
  return { blocks: out, whole: total ? selectKth(buf.subarray(0, total), Math.floor(total / 2)) : NaN };
}

/** Consecutive off years with the same factor and direction, each with the median of its years' medians. */
function runs(blocks: ReturnType<typeof yearBlocks>['blocks']) {
  const out: { years: number[]; off: Off; m: number }[] = [];
  const key = (o: Off) => (o.off === 'in' ? 'in' : `${o.f}${o.dir}`);
  for (const b of blocks) {
    const last = out[out.length - 1];
    if (last && key(last.off) === key(b.verdict) && b.year === last.years[last.years.length - 1] + 1) {
      last.years.push(b.year);
    } else out.push({ years: [b.year], off: b.verdict, m: b.m });
  }
  return out;
}

/**
 * Steps: the median moves by about 10², 10⁴ or 10⁸ from one year to the next (within a factor of 2; a median over
 * cities changes far less from year to year). The years at a level other than the usual one (the level with the
 * most years in the plausible range, then the most years) are returned with the factor, even when they are in range.
 */
function stepRuns(blocks: ReturnType<typeof yearBlocks>['blocks']) {
  const level = blocks.map(() => 0);
  for (let i = 1; i < blocks.length; i++) {
    const d = Math.log10(blocks[i].m / blocks[i - 1].m);
    const k = [2, 4, 8].find((p) => Math.abs(Math.abs(d) - p) < Math.log10(2));
    level[i] = level[i - 1] + (k && Number.isFinite(d) ? Math.sign(d) * k : 0);
  }
  const score = new Map<number, [number, number]>();
  level.forEach((l, i) => {
    const sc = score.get(l) ?? [0, 0];
    score.set(l, [sc[0] + (blocks[i].off === 'in' ? 1 : 0), sc[1] + 1]);
  });
  const usual = [...score].sort((x, y) => y[1][0] - x[1][0] || y[1][1] - x[1][1])[0]?.[0] ?? 0;
  const out: { years: number[]; m: number; off: Off }[] = [];
  for (let i = 0; i < blocks.length; ) {
    let j = i;
    while (j + 1 < blocks.length && level[j + 1] === level[i] && blocks[j + 1].year === blocks[j].year + 1) j++;
    const p = level[i] - usual;
    if (p !== 0) {
      const ms = blocks.slice(i, j + 1).map((x) => x.m);
      const m = ms.sort((x, y) => x - y)[Math.floor(ms.length / 2)];
      out.push({
        years: blocks.slice(i, j + 1).map((x) => x.year),
        m,
        off: { off: 'out', m, f: 10 ** Math.abs(p), dir: p > 0 ? 'large' : 'small' },
      });
    }
    i = j + 1;
  }
  return out;
}

function yearSpan(ys: number[]): string {
  return ys.length === 1 ? `year ${ys[0]}` : `years ${ys[0]}–${ys[ys.length - 1]}`;
}

const POWER: Record<number, string> = { 100: '10²', 10000: '10⁴', 100000000: '10⁸' };

function unitMessage(e: CodebookEntry, o: Off, m: number, years?: string, step = false): string {
  if (o.off === 'in') return '';
  const [lo, hi] = e.plausible as [number, number];
  const what = years ? `in ${years} has median ${fmt(m)}` : `has median ${fmt(m)}`;
  const rest = years
    ? ` ${step ? 'The median steps there from the other years' : 'The other years are within range'}: the unit ` +
      'changed part-way through the column.'
    : '';
  const power = POWER[o.f ?? 0] ?? `10^${Math.round(Math.log10(o.f ?? 1))}`;
  const against = step ? 'against the other years' : 'for its unit';
  return o.f
    ? `Column "${e.name}" (${e.unit}) ${what}, about ${fmt(o.f)}× too ${o.dir} (${power}) ${against} ` +
        `(plausible ${fmt(lo)}–${fmt(hi)}): ${hint(e.unit, o.f, o.dir)}${rest}`
    : `Column "${e.name}" (${e.unit}) ${what}, outside its plausible range ${fmt(lo)}–${fmt(hi)}.${rest}`;
}

function hint(unit: string, f: number, dir: 'large' | 'small'): string {
  if (unit === '%' && f === 1e2 && dir === 'small') return 'a share given as a fraction? Multiply by 100.';
  if (f === 1e4)
    return `entered in ${dir === 'large' ? 'a unit 10⁴ smaller (元 for 万元, 万元 for 亿元)' : 'a unit 10⁴ larger'}?`;
  return `check the unit (${unit}).`;
}

function fmt(x: number): string {
  return x >= 1e5 || (x > 0 && x < 1e-3) ? x.toExponential(1) : String(Number(x.toPrecision(3)));
}

/**
 * Warnings from how cells were read, for every entry point (loadPanel's report; `nqp fit` should add them to its
 * JSON "warnings"): per column, cells like "7,820" read with a thousands separator that a decimal-comma file means
 * as 7.82. The counts themselves are frame.facts.get(column).thousands / .thousandsAmbiguous.
 */
export function thousandsWarnings(frame: Frame, columns: Iterable<string> = frame.names): string[] {
  const out: string[] = [];
  for (const name of columns) {
    const f = frame.facts.get(name);
    if (!f?.thousandsAmbiguous) continue;
    out.push(
      `Column "${escapeControls(name)}": ${f.thousandsAmbiguous} cell${f.thousandsAmbiguous > 1 ? 's' : ''} like ` +
        `"${f.thousandsExample}" read with a thousands separator (as ${Number(f.thousandsExample?.replace(/,/g, ''))}` +
        `). If the file writes decimal commas, they are 1000× too large: save it with decimal points.`,
    );
  }
  return out;
}
