/**
 * The study pipeline's fast paths against the plain algorithms they replace, value for value (Object.is: the sign
 * of zero and NaN count): quantiles by selection against quantile() by sort, interpolation that visits only the
 * missing cells against a scan of every city-year, winsorising by selection, and columns read without arquero's
 * copy from tables that are filtered or ordered (where the copy is still needed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { interpolate, numbersOf, winsorize } from '../../src/data';
import { tableColumn } from '../../src/data/table-column';
import { entropyIndex } from '../../src/measure';
import { quantile, quantiles, selectKth } from '../../src/math/stats';
import { Rng } from '../../src/math/rng';
import { errCode } from '../helpers';

const same = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

/** Values with ties, both zeros, NaN and (sometimes) text, as a researcher's column can hold them. */
function values(rng: Rng, n: number): number[] {
  const pool = [0, -0, 1, -1, 2.5, NaN];
  return Array.from({ length: n }, () => {
    const u = rng.uniform();
    return u < 0.3 ? pool[rng.int(pool.length)] : u < 0.32 ? ('x' as unknown as number) : rng.normal() * 10;
  });
}

test('quantiles by selection equal quantile() by sort, bit for bit, zeros and ties included', () => {
  const rng = new Rng(29);
  for (let t = 0; t < 3000; t++) {
    const x = values(rng, rng.int(60));
    const ps = [0, 0.01, 0.5, 0.99, 1, rng.uniform(), rng.uniform()];
    const typed = t % 2 ? Float64Array.from(x) : x;
    same(
      quantiles(typed, ps),
      ps.map((p) => quantile(typed, p)),
      `case ${t}`,
    );
  }
  // Outside [0, 1] the selection is not tried: the same answer as the sort gives.
  same(quantiles([3, 1, 2], [-0.5, 1.5]), [quantile([3, 1, 2], -0.5), quantile([3, 1, 2], 1.5)], 'outside');
  same(quantiles([], [0.5]), [NaN], 'empty');
});

test('selectKth gives the value sort()[k] has', () => {
  const rng = new Rng(7);
  for (let t = 0; t < 3000; t++) {
    const n = 1 + rng.int(50);
    const a = Float64Array.from({ length: n }, () => (rng.uniform() < 0.4 ? rng.int(4) : rng.normal()));
    const k = rng.int(n);
    assert.equal(selectKth(a.slice(), k), a.slice().sort()[k], `case ${t}`);
  }
});

/** Interpolation as it was written first: every city-year visited, neighbours searched in the observed list. */
function interpolateReference(ids: ArrayLike<unknown>, yrs: ArrayLike<number>, x0: Float64Array): Float64Array {
  const x = Float64Array.from(x0);
  const groups = new Map<unknown, number[]>();
  for (let i = 0; i < ids.length; i++) groups.set(ids[i], [...(groups.get(ids[i]) ?? []), i]);
  for (const rows of groups.values()) {
    rows.sort((a, b) => yrs[a] - yrs[b]);
    const years = rows.map((r) => yrs[r]);
    const obs = rows.map((r, k) => (Number.isNaN(x[r]) ? -1 : k)).filter((k) => k >= 0);
    for (let k = 0; k < rows.length; k++) {
      if (!Number.isNaN(x[rows[k]])) continue;
      const before = obs.filter((o) => o < k).pop();
      const after = obs.find((o) => o > k);
      if (before === undefined || after === undefined) continue;
      const t = (years[k] - years[before]) / (years[after] - years[before]);
      x[rows[k]] = x[rows[before]] + t * (x[rows[after]] - x[rows[before]]);
    }
  }
  return x;
}

/** A small unbalanced panel in shuffled row order, with runs of missing values and gap years. */
function panel(rng: Rng) {
  const ids: number[] = [];
  const yrs: number[] = [];
  for (let c = 1; c <= 12; c++)
    for (let y = 2010; y <= 2021; y++) {
      if (rng.uniform() < 0.15) continue;
      ids.push(c);
      yrs.push(y);
    }
  const order = ids.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const x = Float64Array.from(order, () => (rng.uniform() < 0.35 ? NaN : rng.normal()));
  return {
    city_code: Int32Array.from(order, (i) => ids[i]),
    year: Int32Array.from(order, (i) => yrs[i]),
    x,
  };
}

