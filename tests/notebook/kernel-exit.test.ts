import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TslabKernel } from '../../src/notebook/kernel';

// `nqp grade` starts one kernel after another in one process: each kernel's exit hook must go when the kernel
// does, whether it was shut down or died, or node warns past ten (MaxListenersExceededWarning) and they pile up.
test('a kernel removes its exit hook from this process when it is shut down or dies', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nqp-kernel-exit-'));
  const before = process.listenerCount('exit');
  try {
    const k = await TslabKernel.start(dir);
    assert.equal(process.listenerCount('exit'), before + 1, 'one hook while the kernel runs');
    assert.equal((await k.execute('1 + 1')).status, 'ok');
    await k.shutdown();
    assert.equal(process.listenerCount('exit'), before, 'no hook left after shutdown');

    const dies = await TslabKernel.start(dir);
    assert.equal(process.listenerCount('exit'), before + 1);
    const gone = new Promise((resolve) =>
      (dies as unknown as { proc: NodeJS.EventEmitter }).proc.once('exit', resolve),
    );
    (dies as unknown as { proc: { kill(s: string): void } }).proc.kill('SIGKILL');
    await gone;
    assert.equal(process.listenerCount('exit'), before, 'no hook left after the kernel died');
    await dies.shutdown();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
