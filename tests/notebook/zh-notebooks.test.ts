import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NOTEBOOKS } from '../../src/notebook/run';
import { LANG_SETTING } from '../../src/notebook/lang';

// One source notebook, two languages. Statically: every notebook has the LANG setting and the setLang cell, every
// markdown cell its Chinese text, every exercise its Chinese prompt, and every sentence a code cell prints has both
// forms. Executed (all five by default, about 4 minutes on 2 cores; NQP_ZH_NOTEBOOKS=index for one): the English and
// the Chinese run give the same numbers, and the Chinese page's prose is Chinese, with the topic's glossary terms.
const ROOT = join(__dirname, '..', '..');
const TMP = join(ROOT, 'tests', '.tmp', 'zh-notebooks');
type Cell = { cell_type: string; id: string; source: string[] | string; metadata?: any; outputs?: any[] };
const src = (c: Cell) => (Array.isArray(c.source) ? c.source.join('') : c.source);
const read = (file: string): { cells: Cell[] } => JSON.parse(readFileSync(file, 'utf8'));

/** The glossary terms each page's topic needs. */
const TOPIC: Record<string, string[]> = {
  index: ['新质生产力', '城市经济韧性', '劳动者', '劳动资料', '劳动对象', '熵值法', '描述性统计'],
  baseline: [
    '新质生产力',
    '城市经济韧性',
    '双向固定效应',
    '控制变量',
    '聚类稳健标准误',
    '城市固定效应',
    '年份固定效应',
  ],
  robustness: ['稳健性检验', '工具变量', '内生性', '聚类稳健标准误', '自助法', '弱工具变量'],
  mechanisms: ['机制检验', '中介效应', '产业结构升级', '人才集聚', '技术创新', '自助法'],
  heterogeneity: ['异质性分析', '资源型城市', '政府参与度', '行政级别', '置换检验', '聚类稳健标准误'],
};

