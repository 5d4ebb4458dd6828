/**
 * Martin et al. (2016), "How regions react to recessions": resilience measured over the phases of the national
 * cycle rather than year by year. Each phase is a run of years in which national growth falls (contraction) or rises
 * (recovery) against the year before; China's GDP growth stays positive, so a contraction here is a slowdown, as in
 * the Chinese literature that adapts the measure. Over a phase, with cumulative growth G = Π(1 + g/100) − 1,
 *
 *   resistance (contraction phases) and recoverability (recovery phases) = (G_city − G_nation) / |G_nation|,
 *
 * positive when the city fared better than the nation over the phase.
 */
import { aq } from '../data/aq';
import type { Table } from '../data/table';
import { NqpError } from '../errors';

export interface MartinPhase {
  kind: 'contraction' | 'recovery';
  first: number;
  last: number;
  /** "2011–2016" or "2017". */
  label: string;
  /** National cumulative growth over the phase, %. */
  nationalGrowth: number;
}

export interface MartinPhasesResult {
  phases: MartinPhase[];
  /** One row per city and phase: unit, phase, kind, martin (the index), and the phase means of `means`. */
  data: Table;
  /** City-phases left out because a year of city growth is missing. */
  incomplete: number;
}

export function martinPhases(
  data: Table,
  options: {
    city?: string;
    nation?: string;
    unit?: string;
    time?: string;
    /** Columns averaged over each phase's years (e.g. the regressors). */
    means?: string[];
    /** Columns fixed within a city (e.g. province, a cluster variable) copied to its phase rows. */
    carry?: string[];
  } = {},
): MartinPhasesResult {
  const cityCol = options.city ?? 'gdp_growth',
    nationCol = options.nation ?? 'nat_gdp_growth',
    unitCol = options.unit ?? 'city_code',
    timeCol = options.time ?? 'year',
    means = options.means ?? [],
    carry = (options.carry ?? []).filter((c) => c !== unitCol);
  for (const c of [cityCol, nationCol, unitCol, timeCol, ...means, ...carry])
    if (!data.columnNames().includes(c))
      throw new NqpError('MISSING_COLUMN', `column "${c}"`, `Martin's phases need column "${c}". Add it to the panel.`);
  const year = data.array(timeCol) as ArrayLike<number>;
  const gn = data.array(nationCol) as ArrayLike<number>;
  // The national series, one value per year.
  const national = new Map<number, number>();
  for (let i = 0; i < year.length; i++) {
    if (Number.isNaN(gn[i])) continue;
    const prev = national.get(year[i]);
    if (prev !== undefined && prev !== gn[i])
      throw new NqpError(
        'INCONSISTENT_SERIES',
        `column "${nationCol}", year ${year[i]}`,
        `National growth "${nationCol}" has two values in ${year[i]} (${prev}, ${gn[i]}); it must have one per year.`,
      );
    national.set(year[i], gn[i]);
  }
  const years = [...national.keys()].sort((a, b) => a - b);
  for (let k = 1; k < years.length; k++)
    if (years[k] !== years[k - 1] + 1)
      throw new NqpError(
        'INCONSISTENT_SERIES',
        `column "${timeCol}"`,
        `Martin's phases need consecutive years of national growth; ${years[k - 1]} is followed by ${years[k]}.`,
      );
  if (years.length < 3)
    throw new NqpError('TOO_FEW_OBSERVATIONS', `column "${timeCol}"`, 'Martin phases need at least three years.');
  const phases: MartinPhase[] = [];
  for (let k = 1; k < years.length; k++) {
    const kind =
      (national.get(years[k]) as number) < (national.get(years[k - 1]) as number) ? 'contraction' : 'recovery';
    const cur = phases[phases.length - 1];
    if (cur && cur.kind === kind && cur.last === years[k] - 1) cur.last = years[k];
    else phases.push({ kind, first: years[k], last: years[k], label: '', nationalGrowth: 0 });
  }
  const cumulative = (gs: number[]) => 100 * (gs.reduce((p, g) => p * (1 + g / 100), 1) - 1);
  for (const p of phases) {
    p.label = p.first === p.last ? String(p.first) : `${p.first}–${p.last}`;
    const gs: number[] = [];
    for (let y = p.first; y <= p.last; y++) gs.push(national.get(y) as number);
    p.nationalGrowth = cumulative(gs);
  }
  // City growth by (unit, year).
  const unit = data.array(unitCol);
  const g = data.array(cityCol) as ArrayLike<number>;
  const cols = means.map((m) => data.array(m) as ArrayLike<number>);
  const byUnit = new Map<unknown, Map<number, number>>();
  for (let i = 0; i < g.length; i++) {
    let m = byUnit.get(unit[i]);
    if (!m) {
      m = new Map();
      byUnit.set(unit[i], m);
    }
    m.set(year[i], i);
  }
  const carried = Object.fromEntries(carry.map((c) => [c, data.array(c)]));
  for (const c of carry) {
    const seen = new Map<unknown, unknown>();
    for (let i = 0; i < unit.length; i++) {
      if (seen.has(unit[i]) && seen.get(unit[i]) !== carried[c][i])
        throw new NqpError(
          'INCONSISTENT_SERIES',
          `column "${c}"`,
          `"${c}" changes within ${unitCol} ${unit[i]}, so it cannot be carried to the phases: use means for it.`,
        );
      seen.set(unit[i], carried[c][i]);
    }
  }
  const rows: Record<string, unknown>[] = [];
  let incomplete = 0;
  for (const [u, rowOf] of byUnit) {
    for (const p of phases) {
      const idx: number[] = [];
      for (let y = p.first; y <= p.last; y++) {
        const r = rowOf.get(y);
        if (r !== undefined && !Number.isNaN(g[r])) idx.push(r);
      }
      if (idx.length !== p.last - p.first + 1) {
        incomplete++;
        continue;
      }
      const G = cumulative(idx.map((r) => g[r]));
      const row: Record<string, unknown> = {
        [unitCol]: u,
        phase: p.label,
        kind: p.kind,
        martin: p.nationalGrowth === 0 ? NaN : (G - p.nationalGrowth) / Math.abs(p.nationalGrowth),
      };
      const first = rowOf.values().next().value as number;
      for (const c of carry) row[c] = carried[c][first];
      means.forEach((m, j) => {
        const vals = idx.map((r) => cols[j][r]).filter((v) => !Number.isNaN(v));
        row[m] = vals.length ? vals.reduce((s, v) => s + v, 0) / vals.length : NaN;
      });
      rows.push(row);
    }
  }
  return { phases, data: aq.from(rows) as Table, incomplete };
}
