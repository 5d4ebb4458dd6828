/**
 * The codebook's constructed variables, computed from raw yearbook columns. Missing inputs give a missing
 * result (counted by the loading report); a log of a non-positive value is refused with the city-year named.
 */
import { NqpError } from '../errors';
import type { Table } from './table';
import { tableColumn } from './table-column';

export interface Derived {
  name: string;
  inputs: string[];
  /** Formula as the codebook prints it. */
  formula: string;
  compute: (v: number[]) => number;
  /** Inputs that enter a logarithm (must be > 0). */
  logged?: number[];
}

export const DERIVED: Derived[] = [
  {
    name: 'lnpgdp',
    inputs: ['gdp', 'pop'],
    formula: 'ln(gdp × 1e8 / (pop × 1e4))',
    compute: ([g, p]) => Math.log((g * 1e8) / (p * 1e4)),
    logged: [0, 1],
  },
  { name: 'open', inputs: ['fdi', 'gdp'], formula: '100 × fdi / gdp', compute: ([f, g]) => (100 * f) / g },
  { name: 'fin', inputs: ['loans', 'gdp'], formula: 'loans / gdp', compute: ([l, g]) => l / g },
  { name: 'infra', inputs: ['road_pc'], formula: 'ln(road_pc)', compute: ([r]) => Math.log(r), logged: [0] },
  {
    name: 'lnpopden',
    inputs: ['pop', 'area'],
    formula: 'ln(pop × 1e4 / area)',
    compute: ([p, a]) => Math.log((p * 1e4) / a),
    logged: [0, 1],
  },
  {
    name: 'indus',
    inputs: ['tertiary_gdp', 'secondary_gdp'],
    formula: 'tertiary_gdp / secondary_gdp',
    compute: ([t, s]) => t / s,
  },
  {
    name: 'innov',
    inputs: ['patents', 'pop'],
    formula: 'ln(1 + patents / pop)',
    compute: ([k, p]) => Math.log1p(k / p),
  },
  { name: 'gov', inputs: ['fiscal_exp', 'gdp'], formula: 'fiscal_exp / gdp', compute: ([f, g]) => f / g },
  {
    name: 'iv_post',
    inputs: ['post1984', 'internet_nat_lag'],
    formula: 'post1984 × internet_nat_lag / 1e4',
    compute: ([p, i]) => (p * i) / 1e4,
  },
];

/** Add every derived variable whose inputs are present and which the table does not already have. */
export function deriveVariables(data: Table): { data: Table; derived: string[] } {
  const names = new Set(data.columnNames());
  const add: Record<string, Float64Array> = {};
  const n = data.numRows();
  const codes = tableColumn(data, 'city_code') as ArrayLike<number>;
  const years = tableColumn(data, 'year') as ArrayLike<number>;
  for (const d of DERIVED) {
    if (names.has(d.name) || !d.inputs.every((i) => names.has(i))) continue;
    const ins = d.inputs.map((i) => tableColumn(data, i) as ArrayLike<number>);
    const out = new Float64Array(n);
    const v = new Array<number>(ins.length);
    for (let r = 0; r < n; r++) {
      let miss = false;
      for (let k = 0; k < ins.length; k++) {
        v[k] = Number(ins[k][r]);
        if (Number.isNaN(v[k])) miss = true;
      }
      if (miss) {
        out[r] = NaN;
        continue;
      }
      for (const k of d.logged ?? []) {
        if (!(v[k] > 0)) {
          throw new NqpError(
            'NON_POSITIVE_LOG',
            `city ${codes[r]}, ${years[r]}, column "${d.inputs[k]}"`,
            `${d.name} = ${d.formula} needs ${d.inputs[k]} > 0, but city ${codes[r]} has ${v[k]} in ${years[r]}. ` +
              `Fix the value or set it missing.`,
          );
        }
      }
      out[r] = d.compute(v);
    }
    add[d.name] = out;
  }
  return { data: Object.keys(add).length ? (data.assign(add) as Table) : data, derived: Object.keys(add) };
}