test('every notebook: LANG setting, setLang cell, Chinese markdown and prompts, both forms of each sentence', () => {
  for (const name of NOTEBOOKS) {
    const nb = read(join(ROOT, 'notebooks', `${name}.ipynb`));
    const code = nb.cells.filter((c) => c.cell_type === 'code');
    assert.ok(
      code.some((c) => LANG_SETTING.test(src(c))),
      `${name}: settings cell has const LANG = 'en' as 'en' | 'zh';`,
    );
    assert.ok(
      code.some((c) => /setLang\(LANG\)/.test(src(c))),
      `${name}: a cell calls setLang(LANG)`,
    );
    for (const c of nb.cells) {
      if (c.cell_type === 'markdown')
        assert.equal(typeof c.metadata?.nqp?.zh, 'string', `${name} cell ${c.id}: markdown without metadata.nqp.zh`);
      if (c.metadata?.nqp?.exercise)
        assert.equal(typeof c.metadata.nqp.zh_prompt, 'string', `${name} cell ${c.id}: exercise without zh_prompt`);
    }
    // A printed string literal with English words must come with its Chinese form (say(...) or a LANG branch).
    for (const c of code)
      for (const line of src(c).split('\n')) {
        if (!line.includes('console.log(') || /say\(|LANG === 'zh'/.test(line)) continue;
        const literal = line.match(/(['`"])(?:(?!\1).)*[A-Za-z]{3,} [A-Za-z]{3,}(?:(?!\1).)*\1/);
        assert.equal(literal, null, `${name} cell ${c.id}: a sentence without its Chinese form: ${line.trim()}`);
      }
  }
});

/** Prose a reader sees: markdown (without code, formulas and links), printed text, HTML text, chart texts. */
function prose(nb: { cells: Cell[] }): string[] {
  const out: string[] = [];
  const spec = (x: unknown, key = ''): void => {
    if (typeof x === 'string') {
      if (key === 'title' || key === 'text') out.push(x);
    } else if (Array.isArray(x)) x.forEach((v) => spec(v, key));
    else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) spec(v, k);
  };
  for (const c of nb.cells) {
    if (c.cell_type === 'markdown')
      out.push(
        ...src(c)
          .replace(/\$\$[\s\S]*?\$\$|\$[^$]*\$|`[^`]*`|\]\([^)]*\)/g, ' ')
          .split('\n'),
      );
    for (const o of c.outputs ?? []) {
      if (o.output_type === 'stream' && o.name === 'stdout') out.push(...[o.text].flat().join('').split('\n'));
      const d = o.data ?? {};
      if (d['text/html'])
        out.push(
          ...[d['text/html']]
            .flat()
            .join('')
            .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
            .split(/<[^>]+>/),
        );
      for (const [k, v] of Object.entries(d)) if (k.includes('vega')) spec(v);
    }
  }
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
  return out.map((s) => s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e) => entities[e]).trim()).filter(Boolean);
}

/** Three or more English words in a row, outside code, variable names, formulas and citations. */
const ENGLISH = /\b[A-Za-z][a-z]{2,}(?:[ ,;:-]+[A-Za-z][a-z]{1,}){2,}/;
const ALLOWED = [
  /\b(Zhao, Lynch & Chen|Baum, Schaffer & Stillman|Chung & Romano|Cameron & Miller|Martin et al|Stock–Yogo)\b/g,
  /\b(Kleibergen–Paap rk (Wald F|LM)|Cragg–Donald Wald F|Frisch–Waugh–Lovell|Journal of Chongqing University)\b/g,
  /\b\w+\.(csv|json|dta|xlsx|md)\b/g,
  // A provenance line's settings echo code: `CONTROLS = lnpgdp, open, fin` names variables, not English prose.
  /\b[A-Z][A-Z_]* = [^；;]*/g,
];
/**
 * The numbers with decimals a page shows, sorted. Left out: elapsed times (progress bars) and the significance
 * convention, which Chinese journals write in percent (10%、5%、1%) where the English note writes p < 0.1, 0.05, 0.01.
 */
const numbers = (lines: string[]) =>
  lines
    .join(' ')
    .replace(/\* p < 0\.1, \*\* p < 0\.05, \*\*\* p < 0\.01/g, '')
    .replace(/\d+(\.\d+)? s\)/g, '')
    .match(/-?\d+\.\d+/g)
    ?.sort() ?? [];

const which = process.env.NQP_ZH_NOTEBOOKS === 'index' ? ['index'] : [...NOTEBOOKS];
for (const name of which) {
  test(`${name}: English and Chinese runs give the same numbers; the Chinese page's prose is Chinese`, () => {
    const run = (lang: string) => {
      const out = join(TMP, lang);
      const r = spawnSync(
        process.execPath,
        [join(ROOT, 'bin', 'nqp.js'), 'reproduce', '--only', name, '--lang', lang, '--out', out],
        { cwd: ROOT, encoding: 'utf8', timeout: 600_000 },
      );
      assert.equal(r.status, 0, r.stderr.split('\n').slice(-6).join('\n'));
      return read(join(out, `${name}.ipynb`));
    };
    rmSync(TMP, { recursive: true, force: true });
    mkdirSync(TMP, { recursive: true });
    const en = prose(run('en'));
    const zh = prose(run('zh'));
    // The numbers with decimals (estimates, weights, means, p-values) are the same, only the words around them differ.
    assert.deepEqual(numbers(zh), numbers(en));
    const text = zh.join('\n');
    const han = (text.match(/[\u4e00-\u9fff]/g) ?? []).length;
    const latin = (text.match(/[A-Za-z]/g) ?? []).length;
    assert.ok(han > 2 * latin, `${name}: ${han} Chinese characters against ${latin} Latin letters`);
    for (const term of TOPIC[name]) assert.ok(text.includes(term), `${name}: the page never says ${term}`);
    const english = zh.filter((s) => ENGLISH.test(ALLOWED.reduce((t, re) => t.replace(re, ' '), s)));
    assert.deepEqual(english, [], `${name}: English sentences on the Chinese page`);
    assert.match(readFileSync(join(TMP, 'zh', `${name}.html`), 'utf8'), /<html lang="zh-CN">/);
  });
}
