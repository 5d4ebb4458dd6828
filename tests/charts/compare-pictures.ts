// Compare two runs of `nqp reproduce` chart by chart, for a change in how the charts' PNG fallbacks are written:
//   node --import tsx tests/charts/compare-pictures.ts BASE_DIR NEW_DIR [BASE_DIR NEW_DIR ...]
// Every notebook must be the same outside its PNGs (compare-runs.ts, and the JSON itself with progress-bar seconds,
// checkout paths and the PNGs' base64 masked), and every PNG must decode to the same picture: the same width,
// height and RGBA pixels. Prints the PNG bytes of both runs; exits 1 on any difference.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareRuns } from '../notebook/compare-runs';
import { decodePng } from './png-decode';

type Json = any;
const args = process.argv.slice(2);
if (args.length < 2 || args.length % 2) throw new Error('usage: compare-pictures.ts BASE_DIR NEW_DIR [...]');

const pngs = (nb: Json): Buffer[] =>
  nb.cells.flatMap((c: Json) =>
    (c.outputs ?? [])
      .map((o: Json) => o.data?.['image/png'])
      .filter(Boolean)
      .map((b: Json) => Buffer.from(Array.isArray(b) ? b.join('') : String(b), 'base64')),
  );
/** A notebook with the folders it was run from and into (the index notebook prints its panel's path) masked. */
const read = (dir: string, name: string): Json =>
  JSON.parse(
    readFileSync(join(dir, name), 'utf8')
      .replaceAll(dir, '<out>')
      .replace(/\/work\/[\w.-]+/g, '<checkout>'),
  );
/** The notebook's JSON without its PNGs and progress-bar seconds. */
const masked = (nb: Json): string =>
  JSON.stringify(nb, (k, v) => (k === 'image/png' ? '<png>' : v)).replace(/\((\d+)%, [\d.]+ s\)/g, '($1%, … s)');

let problems = 0;
let charts = 0;
const bytes = [0, 0];
for (let i = 0; i < args.length; i += 2) {
  const [a, b] = [args[i], args[i + 1]];
  for (const name of readdirSync(a).filter((f) => f.endsWith('.ipynb'))) {
    const x = read(a, name);
    const y = read(b, name);
    const report = (s: string) => {
      problems++;
      console.log(`${b}/${name}: ${s}`);
    };
    for (const d of compareRuns(x, y, name).differences) report(d);
    if (masked(x) !== masked(y)) report('the JSON differs outside the PNGs');
    const [p, q] = [pngs(x), pngs(y)];
    if (p.length !== q.length) report(`${p.length} PNGs against ${q.length}`);
    for (let k = 0; k < Math.min(p.length, q.length); k++) {
      charts++;
      bytes[0] += p[k].length;
      bytes[1] += q[k].length;
      const [u, v] = [decodePng(p[k]), decodePng(q[k])];
      if (u.width !== v.width || u.height !== v.height)
        report(`PNG ${k}: ${u.width}×${u.height} against ${v.width}×${v.height}`);
      else if (!u.rgba.equals(v.rgba)) report(`PNG ${k} (${u.width}×${u.height}): the pixels differ`);
    }
  }
}
console.log(`${charts} charts compared; PNG bytes ${bytes[0]} against ${bytes[1]}; ${problems} difference(s)`);
process.exit(problems ? 1 : 0);
