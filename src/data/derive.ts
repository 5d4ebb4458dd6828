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
  /** The value from the inputs, in `inputs` order (indexed: destructuring would run the iterator protocol per row). */
  compute: (v: number[]) => number;
  /** Inputs that enter a logarithm (must be > 0). */
  logged?: number[];
}

export const DERIVED: Derived[] = [
  {
    name: 'lnpgdp',
    inputs: ['gdp', 'pop'],
    formula: 'ln(gdp × 1e8 / (pop × 1e4))',
    compute: (v) => Math.log((v[0] * 1e8) / (v[1] * 1e4)),
    logged: [0, 1],
  },
  { name: 'open', inputs: ['fdi', 'gdp'], formula: '100 × fdi / gdp', compute: (v) => (100 * v[0]) / v[1] },
  { name: 'fin', inputs: ['loans', 'gdp'], formula: 'loans / gdp', compute: (v) => v[0] / v[1] },
  { name: 'infra', inputs: ['road_pc'], formula: 'ln(road_pc)', compute: (v) => Math.log(v[0]), logged: [0] },
  {
    name: 'lnpopden',
    inputs: ['pop', 'area'],
    formula: 'ln(pop × 1e4 / area)',
    compute: (v) => Math.log((v[0] * 1e4) / v[1]),
    logged: [0, 1],
  },
  {
    name: 'indus',
    inputs: ['tertiary_gdp', 'secondary_gdp'],
    formula: 'tertiary_gdp / secondary_gdp',
    compute: (v) => v[0] / v[1],
  },
  {
    name: 'innov',
    inputs: ['patents', 'pop'],
    formula: 'ln(1 + patents / pop)',
    compute: (v) => Math.log1p(v[0] / v[1]),
  },
  { name: 'gov', inputs: ['fiscal_exp', 'gdp'], formula: 'fiscal_exp / gdp', compute: (v) => v[0] / v[1] },
  {
    name: 'iv_post',
    inputs: ['post1984', 'internet_nat_lag'],
    formula: 'post1984 × internet_nat_lag / 1e4',
    compute: (v) => (v[0] * v[1]) / 1e4,
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
    deriveRows(d, ins, out, codes, years);
    add[d.name] = out;
  }
  return { data: Object.keys(add).length ? (data.assign(add) as Table) : data, derived: Object.keys(add) };
}

/** One derived column, row by row, in a small function of its own (a cold process compiles it quickly). */
function deriveRows(
  d: Derived,
  ins: ArrayLike<number>[],
  out: Float64Array,
  codes: ArrayLike<number>,
  years: ArrayLike<number>,
): void {
  // Doubles from the start: an array of small integers would change its element kind on the first value.
  const v = new Float64Array(ins.length) as unknown as number[];
  const logged = d.logged ?? [];
  for (let r = 0; r < out.length; r++) {
    let miss = false;
    for (let k = 0; k < ins.length; k++) {
      v[k] = Number(ins[k][r]);
      if (Number.isNaN(v[k])) miss = true;
    }
    if (miss) {
      out[r] = NaN;
      continue;
    }
    for (let q = 0; q < logged.length; q++) {
      const k = logged[q];
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
}
