import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Every "Try it" edit the notebooks suggest is applied to a copy of its notebook, outside notebooks/, and run
// through the real tslab kernel: each must finish without an error (a copied notebook still finds the package).
// Each edit names the exact text it replaces, so renaming a setting breaks this test rather than the suggestion.
const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, 'tests', '.tmp', 'try-it');
rmSync(DIR, { recursive: true, force: true });
mkdirSync(DIR, { recursive: true });

const CONTROLS = "const CONTROLS = ['lnpgdp', 'open', 'fin', 'infra', 'lnpopden', 'urban_rate'];";
const variants: { notebook: string; name: string; edits: [string, string][] }[] = [
  { notebook: 'index', name: 'pooling-year', edits: [['studyPanel(DATA)', "studyPanel(DATA, { pooling: 'year' })"]] },
  {
    notebook: 'index',
    name: 'no-winsorising',
    edits: [['studyPanel(DATA)', 'studyPanel(DATA, { winsorizeIndicators: null })']],
  },
  {
    notebook: 'index',
    name: 'winsorise-within-year',
    edits: [['studyPanel(DATA)', "studyPanel(DATA, { winsorizeWithin: 'year' })"]],
  },
  { notebook: 'index', name: 'chinese-labels', edits: [["const LANG = 'en' as", "const LANG = 'zh' as"]] },
  {
    notebook: 'baseline',
    name: 'province-clusters',
    edits: [["const CLUSTER = 'city_code';", "const CLUSTER = 'province';"]],
  },
  { notebook: 'baseline', name: 'no-controls', edits: [[CONTROLS, 'const CONTROLS: string[] = [];']] },
  { notebook: 'baseline', name: 'sub-index', edits: [["const X = 'nqp';", "const X = 'nqp_labourers';"]] },
  {
    notebook: 'robustness',
    name: 'province-clusters',
    edits: [["const CLUSTER = 'city_code';", "const CLUSTER = 'province';"]],
  },
  { notebook: 'mechanisms', name: 'fewer-reps', edits: [['const REPS = 1000;', 'const REPS = 200;']] },
  {
    notebook: 'mechanisms',
    name: 'fourth-mediator',
    edits: [
      [
        "const MEDIATORS = ['indus', 'talent_lq', 'innov'];",
        "const MEDIATORS = ['indus', 'talent_lq', 'innov', 'fin'];",
      ],
      [CONTROLS, "const CONTROLS = ['lnpgdp', 'open', 'infra', 'lnpopden', 'urban_rate'];"],
    ],
  },
  { notebook: 'heterogeneity', name: 'fewer-reps', edits: [['const REPS = 1000;', 'const REPS = 99;']] },
];

test('every "Try it" edit runs to the end through the tslab kernel, from a copy outside notebooks/', () => {
  const paths = variants.map((v) => {
    const nb = JSON.parse(readFileSync(join(ROOT, 'notebooks', `${v.notebook}.ipynb`), 'utf8'));
    for (const [from, to] of v.edits) {
      const cells = nb.cells.filter(
        (c: { cell_type: string; source: string[] }) => c.cell_type === 'code' && c.source.join('').includes(from),
      );
      assert.ok(cells.length > 0, `${v.notebook}: "${from}" not found`);
      for (const c of cells)
        c.source = c.source
          .join('')
          .split(from)
          .join(to)
          .split(/(?<=\n)/);
    }
    const p = join(DIR, `${v.notebook}-${v.name}.ipynb`);
    writeFileSync(p, JSON.stringify(nb));
    return p;
  });
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'bin', 'nqp.js'), 'reproduce', '--only', paths.join(','), '--out', join(DIR, 'out')],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 900_000,
    },
  );
  const failed = r.stderr.split('\n').filter((l) => l.startsWith('✗'));
  assert.deepEqual(failed, [], r.stderr.split('\n').slice(-8).join('\n'));
  assert.equal(r.status, 0, r.stderr.slice(-1500));
  assert.match(r.stderr, new RegExp(`${variants.length}/${variants.length} notebooks ok`));
});
