/**
 * ColumnBuilder's interning (src/data/column-builder.ts): codes in first-seen order whether a key arrives as bytes
 * (pushCanonicalInt) or as text, integer keys below and above the array-indexed range alike, and joins of a later
 * part (append, in place after widen) that give the codes one builder gives.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CANONICAL_INT, ColumnBuilder, type TextColumn } from '../../src/data/frame';
import { Rng } from '../../src/math/rng';

/** Keys of every kind: small and large integers, negatives, and text that looks numeric but is not canonical. */
function keys(seed: number, n: number): string[] {
  const rng = new Rng(seed);
  const pool = ['0', '7', '012', '-0', '-5', 'east', '2097151', '2097152', '999999999999999', '1e3', ' 12', 'A12'];
  return Array.from({ length: n }, () => {
    const u = rng.uniform();
    if (u < 0.2) return pool[Math.floor(rng.uniform() * pool.length)];
    if (u < 0.6) return String(Math.floor(rng.uniform() * 3000));
    if (u < 0.8) return String(2_000_000 + Math.floor(rng.uniform() * 200_000));
    return String(-Math.floor(rng.uniform() * 50));
  });
}

/** Push as the CSV reader does: canonical integers by value, the rest as text. */
function push(b: ColumnBuilder, k: string, viaText: boolean): void {
  if (!viaText && CANONICAL_INT.test(k)) b.pushCanonicalInt(Number(k));
  else b.pushText(k);
}

function firstSeen(ks: string[]): { labels: string[]; codes: number[] } {
  const at = new Map<string, number>();
  const codes = ks.map((k) => {
    if (!at.has(k)) at.set(k, at.size);
    return at.get(k) as number;
  });
  return { labels: [...at.keys()], codes };
}

test('codes are first-seen order of the keys as text, however each key arrives', () => {
  const ks = keys(1, 20_000);
  const want = firstSeen(ks);
  const rng = new Rng(2);
  const b = new ColumnBuilder('city', true, 16);
  for (const k of ks) push(b, k, rng.uniform() < 0.5);
  const col = b.finish() as TextColumn;
  assert.deepEqual(col.labels, want.labels);
  assert.deepEqual([...col.codes], want.codes);
});

test('a later part appended (in place after widen, or copied) gives the codes of one builder', () => {
  const ks = keys(3, 12_000);
  const want = firstSeen(ks);
  for (const shared of [true, false]) {
    const mem = new Int32Array(new SharedArrayBuffer(4 * 14_000));
    const first = new ColumnBuilder('city', true, shared ? mem.subarray(0, 7000) : 16);
    const later = new ColumnBuilder('city', true, shared ? mem.subarray(7000) : 16);
    ks.forEach((k, r) => push(r < 5000 ? first : later, k, false));
    assert.equal(first.widen(mem), shared);
    assert.ok(first.append(later.state()));
    const col = first.finish() as TextColumn;
    assert.deepEqual(col.labels, want.labels);
    assert.deepEqual([...col.codes], want.codes);
    if (shared) assert.equal(col.codes.buffer, mem.buffer);
  }
});

test('numbers appended in place after widen; a builder that grew out of its memory is not widened', () => {
  const mem = new Float64Array(new SharedArrayBuffer(8 * 100));
  const a = new ColumnBuilder('y', false, mem.subarray(0, 40));
  const b = new ColumnBuilder('y', false, mem.subarray(45));
  for (let r = 0; r < 30; r++) a.pushNumber(r);
  for (let r = 30; r < 80; r++) b.pushNumber(r);
  assert.ok(a.widen(mem));
  assert.ok(a.append(b.state()));
  assert.deepEqual(
    [...(a.finish() as Float64Array)],
    Array.from({ length: 80 }, (_, r) => r),
  );
  const c = new ColumnBuilder('y', false, mem.subarray(0, 4));
  for (let r = 0; r < 5; r++) c.pushNumber(r);
  assert.equal(c.widen(mem), false);
});

test('a few large integer keys do not grow the array far beyond the labels; a key seen before keeps its code', () => {
  // 20000 arrives before the labels justify an array that long (it is kept by value in the map), 2,000 more keys
  // follow, then 16000 and 20000 again: the array grows past 20000, and 20000 must keep its first code.
  const ks = ['20000', ...Array.from({ length: 2000 }, (_, i) => String(i)), '16000', '20000', '1999999', '20000'];
  const want = firstSeen(ks);
  const b = new ColumnBuilder('city', true, 16);
  for (const k of ks) push(b, k, false);
  const col = b.finish() as TextColumn;
  assert.deepEqual(col.labels, want.labels);
  assert.deepEqual([...col.codes], want.codes);
  // One key near the top of the array-indexed range, in a column of a few labels: no 8 MB array for it.
  const lone = new ColumnBuilder('id', true, 16);
  for (const k of ['1', '2', '2097000', '2']) push(lone, k, false);
  const small = (lone as unknown as { small: Int32Array }).small;
  assert.ok(small.length <= 8 * (3 + 1024), `the array holds ${small.length} entries for 3 labels`);
});
