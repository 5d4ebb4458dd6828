import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultWidth } from '../../src/notebook/run';

const GB = 2 ** 30;

// `nqp reproduce` without --jobs: up to 2.5 kernels per core while free memory holds them (400 MB each), at least
// one per core, at most one per notebook.
test('defaultWidth: kernels at once from the notebooks, the cores and the free memory', () => {
  assert.equal(defaultWidth(5, 2, 20 * GB), 5, 'two cores, memory to spare: all five notebooks at once');
  assert.equal(defaultWidth(5, 1, 20 * GB), 3, 'one core: two and a half, rounded up');
  assert.equal(defaultWidth(5, 2, 1 * GB), 2, 'memory for two kernels: one per core');
  assert.equal(defaultWidth(5, 4, 0.5 * GB), 4, 'short of memory: still one per core');
  assert.equal(defaultWidth(30, 4, 64 * GB), 10, 'many notebooks: at most 2.5 per core');
  assert.equal(defaultWidth(1, 8, 64 * GB), 1, 'never more kernels than notebooks');
  assert.equal(defaultWidth(0, 2, 20 * GB), 1);
});