test('interpolation visiting only missing cells equals the scan of every city-year', () => {
  const rng = new Rng(3);
  for (let t = 0; t < 200; t++) {
    const p = panel(rng);
    const r = interpolate(aq.table(p) as never, ['x']);
    const want = interpolateReference(p.city_code, p.year, p.x);
    same(r.data.array('x') as Float64Array, want, `panel ${t}`);
    let filled = 0;
    for (let i = 0; i < want.length; i++) if (Number.isNaN(p.x[i]) && !Number.isNaN(want[i])) filled++;
    const left = want.filter((v) => Number.isNaN(v)).length;
    assert.equal(r.report.changed[0].count, filled, `panel ${t}: filled`);
    if (left) assert.match(r.report.changed[0].detail ?? '', new RegExp(`^${left} left missing`), `panel ${t}`);
    else assert.equal(r.report.changed[0].detail, undefined);
  }
});

test('winsorising by selection equals clipping at quantile() cut-offs, pooled and within groups', () => {
  const rng = new Rng(11);
  for (let t = 0; t < 100; t++) {
    const p = panel(rng);
    const x = Float64Array.from(p.x, (v) => (Number.isNaN(v) || rng.uniform() < 0.3 ? v : v * 0)); // ±0 ties
    const table = aq.table({ ...p, x }) as never;
    for (const by of [undefined, 'year']) {
      const w = winsorize(table, ['x'], { lower: 0.05, upper: 0.9, by });
      const want = Float64Array.from(x);
      const keys = by ? p.year : new Int32Array(x.length);
      for (const k of new Set(keys)) {
        const rows = [...keys.keys()].filter((i) => keys[i] === k);
        const part = rows.map((i) => x[i]);
        const lo = quantile(part, 0.05),
          hi = quantile(part, 0.9);
        for (const i of rows) {
          if (x[i] < lo) want[i] = lo;
          else if (x[i] > hi) want[i] = hi;
        }
      }
      same(w.data.array('x') as Float64Array, want, `case ${t} by ${by}`);
    }
  }
});

test('columns of filtered or ordered tables are read in table order (the copy arquero makes)', () => {
  const base = aq.table({
    city_code: Int32Array.from([2, 1, 2, 1, 3, 3]),
    year: Int32Array.from([2011, 2011, 2010, 2010, 2010, 2011]),
    x: Float64Array.from([4, NaN, 2, 1, 5, 6]),
    y: Float64Array.from([1, 3, 2, 5, 8, 13]),
  });
  assert.equal(tableColumn(base as never, 'x'), base.column('x'), 'unfiltered: the column itself');
  const ordered = base.orderby('city_code', 'year');
  const filtered = base.filter((d: { city_code: number }) => d.city_code !== 3);
  for (const [name, t] of [
    ['ordered', ordered],
    ['filtered', filtered],
  ] as const) {
    same(tableColumn(t as never, 'x') as Float64Array, t.array('x') as number[], name);
    const flat = aq.table({ city_code: t.array('city_code'), year: t.array('year'), x: t.array('x'), y: t.array('y') });
    same(
      interpolate(t as never, ['x']).data.array('x') as number[],
      interpolate(flat as never, ['x']).data.array('x') as number[],
      `${name}: interpolate`,
    );
    const ind = [
      { name: 'x', direction: '+' as const, dimension: 'a' },
      { name: 'y', direction: '-' as const, dimension: 'b' },
    ];
    const filled = interpolate(t as never, ['x']).data;
    const flatFilled = interpolate(flat as never, ['x']).data;
    same(
      entropyIndex(filled, ind).data.array('index') as number[],
      entropyIndex(flatFilled, ind).data.array('index') as number[],
      `${name}: entropy index`,
    );
  }
});

test('numbersOf checks a Float64Array without writing to it, and names the row of an infinity', () => {
  const a = Float64Array.from([1, NaN, 3]);
  assert.equal(numbersOf(a, 'x', 'test'), a);
  same(a, [1, NaN, 3], 'unchanged');
  assert.equal(
    errCode(() => numbersOf(Float64Array.from([1, -Infinity]), 'x', 'indicator "x"')),
    'NON_FINITE @ indicator "x", row 2',
  );
  assert.equal(
    errCode(() => numbersOf([1, Infinity], 'x', 'w')),
    'NON_FINITE @ w, row 2',
  );
  same(numbersOf([1, null, '', '2.5', undefined], 'x', 'w'), [1, NaN, NaN, 2.5, NaN], 'plain array');
});
