import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { feols } from '../../src/estimate';
import { getLang, glossary, say, setLang, tr, trSpec } from '../../src/lang';
import {
  againstCritical,
  compareCoef,
  describeCoef,
  heterogeneityClaims,
  mechanismClaims,
  provenance,
  robustnessClaims,
  significance,
  simpleTable,
} from '../../src/report';
import { fixtureTable } from '../helpers';

// One source, two languages: every computed sentence has an English and a Chinese form, chosen by setLang; fixed
// texts of tables and charts come from data/glossary.csv, whose terms are those of the Chinese literature.
const CJK = /[\u4e00-\u9fff]/g;
const cjkShare = (s: string) => {
  const han = (s.match(CJK) ?? []).length;
  const latin = (s.replace(/[\w/-]+\.\w+|\b(p|SE|ab|c'|NQP|OLS|2SLS)\b/g, '').match(/[A-Za-z]+/g) ?? []).join(
    '',
  ).length;
  return han / Math.max(1, han + latin);
};
const inBoth = <T>(f: () => T): { en: T; zh: T } => {
  const before = getLang();
  try {
    setLang('en');
    const en = f();
    setLang('zh');
    return { en, zh: f() };
  } finally {
    setLang(before);
  }
};

/** The terms the issue names, as the Chinese literature writes them; all must be in the one glossary file. */
const REQUIRED = [
  '新质生产力',
  '城市经济韧性',
  '劳动者',
  '劳动资料',
  '劳动对象',
  '熵值法',
  '双向固定效应',
  '工具变量',
  '稳健性检验',
  '中介效应',
  '机制检验',
  '异质性分析',
  '产业结构升级',
  '人才集聚',
  '技术创新',
  '资源型城市',
  '政府参与度',
  '行政级别',
  '聚类稳健标准误',
  '自助法',
  '置换检验',
  '三线表',
  '括号内为聚类稳健标准误',
  '*、**、*** 分别表示在 10%、5%、1% 水平上显著',
];

test('the glossary holds every required term once, each with an English and a Chinese form', () => {
  const rows = glossary();
  const terms = rows.filter((r) => r.kind === 'term');
  for (const zh of REQUIRED)
    assert.ok(
      terms.some((r) => r.zh === zh),
      `glossary term ${zh}`,
    );
  const en = rows.map((r) => r.en);
  assert.equal(new Set(en).size, en.length, `duplicate English entries: ${en.filter((e, i) => en.indexOf(e) !== i)}`);
  // The file is plain CSV with a header, readable by any tool.
  assert.match(readFileSync(join(__dirname, '..', '..', 'data', 'glossary.csv'), 'utf8'), /^kind,en,zh\n/);
});

test('every phrase says a glossary term the glossary way: the English names it, so the Chinese uses it', () => {
  const rows = glossary();
  const terms = rows.filter((r) => r.kind === 'term' && /^[a-z -]+$/i.test(r.en) && r.en.length > 8);
  const bad: string[] = [];
  for (const p of rows.filter((r) => r.kind === 'phrase'))
    for (const t of terms)
      if (p.en.toLowerCase().includes(t.en.toLowerCase()) && !p.zh.includes(t.zh)) bad.push(`${p.en} → ${p.zh}`);
  assert.deepEqual(bad, []);
});

test('tr: exact phrases, numbered placeholders (translated in turn), and unknown text unchanged', () => {
  assert.equal(tr('Table 1. Descriptive statistics', 'zh'), '表 1 描述性统计');
  assert.equal(tr('Table 1. Descriptive statistics', 'en'), 'Table 1. Descriptive statistics');
  assert.equal(
    tr('Figure 6. NQP index by city and province, 2021', 'zh'),
    '图 6 分省份、分城市的新质生产力指数（2021 年）',
  );
  assert.equal(tr('City fixed effects', 'zh'), '城市固定效应');
  assert.equal(
    tr('Standard errors in parentheses, clustered by City. * p < 0.1, ** p < 0.05, *** p < 0.01.', 'zh'),
    '括号内为聚类稳健标准误（按城市聚类）；*、**、*** 分别表示在 10%、5%、1% 水平上显著。',
  );
  assert.equal(tr('something the glossary lacks', 'zh'), 'something the glossary lacks');
  // A chart: titles and data values a reader sees change; field names and operations do not.
  const spec = {
    title: 'Figure 2. New quality productivity by region',
    data: { values: [{ region: 'Baseline', year: 2010 }] },
    encoding: { y: { field: 'mean', aggregate: 'mean', title: 'Controls' } },
  };
  const zh = trSpec(spec, 'zh');
  assert.equal(zh.title, '图 2 分地区新质生产力');
  assert.equal(zh.data.values[0].region, '基准回归');
  assert.equal(zh.encoding.y.field, 'mean');
  assert.equal(zh.encoding.y.aggregate, 'mean');
  assert.equal(zh.encoding.y.title, '控制变量');
  assert.throws(() => setLang('fr' as 'en'), /LANG takes 'en' or 'zh'/);
});

test('every narration sentence has both forms: English under en, Chinese under zh, same numbers', () => {
  const g = fixtureTable('grunfeld.csv');
  const a = feols(g, 'inv ~ value + capital', { vcov: 'iid' });
  const b = feols(g, 'inv ~ value + capital | firm', { vcov: { cluster: 'firm' } });
  const sentences = inBoth(() => [
    significance(0.004),
    significance(0.78),
    significance(Number.NaN),
    describeCoef(a, 'value'),
    compareCoef(a, b, 'value'),
    compareCoef(b, a, 'value'),
    againstCritical(189.3, 16.38),
    againstCritical(Number.NaN, 16.38),
    provenance(undefined, { cities: 230, years: [2010, 2021] }),
    provenance('/home/x/my_extract.dta'),
    say('grows', '增大'),
  ]);
  const nums = (s: string) => (s.match(/\d+(\.\d+)?/g) ?? []).sort().join(' ');
  sentences.en.forEach((en, i) => {
    const zh = sentences.zh[i];
    assert.ok(cjkShare(en) === 0, `English form has Chinese: ${en}`);
    assert.ok(cjkShare(zh) > 0.5, `Chinese form is not mostly Chinese: ${zh}`);
    assert.equal(nums(zh).replace(/\b1 ?/g, ''), nums(en).replace(/\b1 ?/g, ''), `numbers differ: ${en} / ${zh}`);
  });
  assert.match(sentences.zh[4], /^由 0\.116 减小至 0\.110（为前者的 95%）；其 95% 置信区间/);
  assert.ok(!sentences.zh[9].includes('/home'), 'no absolute path');
});

test("the claims' verdicts, tables and notes have both forms", () => {
  const row = (estimate: number, p: number) => ({
    term: 'nqp',
    estimate,
    std_error: 0.1,
    statistic: estimate / 0.1,
    p_value: p,
    conf_low: estimate - 0.2,
    conf_high: estimate + 0.2,
  });
  const model = (estimate: number, p: number) =>
    ({ coefficients: [row(estimate, p)], vcov: { clusters: [{ name: 'city_code', count: 230 }] } }) as never;
  const med = {
    total: row(0.47, 0.001),
    clusters: 230,
    bootstrap: { reps: 1000, seed: 1 },
    mediators: [
      {
        mediator: 'indus',
        indirect: 0.04,
        percentileCI: [0.02, 0.06],
        biasCorrectedCI: [0.02, 0.06],
        direct: row(0.4, 0.001),
      },
      {
        mediator: 'innov',
        indirect: 0.01,
        percentileCI: [-0.01, 0.03],
        biasCorrectedCI: [-0.01, 0.03],
        direct: row(0.4, 0.5),
      },
    ],
  } as never;
  const split = (difference: number, p: number) =>
    ({
      difference,
      interaction: { p_value: p },
      interactionGroupYear: { p_value: p },
      suest: { p_value: p },
      studentized: { pOneSided: p },
    }) as never;
  const out = inBoth(() => {
    const r = robustnessClaims([
      { label: 'Baseline', model: model(0.47, 0.001), term: 'nqp' },
      { label: 'No municipalities', model: model(0.1, 0.4), term: 'nqp' },
    ]);
    const m = mechanismClaims(med, { indus: 'Industrial upgrading', innov: 'Innovation' });
    const h = heterogeneityClaims([
      { result: split(0.1, 0.01), claim: 'The effect is larger in non-resource-based cities' },
      { result: split(-0.1, 0.5), claim: 'The effect is larger with high government participation' },
    ]);
    return [...r.verdict, ...m.verdict, ...h.verdict, r.table.toHtml(), m.table.toHtml(), h.table.toHtml()];
  });
  out.en.forEach((en, i) => {
    const zh = out.zh[i];
    assert.notEqual(zh, en);
    assert.ok(/[\u4e00-\u9fff]/.test(zh), `no Chinese in the zh form: ${zh.slice(0, 120)}`);
  });
  assert.match(out.zh[0], /原文的稳健性结论.*不成立：2 个设定中有 1 个系数为正/);
  assert.match(out.zh.join('\n'), /互补型中介/);
  // Table headers and yes/no cells follow the language too.
  assert.match(out.zh[out.zh.length - 3], /<th[^>]*>设定<\/th>/);
});

test('a table built under zh has a Chinese title, headers and notes; numbers unchanged', () => {
  const t = inBoth(() =>
    simpleTable([{ estimator: 'Pooled OLS', estimate: 0.4771 }], {
      title: 'Table 4. Estimators against the true effect (latent variables)',
      notes: ['Clustered by city. MC s.e. = sd of estimates / √draws.'],
    }).toHtml(),
  );
  assert.match(t.zh, /表 4 各估计量与真实效应的比较/);
  assert.match(t.zh, /<th[^>]*>估计量<\/th>/);
  assert.match(t.zh, /混合 OLS/);
  assert.match(t.zh, /0\.4771/);
  assert.match(t.en, /0\.4771/);
});
