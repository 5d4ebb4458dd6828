/**
 * cells.ts `scanNumberInto` (the CSV reader's number parser) against the previous version of it, kept here as the
 * oracle, and against Number(): the same value (to the bit, −0 included) and the same end on random byte strings.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as cells from '../../src/data/cells';
import { Rng } from '../../src/math/rng';
import { CANONICAL_INT } from '../../src/data/frame';

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18];
const POW10_HI = [1e19, 1e20, 1e21, 1e22];

/** scanNumberInto as [value, end]. */
function scan(b: Uint8Array, start: number, limit: number): [number, number] {
  const out = new Float64Array(1);
  const end = cells.scanNumberInto(b, start, limit, out, 0);
  return [out[0], end];
}

/** The previous scanNumber, digit by digit with a count of significant digits: returns [value, end]. */
function oracle(b: Uint8Array, start: number, limit: number): [number, number] {
  let i = start;
  if (i >= limit) return [NaN, start];
  let neg = false;
  let c = b[i];
  if (c === 45 || c === 43) {
    neg = c === 45;
    i++;
  }
  let mant = 0;
  let digits = 0;
  let anyDigit = false;
  let scale = 0;
  let dot = false;
  let ok = true;
  for (; i < limit; i++) {
    c = b[i];
    if (c >= 48 && c <= 57) {
      anyDigit = true;
      if (digits === 0 && c === 48) {
        if (dot) scale--;
        continue;
      }
      if (++digits > 15) ok = false;
      else {
        mant = mant * 10 + (c - 48);
        if (dot) scale--;
      }
    } else if (c === 46 && !dot) {
      dot = true;
    } else break;
  }
  if (!anyDigit) return [NaN, start];
  if (i < limit && (b[i] === 101 || b[i] === 69)) {
    i++;
    let eneg = false;
    if (i < limit && (b[i] === 45 || b[i] === 43)) {
      eneg = b[i] === 45;
      i++;
    }
    let e = 0;
    let expDigits = 0;
    for (; i < limit; i++) {
      c = b[i];
      if (c < 48 || c > 57) break;
      if (e < 100000) e = e * 10 + (c - 48);
      expDigits++;
    }
    if (!expDigits) ok = false;
    scale += eneg ? -e : e;
  }
  if (!ok) return [NaN, i];
  if (mant === 0) return [neg ? -0 : 0, i];
  let v: number;
  if (scale === 0) v = mant;
  else if (scale > 0 && scale <= 22) v = mant * (scale <= 18 ? POW10[scale] : POW10_HI[scale - 19]);
  else if (scale < 0 && scale >= -22) v = mant / (-scale <= 18 ? POW10[-scale] : POW10_HI[-scale - 19]);
  else return [NaN, i];
  return [neg ? -v : v, i];
}

function cases(seed: number, n: number): string[] {
  const rng = new Rng(seed);
  const pick = (s: string) => s[Math.floor(rng.uniform() * s.length)];
  const out: string[] = ['', '-', '+', '.', '-.', '0', '-0', '+0.000', '.5', '5.', '1e', '1e+', '1e-400', '1e400'];
  out.push('999999999999999', '1000000000000000', '0.000000000000000000001', '00000000000000000012.5');
  out.push('123456789012345e-22', '123456789012345e-23', '1.5e22', '15e22', '1..2', '1.2.3', '0x1F', '1,5');
  for (let k = 0; k < n; k++) {
    const u = rng.uniform();
    if (u < 0.4) {
      // Random bytes from the characters a number is made of (and a few that end one).
      const len = Math.floor(rng.uniform() * 24);
      let s = '';
      for (let j = 0; j < len; j++) s += pick(u < 0.2 ? '0123456789.-+eE,x ' : '000123456789.');
      out.push(s);
    } else {
      // Numbers as CSV writers print them: 1–17 significant digits, fixed or exponent form, either sign.
      const x = rng.normal() * 10 ** Math.floor(rng.uniform() * 40 - 20);
      const p = 1 + Math.floor(rng.uniform() * 17);
      const s = u < 0.7 ? x.toPrecision(p) : u < 0.85 ? x.toExponential(p - 1) : x.toFixed(Math.min(p, 20));
      out.push(rng.uniform() < 0.1 ? `${s},7` : s);
    }
  }
  return out;
}

test('scanNumberInto: the previous version’s value and end on 200,000 strings, and Number()’s', () => {
  let numbers = 0;
  const out = new Float64Array(3);
  for (const s of cases(29, 200_000)) {
    const b = Buffer.from(s, 'latin1');
    const [w, end] = oracle(b, 0, b.length);
    assert.equal(cells.scanNumberInto(b, 0, b.length, out, 1), end, `"${s}" end`);
    const v = out[1];
    assert.ok(Object.is(v, w), `"${s}": ${v} vs ${w}`);
    if (!Number.isNaN(v)) {
      numbers++;
      assert.ok(Object.is(v, Number(s.slice(0, end))), `"${s}": ${v} vs Number ${Number(s.slice(0, end))}`);
    }
  }
  assert.ok(numbers > 100_000, `only ${numbers} strings read as numbers`);
});

test('scanNumberInto stops at the limit given, not at the end of the bytes', () => {
  const b = Buffer.from('12345,6');
  assert.deepEqual(scan(b, 0, 3), [123, 3]);
  assert.deepEqual(scan(b, 1, 5), [2345, 5]);
  assert.ok(Number.isNaN(scan(b, 5, 5)[0]));
});

test('canonicalInt and scanCanonicalInt read exactly what CANONICAL_INT matches, to its value', () => {
  const pool = ['0', '-0', '007', '12', '-12', '1e3', '', '-', '999999999999999', '1000000000000000', '12a', '+3'];
  const rng = new Rng(31);
  const out = new Float64Array(1);
  for (let r = 0; r < 20_000; r++) {
    const s =
      rng.uniform() < 0.3
        ? pool[Math.floor(rng.uniform() * pool.length)]
        : `${rng.uniform() < 0.2 ? '-' : ''}${Math.floor(rng.uniform() * 10 ** Math.floor(rng.uniform() * 17))}`;
    const b = Buffer.from(`${s},`, 'latin1');
    const want = CANONICAL_INT.test(s) ? Number(s) : undefined;
    assert.equal(cells.canonicalInt(b, 0, s.length), want, `"${s}"`);
    const end = cells.scanCanonicalInt(b, 0, b.length, out, 0);
    if (want !== undefined) assert.deepEqual([out[0], end], [want, s.length], `"${s}" (scan)`);
  }
});
