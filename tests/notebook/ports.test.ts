import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePorts, releasePorts } from '../../src/notebook/ports';

// Kernels start at the same time: ports handed out and not yet released are never handed out again.
test('freePorts: concurrent requests get distinct ports until they are released', async () => {
  const sets = await Promise.all(Array.from({ length: 20 }, () => freePorts(5)));
  const all = sets.flat();
  assert.equal(all.length, 100);
  assert.equal(new Set(all).size, 100, 'no port handed out twice');
  for (const p of all) assert.ok(p > 0 && p < 65536);
  sets.forEach(releasePorts);
});
