/**
 * The design of a model's terms as columns: a factor (column, lag/lead, log, power, product) is one column; an
 * interaction multiplies its factors; i(group[, x], ref) gives one column per level but the reference, in sorted
 * level order (numeric when every level is a number), named as fixest names them ("g::level", "g::level:x").
 */
import { NqpError } from '../../errors';
import { catKey, codesForAllRows, numericColumn, type ColumnSource } from './columns';
import type { Factor, Term } from './formula';
import type { PanelKeys } from './types';

export interface TermColumn {
  name: string;
  x: Float64Array;
}

export function termColumns(data: ColumnSource, t: Term, panel: PanelKeys | null, where: string): TermColumn[] {
  if (t.kind === 'i') return iColumns(data, t, panel, where);
  if (t.kind === 'interact') {
    const parts = t.parts.map((p) => factorValues(data, p, panel, where));
    const out = Float64Array.from(parts[0]);
    for (const p of parts.slice(1)) for (let i = 0; i < out.length; i++) out[i] *= p[i];
    return [{ name: t.label, x: out }];
  }
  return [{ name: t.label, x: factorValues(data, t, panel, where) }];
}

function iColumns(
  data: ColumnSource,
  t: Extract<Term, { kind: 'i' }>,
  panel: PanelKeys | null,
  where: string,
): TermColumn[] {
  const g = data.array(t.group);
  const n = g.length;
  const keys = Array.from({ length: n }, (_, i) => catKey(g[i]));
  const levels = [...new Set(keys.filter((k): k is string => k !== null))];
  const numeric = levels.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  levels.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let kept = levels;
  if (t.ref !== undefined) {
    const ref = t.ref;
    const hit = levels.find((l) => l === ref || (numeric && Number(l) === Number(ref)));
    if (hit === undefined) {
      throw new NqpError(
        'UNKNOWN_VARIABLE',
        `${where}, ref = ${ref}`,
        `${t.label}: "${ref}" is not a level of ${t.group} (levels ${levels.slice(0, 8).join(', ')}` +
          `${levels.length > 8 ? ', …' : ''}).`,
      );
    }
    kept = levels.filter((l) => l !== hit);
  }
  const x = t.x ? factorValues(data, t.x, panel, where) : undefined;
  const index = new Map(kept.map((l, j) => [l, j]));
  const cols = kept.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (k === null) {
      for (const c of cols) c[i] = NaN;
      continue;
    }
    const v = x ? x[i] : 1;
    if (Number.isNaN(v)) for (const c of cols) c[i] = NaN;
    const j = index.get(k);
    if (j !== undefined) cols[j][i] = v;
  }
  return kept.map((l, j) => ({ name: `${t.group}::${l}${t.x ? `:${t.x.label}` : ''}`, x: cols[j] }));
}

/** Values of one factor for every row of the table. */
export function factorValues(data: ColumnSource, t: Factor, panel: PanelKeys | null, where: string): Float64Array {
  if (t.kind === 'product') {
    const a = numericColumn(data, t.names[0], where);
    const b = numericColumn(data, t.names[1], where);
    return Float64Array.from(a, (v, i) => v * b[i]);
  }
  const x = numericColumn(data, t.name, where);
  if (t.kind === 'var') return x;
  if (t.kind === 'pow') return Float64Array.from(x, (v) => v ** t.power);
  if (t.kind === 'log') {
    const scale = t.base === undefined ? 1 : Math.log(t.base);
    const out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      if (Number.isNaN(x[i])) {
        out[i] = NaN;
        continue;
      }
      // log(0) is −Infinity: the design drops the row and counts it under this term (fixest's rule); a negative
      // value is a data error, refused with its row.
      if (x[i] === 0) {
        out[i] = -Infinity;
        continue;
      }
      if (!(x[i] > 0))
        throw new NqpError(
          'NON_POSITIVE_LOG',
          `${where}, row ${i + 1}`,
          `${t.label} needs non-negative values, but row ${i + 1} has ${x[i]}. Fix or drop those rows, or use ` +
            `log(1 + x) as a new column.`,
        );
      out[i] = Math.log(x[i]) / scale;
    }
    return out;
  }
  if (!panel) {
    throw new NqpError(
      'MISSING_KEYS',
      where,
      `${t.label} needs panel keys (unit and time) to find the previous period. ` +
        'Pass { panel: { id, time } } (on the command line: --panel ID,TIME).',
    );
  }
  for (const v of [panel.id, panel.time]) {
    if (!data.columnNames().includes(v))
      throw new NqpError(
        'UNKNOWN_VARIABLE',
        `${where}`,
        `${t.label} needs the panel columns "${panel.id}" and "${panel.time}", but "${v}" is not in the data. Pass ` +
          `{ panel: { id, time } }.`,
      );
  }
  // Unit codes by the key spelling rule (110000 and "110000.0" are one city); −1 where the unit is missing.
  const ids = codesForAllRows(data, [panel.id]);
  const rawIds = data.array(panel.id);
  const times = numericColumn(data, panel.time, 'panel time');
  // A row whose unit or time is missing neither has nor gives a lag (fixest): it is not indexed, and its own
  // lag is missing.
  const index = new Map<string, number>();
  for (let i = 0; i < x.length; i++) {
    if (ids.codes[i] < 0 || Number.isNaN(times[i])) continue;
    const key = `${ids.codes[i]}|${times[i]}`;
    const prev = index.get(key);
    if (prev !== undefined) {
      const id = String(rawIds[i]);
      throw new NqpError(
        'DUPLICATE_KEY',
        `${panel.id} ${id}, ${panel.time} ${times[i]}`,
        `${t.label} needs one row per (${panel.id}, ${panel.time}), but ${panel.id} ${id} has two rows for ` +
          `${panel.time} ${times[i]} (rows ${prev + 1} and ${i + 1}). Keep one row per unit and period.`,
      );
    }
    index.set(key, i);
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if (ids.codes[i] < 0 || Number.isNaN(times[i])) {
      out[i] = NaN;
      continue;
    }
    // A gap year gives a missing lag, never the wrong year's value.
    const j = index.get(`${ids.codes[i]}|${times[i] - t.k}`);
    out[i] = j === undefined ? NaN : x[j];
  }
  return out;
}
