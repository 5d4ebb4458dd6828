/**
 * sendNow (src/notebook/display.ts): progress bars and answers send their display without waiting. A kernel whose
 * display returns a promise (Deno's) and rejects gets a line on stderr, not an unhandled rejection or silence; a
 * synchronous writer (tslab's) is called at once, and what it throws still reaches the caller.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DisplayMessage, sendNow } from '../../src/notebook/display';

const msg: DisplayMessage = { data: { 'text/plain': 'x' }, metadata: {}, transient: {} };

test('a rejected display is reported on stderr, and no rejection is left unhandled', async () => {
  const errors: string[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  const original = console.error;
  process.on('unhandledRejection', onUnhandled);
  console.error = (...a: unknown[]) => errors.push(a.join(' '));
  try {
    sendNow(() => Promise.reject(new Error('kernel closed')), msg, false);
    await new Promise((r) => setTimeout(r, 20));
  } finally {
    console.error = original;
    process.off('unhandledRejection', onUnhandled);
  }
  assert.deepEqual(errors, ['display failed: kernel closed']);
  assert.deepEqual(unhandled, []);
});

test('a synchronous writer is called at once with the message and flag; its throw reaches the caller', () => {
  const calls: [DisplayMessage, boolean][] = [];
  sendNow((m, u) => calls.push([m, u]), msg, true);
  assert.deepEqual(calls, [[msg, true]]);
  assert.throws(
    () =>
      sendNow(
        () => {
          throw new Error('no kernel');
        },
        msg,
        false,
      ),
    /no kernel/,
  );
});
