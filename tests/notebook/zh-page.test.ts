import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHARTS_JS, chartProblems, type Chart } from './chart-checks';

// The index notebook with LANG = 'zh', executed through the kernel and opened in headless Chromium: every chart's
// texts (axis titles, tick labels, legends) lie inside the chart and are whole, no two tick labels of one axis
// overlap, and the legends and Table 2 are in Chinese.
const ROOT = join(__dirname, '..', '..');
const TMP = join(ROOT, 'tests', '.tmp', 'zh-page');
// The executed copy goes beside, not over, the source notebook written into TMP (reproduce refuses that).
const OUT = join(TMP, 'out');
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
test("index page with labels 'zh': no clipped or overlapping chart text; legends and Table 2 in Chinese", {
  skip: chromium ? false : 'Chromium not installed (apt-get install chromium): page check skipped',
}, async () => {
  rmSync(TMP, { recursive: true, force: true });
  mkdirSync(TMP, { recursive: true });
  const nb = JSON.parse(readFileSync(join(ROOT, 'notebooks', 'index.ipynb'), 'utf8'));
  const setting = nb.cells.find((c: { source: string[] }) => c.source.join('').includes("const LANG = 'en' as"));
  assert.ok(setting, "index.ipynb has the LANG setting (const LANG = 'en' as 'en' | 'zh')");
  setting.source = setting.source
    .join('')
    .replace("const LANG = 'en' as", "const LANG = 'zh' as")
    .split(/(?<=\n)/);
  const path = join(TMP, 'index-zh.ipynb');
  writeFileSync(path, JSON.stringify(nb));
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'nqp.js'), 'reproduce', '--only', path, '--out', OUT], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(r.status, 0, r.stderr.split('\n').slice(-6).join('\n'));
  const { chromium: pw } = require('playwright-core');
  const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    await page.goto(`file://${join(OUT, 'index-zh.html')}`);
    await page.waitForFunction(
      () => [...document.querySelectorAll('.chart')].every((c) => c.querySelector('.chart-wrapper > svg')),
      null,
      { timeout: 20000 },
    );
    const charts: Chart[] = await page.evaluate(CHARTS_JS);
    assert.equal(charts.length, 6, 'six figures');
    const legends: string[] = [];
    for (const c of charts) {
      assert.deepEqual(chartProblems(c), []);
      for (const t of c.texts) if (t.role.includes('legend-label')) legends.push(t.text);
    }
    for (const word of ['劳动者', '劳动资料', '劳动对象', '东部', '中部', '西部', '东北'])
      assert.ok(legends.includes(word), `legend entry ${word} missing: ${legends.join(', ')}`);
    // Table 2: Chinese indicator names, dimensions and column heads.
    const table2 = await page.evaluate(
      () =>
        [...document.querySelectorAll('table')].find((t) =>
          t.querySelector('caption')?.textContent?.includes('Table 2'),
        )?.textContent ?? '',
    );
    for (const word of ['指标', '维度', '权重', '职工平均工资', '劳动资料'])
      assert.ok(table2.includes(word), `Table 2 lacks ${word}`);
    await page.screenshot({ path: join(TMP, 'index-zh.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});
