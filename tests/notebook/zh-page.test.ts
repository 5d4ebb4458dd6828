import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHARTS_JS, type Chart, chartProblems } from './chart-checks';

// The index notebook with LANG = 'zh', executed through the kernel and opened in headless Chromium: every chart's
// texts (axis titles, tick labels, legends) lie inside the chart and are whole, no two tick labels of one axis
// overlap, and the legends and Table 2 are in Chinese.
const ROOT = join(__dirname, '..', '..');
const TMP = join(ROOT, 'tests', '.tmp', 'zh-page');
// The executed copy goes beside, not over, the source notebook written into TMP (reproduce refuses that).
const OUT = join(TMP, 'out');
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
/** Every chart's problems (clipped, cut, overlapping tick labels; chart-checks.ts) must be none: the legends. */
function checkCharts(charts: Chart[], page: string): string[] {
  const legends: string[] = [];
  for (const c of charts) {
    assert.deepEqual(chartProblems(c, page), []);
    for (const t of c.texts) if (t.role.includes('legend-label')) legends.push(t.text);
  }
  return legends;
}

/** Open a page in Chromium and wait until every chart is drawn. */
async function openPage(browser: any, file: string): Promise<any> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  await page.goto(`file://${file}`);
  await page.waitForFunction(
    () => [...document.querySelectorAll('.chart')].every((c) => c.querySelector('.chart-wrapper > svg')),
    null,
    { timeout: 20000 },
  );
  return page;
}

test("index page with LANG 'zh': no clipped or overlapping chart text; legends and Table 2 in Chinese", {
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
    const page = await openPage(browser, join(OUT, 'index-zh.html'));
    const charts: Chart[] = await page.evaluate(CHARTS_JS);
    assert.equal(charts.length, 6, 'six figures');
    const legends = checkCharts(charts, 'index-zh');
    for (const word of ['劳动者', '劳动资料', '劳动对象', '东部', '中部', '西部', '东北'])
      assert.ok(legends.includes(word), `legend entry ${word} missing: ${legends.join(', ')}`);
    // Table 2: Chinese indicator names, dimensions and column heads.
    const table2 = await page.evaluate(
      () =>
        [...document.querySelectorAll('table')].find((t) =>
          /(Table|表) 2 /.test(t.querySelector('caption')?.textContent ?? ''),
        )?.textContent ?? '',
    );
    for (const word of ['指标', '维度', '权重', '职工平均工资', '劳动资料'])
      assert.ok(table2.includes(word), `Table 2 lacks ${word}`);
    await page.screenshot({ path: join(TMP, 'index-zh.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});

// The other four pages in Chinese (`nqp reproduce --lang zh`): every chart title, axis and legend whole. About a
// minute or more on two cores; NQP_ZH_PAGES=index skips it.
test('baseline, robustness, mechanisms, heterogeneity in Chinese: no clipped or overlapping chart text', {
  skip: !chromium ? 'Chromium not installed' : process.env.NQP_ZH_PAGES === 'index' ? 'NQP_ZH_PAGES=index' : false,
}, async () => {
  const out = join(TMP, 'all');
  rmSync(out, { recursive: true, force: true });
  const names = ['baseline', 'robustness', 'mechanisms', 'heterogeneity'];
  const args = ['reproduce', '--only', names.join(','), '--lang', 'zh', '--out', out];
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'nqp.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 900_000,
  });
  assert.equal(r.status, 0, r.stderr.split('\n').slice(-6).join('\n'));
  const { chromium: pw } = require('playwright-core');
  const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    for (const name of names) {
      const page = await openPage(browser, join(out, `${name}.html`));
      const charts: Chart[] = await page.evaluate(CHARTS_JS);
      assert.ok(charts.length > 0, `${name}: no charts drawn`);
      checkCharts(charts, name);
      for (const c of charts)
        assert.match(c.title, /[\u4e00-\u9fff]/, `${name}: chart title not in Chinese: ${c.title}`);
      await page.screenshot({ path: join(out, `${name}-zh.png`), fullPage: true });
    }
  } finally {
    await browser.close();
  }
});
