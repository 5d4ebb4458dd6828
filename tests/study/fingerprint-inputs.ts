/**
 * The input files of study-fingerprint.js, written to DIR (seeded, the same bytes every time):
 *   null.csv            the zero-effect extract the tests use (120 cities, 2011–2019)
 *   researcher-gbk.csv  the default panel as a researcher's GBK export: Chinese city names instead of codes, 2% of
 *                       city-years absent, 3% of cells empty, some GDP cells written "1,234.5", an extra column
 *   units.csv           GDP in 万元 for 2018–2021 and wages 100× too small (unit warnings)
 *   shuffled.csv        the default panel's rows in random order
 *
 *   node --import tsx tests/study/fingerprint-inputs.ts DIR
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { panelCsv } from '../../src/simulate';
import { gbkEncode } from '../helpers';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node --import tsx tests/study/fingerprint-inputs.ts DIR');
mkdirSync(dir, { recursive: true });
const root = join(__dirname, '..', '..');
writeFileSync(join(dir, 'null.csv'), panelCsv({ nullEffect: true, cities: 120, years: [2011, 2019] }).panel);
const lines = readFileSync(join(root, 'data', 'panel.csv'), 'utf8')
  .trimEnd()
  .split('\n');
const head = lines[0].split(',');
const body = lines.slice(1);
const zh = new Map(
  readFileSync(join(root, 'data', 'cities.csv'), 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((l) => [l.split(',')[0], l.split(',')[1]]),
);
let s = 12345;
const rnd = () => {
  s = (s * 1103515245 + 12345) % 2147483648;
  return s / 2147483648;
};
const gbk: string[] = [];
for (const l of body) {
  if (rnd() < 0.02) continue;
  const cells = l.split(',');
  for (let k = 2; k < cells.length; k++) {
    if (rnd() < 0.03) cells[k] = '';
    else if (head[k] === 'gdp' && rnd() < 0.05 && Number(cells[k]) >= 1000)
      cells[k] = `"${Number(cells[k]).toLocaleString('en-US')}"`;
  }
  cells[0] = zh.get(cells[0]) ?? cells[0];
  gbk.push([...cells, (rnd() * 100).toFixed(3)].join(','));
}
const gbkHead = ['城市', ...head.slice(1), 'my_extra'].join(',');
writeFileSync(join(dir, 'researcher-gbk.csv'), gbkEncode(`${gbkHead}\n${gbk.join('\n')}\n`));
const [gi, wi, yi] = ['gdp', 'wage', 'year'].map((c) => head.indexOf(c));
const units = body.map((l) => {
  const c = l.split(',');
  if (Number(c[yi]) >= 2018 && c[gi] !== '') c[gi] = String(Number(c[gi]) * 1e4);
  if (c[wi] !== '') c[wi] = String(Number(c[wi]) / 100);
  return c.join(',');
});
writeFileSync(join(dir, 'units.csv'), `${[lines[0], ...units].join('\n')}\n`);
s = 5;
const shuffled = body.slice();
for (let i = shuffled.length - 1; i > 0; i--) {
  const j = Math.floor(rnd() * (i + 1));
  [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
}
writeFileSync(join(dir, 'shuffled.csv'), `${[lines[0], ...shuffled].join('\n')}\n`);
