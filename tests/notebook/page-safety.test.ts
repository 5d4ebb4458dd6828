import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { notebookToHtml, type Notebook } from '../../src/notebook/html';
import { simpleTable } from '../../src/report';

// A researcher's city name, label or column name can carry markup. In an exported page it must show as text (or
// be dropped) and never run: checked in headless Chromium, which reports any script that runs.
const HOSTILE = [
  '<script>window.__pwned = "script"</script>',
  '<img src=x onerror="window.__pwned = \'img\'">',
  '<svg onload="window.__pwned = \'svg\'"></svg>',
  '[click](javascript:window.__pwned="link")',
  '<iframe src="javascript:parent.__pwned=\'iframe\'"></iframe>',
];

function hostileNotebook(): Notebook {
  const rows = HOSTILE.map((h, i) => ({ city: `City ${i} ${h}`, value: i }));
  const table = simpleTable(rows, { title: `Table <b onmouseover="x()">${HOSTILE[0]}</b>`, notes: [HOSTILE[1]] });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: 'markdown', source: `# Page\n\n${HOSTILE.join('\n\n')}` },
      {
        cell_type: 'code',
        source: 'show(table)',
        execution_count: 1,
        outputs: [
          { output_type: 'display_data', data: { 'text/markdown': table.toMarkdown() }, metadata: {} },
          { output_type: 'display_data', data: { 'text/html': table.toHtml() }, metadata: {} },
          { output_type: 'display_data', data: { 'text/html': HOSTILE.join('') }, metadata: {} },
          { output_type: 'stream', name: 'stdout', text: HOSTILE.join('\n') },
        ],
      },
    ],
  } as unknown as Notebook;
}

test('exported page: no hostile markup survives the sanitiser (static check)', () => {
  const html = notebookToHtml(hostileNotebook(), 'hostile');
  const body = html.slice(html.indexOf('<body'));
  // Our own page scripts carry no user text; every remaining <script> is ours (vega, the chart loader).
  assert.doesNotMatch(body, /<script>window\.__pwned/);
  // No real tag (escaped text starts with &lt;) carries an event handler, a javascript: link or an iframe.
  assert.doesNotMatch(body, /<[a-z][^>]*\son[a-z]+\s*=/i);
  assert.doesNotMatch(body, /href="javascript:/i);
  assert.doesNotMatch(body, /<iframe/i);
  // Table cells keep the name as text.
  assert.match(body, /City 0 &lt;script&gt;/);
});

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

test('exported page: hostile names run nothing in Chromium and show as text in tables', {
  skip: chromium ? false : 'Chromium not installed (apt-get install chromium): browser check skipped',
}, async () => {
  const dir = join(__dirname, '..', '.tmp', 'page-safety');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'hostile.html');
  writeFileSync(file, notebookToHtml(hostileNotebook(), 'hostile'));
  const { chromium: pw } = require('playwright-core');
  const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', async (d: { message(): string; dismiss(): Promise<void> }) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    await page.goto(`file://${file}`);
    await page.waitForTimeout(300);
    // Hover and click everything a user might touch.
    for (const el of await page.$$('body *')) {
      try {
        await el.hover({ timeout: 50 });
      } catch {}
    }
    for (const a of await page.$$('a')) {
      try {
        await a.click({ timeout: 100 });
      } catch {}
    }
    const pwned = await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned);
    assert.equal(pwned, undefined, `injected code ran: ${pwned}`);
    assert.deepEqual(dialogs, []);
    const text = await page.evaluate(() => document.body.textContent);
    assert.match(text, /City 0 <script>window\.__pwned = "script"<\/script>/, 'table cell shows the name as text');
  } finally {
    await browser.close();
  }
});
