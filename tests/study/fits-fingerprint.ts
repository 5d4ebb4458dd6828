/**
 * The hashes of the notebooks' repeated fits (fits-calls.ts) as one build computes them, for recording in
 * fits-fingerprint.test.ts:
 *
 *   node --import tsx tests/study/fits-fingerprint.ts ROOT    (ROOT holds a built dist/, e.g. /work/main)
 */
import { join, resolve } from 'node:path';
import { callHashes } from './fits-calls';

const root = process.argv[2];
if (!root) {
  console.error('usage: node --import tsx tests/study/fits-fingerprint.ts ROOT');
  process.exit(2);
}
callHashes(require(join(resolve(root), 'dist', 'index.js'))).then((h) => console.log(JSON.stringify(h, null, 2)));
