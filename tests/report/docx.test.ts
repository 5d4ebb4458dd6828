import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { feols } from '../../src/estimate';
import { etable } from '../../src/report';
import { fixtureTable } from '../helpers';

// A regression table as .docx, opened by python-docx (Debian's python3-docx): the cells, parentheses, stars,
// fixed-effect rows and notes of the HTML table must all be there.
// Debian's python (apt's python3-docx), not a python a version manager may put first on PATH.
const PY = '/usr/bin/python3';
const hasDocx = spawnSync(PY, ['-c', 'import docx'], { encoding: 'utf8' }).status === 0;

test('etable(...).toDocx() opens in python-docx with the HTML table’s content', {
  skip: hasDocx ? false : 'python3-docx not installed (apt-get install python3-docx): .docx check skipped',
}, () => {
  const g = fixtureTable('grunfeld.csv');
  const m1 = feols(g, 'inv ~ value + capital | firm', { vcov: { cluster: 'firm' } });
  const m2 = feols(g, 'inv ~ value + capital | firm + year', { vcov: { cluster: 'firm' } });
  const t = etable([m1, m2], { title: 'Table 2. Investment & <value>', notes: ['Clustered by firm; * p < 0.1.'] });
  const dir = join(__dirname, '..', '.tmp', 'report');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'table.docx');
  writeFileSync(file, t.toDocx());
  const py =
    'import docx, json, sys\n' +
    'd = docx.Document(sys.argv[1])\n' +
    'print(json.dumps({"paragraphs": [p.text for p in d.paragraphs], ' +
    '"rows": [[c.text for c in r.cells] for r in d.tables[0].rows]}))';
  const r = spawnSync(PY, ['-c', py, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { paragraphs: string[]; rows: string[][] };
  // The HTML table's cells, row by row (its text, without tags).
  const html = t.toHtml();
  const htmlRows = [...html.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)]
    .map((m) => [...m[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => htmlText(c[1])))
    .filter((row) => row.length > 1);
  assert.deepEqual(doc.rows, htmlRows);
  const flat = doc.rows.flat().join(' ');
  assert.match(flat, /\*\*\*/, 'stars');
  assert.match(flat, /\(\d+\.\d+\)/, 'standard errors in parentheses');
  assert.ok(
    doc.rows.some((row) => /firm/i.test(row[0]) && row.slice(1).every((c) => c === 'Yes')),
    'FE row',
  );
  assert.equal(doc.paragraphs[0], 'Table 2. Investment & <value>');
  assert.ok(doc.paragraphs.includes('Clustered by firm; * p < 0.1.'));
});

function htmlText(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
