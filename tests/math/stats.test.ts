import { test } from 'node:test';
import assert from 'node:assert/strict';
import { correlation, sampleSd } from '../../src/math';
import { fixtureTable } from '../helpers';

test('sampleSd and correlation equal R (sd, cor) on Grunfeld', () => {
  const g = fixtureTable('grunfeld.csv');
  const inv = Array.from(g.array('inv') as ArrayLike<number>);
  const value = Array.from(g.array('value') as ArrayLike<number>);
  // R: sd(g$inv) = 216.875296230374; cor(g$inv, g$value) = 0.856932898508486
  assert.ok(Math.abs(sampleSd(inv) / 216.875296230374 - 1) < 1e-12, `${sampleSd(inv)}`);
  assert.ok(Math.abs(correlation(inv, value) / 0.856932898508486 - 1) < 1e-12, `${correlation(inv, value)}`);
  assert.throws(() => correlation([1, 2], [1]), /lengths 2 and 1 differ/);
});
