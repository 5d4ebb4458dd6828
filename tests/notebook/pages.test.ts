/**
 * Every page a reviewer reads, opened in headless Chromium: on every chart of every notebook page no text is
 * clipped and no two tick labels of an axis overlap or touch; code lines wrap instead of running past the right
 * edge; each chart carries its provenance line. NQP_PAGES=baseline,mechanisms limits the notebooks (two at a
 * time on a shared machine); the default is all five.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CHARTS_JS, chartProblems, type Chart } from './chart-checks';

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'tests', '.tmp', 'pages');
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const PAGES = (process.env.NQP_PAGES ?? 'index,baseline,robustness,mechanisms,heterogeneity').split(',');

test(`pages ${PAGES.join(', ')}: charts without clipped or touching labels, stamped; code lines wrap`, {
  skip: chromium ? false : 'Chromium not installed (apt-get install chromium): page check skipped',
}, async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(join(ROOT, 'tests', '.tmp'), { recursive: true });
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'bin', 'nqp.js'), 'reproduce', '--only', PAGES.join(','), '--out', OUT],
    { cwd: ROOT, encoding: 'utf8', timeout: 1_200_000 },
  );
  assert.equal(r.status, 0, r.stderr.split('\n').slice(-6).join('\n'));
  const { chromium: pw } = require('playwright-core');
  const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox', '--disable-gpu'] });
  const problems: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    for (const name of PAGES) {
      await page.goto(`file://${join(OUT, `${name}.html`)}`);
      await page.waitForFunction(
        () => [...document.querySelectorAll('.chart')].every((c) => c.querySelector('.chart-wrapper > svg')),
        null,
        { timeout: 30000 },
      );
      const charts: Chart[] = await page.evaluate(CHARTS_JS);
      for (const c of charts) {
        problems.push(...chartProblems(c, name));
        if (!c.texts.some((t) => /^Simulated data — data\/panel\.csv/.test(t.text)))
          problems.push(`${name}: ${c.title}: no provenance line in the chart`);
      }
      const clipped: string[] = await page.evaluate(`
        [...document.querySelectorAll('pre.source')]
          .filter((p) => p.scrollWidth > p.clientWidth + 1)
          .map((p) => p.textContent.slice(0, 60))`);
      for (const c of clipped) problems.push(`${name}: code runs past the right edge: ${c}…`);
    }
  } finally {
    await browser.close();
  }
  assert.deepEqual(problems, []);
});
