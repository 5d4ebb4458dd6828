import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as aq from 'arquero';
import {
  loadPanel,
  loadCities,
  loadCodebook,
  dataDir,
  readDta,
  interpolate,
  winsorize,
  logTransform,
  lagColumn,
  cityMedianSplit,
  DERIVED,
} from '../../src/data';
import { panelCsv } from '../../src/simulate';
import { errCode, writeDta118, writeXlsx } from '../helpers';

const TMP = join(__dirname, '..', '.tmp', 'data');
mkdirSync(TMP, { recursive: true });
const tmp = (name: string, content: string | Buffer) => {
  const p = join(TMP, name);
  writeFileSync(p, content);
  return p;
};

test('the committed default panel is byte-identical to a fresh generation', () => {
  const g = panelCsv();
  assert.equal(
    readFileSync(join(dataDir(), 'panel.csv'), 'utf8'),
    g.panel,
    'data/panel.csv differs from `npm run data` output',
  );
  assert.equal(readFileSync(join(dataDir(), 'latent.csv'), 'utf8'), g.latent, 'data/latent.csv differs');
  assert.equal(readFileSync(join(dataDir(), 'truth.json'), 'utf8'), g.truth, 'data/truth.json differs');
});

test('default panel: 230 cities × 2010–2021, balanced, 1–3% missing cells, a few unit slips', () => {
  const { data, report } = loadPanel();
  assert.equal(report.rows, 2760);
  assert.equal(report.cities, 230);
  assert.deepEqual(
    report.years,
    Array.from({ length: 12 }, (_, i) => 2010 + i),
  );
  assert.equal(report.balanced, true);
  const raw = report.missing.filter(
    (m) => !['nat_gdp_growth', 'internet_nat_lag', 'post1984', 'area', 'pop', 'gdp'].includes(m.variable),
  );
  const share = raw.reduce((s, m) => s + m.count, 0) / (raw.length * 2760);
  assert.ok(share > 0.01 && share < 0.03, `missing share ${share}`);
  const truth = JSON.parse(readFileSync(join(dataDir(), 'truth.json'), 'utf8'));
  assert.equal(truth.edits.outliers.length, 10);
  assert.ok(data.columnNames().includes('lnpgdp') && data.columnNames().includes('iv_post'));
  assert.match(String(report), /230 cities × 12 years/);
});

test('city facts: municipalities, sub-provincial cities, capitals, resource share, unique codes', () => {
  const c = loadCities();
  assert.equal(c.length, 230);
  assert.equal(new Set(c.map((x) => x.city_code)).size, 230);
  const names = (lvl: string) =>
    c
      .filter((x) => x.admin_level === lvl)
      .map((x) => x.name_zh)
      .sort();
  assert.deepEqual(names('municipality'), ['上海', '北京', '天津', '重庆'].sort());
  assert.deepEqual(
    names('sub-provincial city'),
    [
      '广州',
      '深圳',
      '南京',
      '杭州',
      '济南',
      '青岛',
      '武汉',
      '成都',
      '西安',
      '沈阳',
      '大连',
      '长春',
      '哈尔滨',
      '宁波',
      '厦门',
    ].sort(),
  );
  // All 27 capitals of provinces and autonomous regions: 10 are sub-provincial, 17 listed as provincial capitals.
  assert.equal(names('provincial capital').length, 17);
  const share = c.filter((x) => x.resource_based === 1).length / c.length;
  assert.ok(share >= 0.35 && share <= 0.45, `resource-based share ${share}`);
  for (const x of c) {
    assert.ok(x.lat > 18 && x.lat < 54 && x.lon > 73 && x.lon < 135, `${x.name_en} coordinates`);
    assert.ok(['east', 'central', 'west', 'northeast'].includes(x.region));
    assert.ok(['non-resource', 'growing', 'mature', 'declining', 'regenerating'].includes(x.resource_type));
    assert.equal(
      String(x.city_code).slice(0, 2),
      String(c.find((y) => y.province === x.province)!.city_code).slice(0, 2),
      `${x.name_en}: code prefix matches province`,
    );
  }
  assert.equal(c.find((x) => x.name_zh === '大庆')!.resource_type, 'mature');
  assert.equal(c.find((x) => x.name_zh === '唐山')!.resource_type, 'regenerating');
});

test('codebook: every panel and derived column, ≥15 NQP and ≥9 resilience indicators with directions', () => {
  const cb = loadCodebook();
  const names = new Set(cb.map((e) => e.name));
  const header = readFileSync(join(dataDir(), 'panel.csv'), 'utf8').split('\n')[0].split(',');
  for (const h of header) assert.ok(names.has(h), `panel column ${h} in codebook`);
  for (const d of DERIVED) assert.ok(names.has(d.name), `derived ${d.name} in codebook`);
  const nqp = cb.filter((e) => e.role === 'nqp_indicator');
  assert.ok(nqp.length >= 15);
  assert.deepEqual([...new Set(nqp.map((e) => e.dimension))].sort(), [
    'labourers',
    'means of labour',
    'objects of labour',
  ]);
  assert.ok(cb.filter((e) => e.role === 'resilience_indicator').length >= 9);
  for (const e of [...nqp, ...cb.filter((x) => x.role === 'resilience_indicator')])
    assert.ok(e.direction === '+' || e.direction === '-', e.name);
  for (const r of ['control', 'mediator', 'grouping', 'instrument'])
    assert.ok(
      cb.some((e) => e.role === r),
      r,
    );
});

const header = readFileSync(join(dataDir(), 'panel.csv'), 'utf8').split('\n').slice(0, 4).join('\n') + '\n';

test('bad input: each a clear error with a code and a place', () => {
  assert.match(
    errCode(() => loadPanel(join(TMP, 'absent.csv'))),
    /^FILE_NOT_FOUND/,
  );
  assert.match(
    errCode(() => loadPanel(tmp('panel.feather', 'x'))),
    /^UNKNOWN_FORMAT/,
  );
  assert.match(
    errCode(() => loadPanel(tmp('semi.csv', header.replace(/,/g, ';')))),
    /^BAD_DELIMITER @ .*line 1/,
  );
  const lines = header.trim().split('\n');
  const cells = lines[2].split(',');
  cells[4] = 'n/a?';
  assert.match(
    errCode(() => loadPanel(tmp('text.csv', [lines[0], lines[1], cells.join(','), lines[3]].join('\n')))),
    /^NON_NUMERIC @ line 3, column "rd_it_share" \(city 110000, 2011\)/,
  );
  assert.match(
    errCode(() => loadPanel(tmp('dup.csv', [lines[0], lines[1], lines[1]].join('\n')))),
    /^DUPLICATE_KEY @ city 110000, 2010/,
  );
  assert.match(
    errCode(() => loadPanel(tmp('year.csv', [lines[0], lines[1].replace(',2010,', ',2031,')].join('\n')))),
    /^YEAR_OUT_OF_RANGE @ line 2/,
  );
  assert.match(
    errCode(() => loadPanel(tmp('empty.csv', ''))),
    /^EMPTY_FILE/,
  );
  assert.match(
    errCode(() => loadPanel(tmp('headonly.csv', lines[0] + '\n'))),
    /^EMPTY_FILE/,
  );
  assert.match(
    errCode(() => loadPanel(tmp('city.csv', [lines[0], lines[1].replace(/^110000/, '999999')].join('\n')))),
    /^UNKNOWN_CITY @ city 999999/,
  );
});

test('missing column: names the column and the closest match', () => {
  const lines = header.trim().split('\n');
  const renamed = [lines[0].replace(',wage,', ',wages,'), ...lines.slice(1)].join('\n');
  assert.match(
    errCode(() => loadPanel(tmp('renamed.csv', renamed))),
    /^MISSING_COLUMN @ column "wage"/,
  );
  try {
    loadPanel(join(TMP, 'renamed.csv'));
  } catch (e) {
    assert.match((e as Error).message, /closest: "wages"/);
  }
});

test('Stata .dta (format 118) and .xlsx read the same panel as CSV; a truncated .dta is refused', () => {
  const { data } = loadPanel(undefined, { derive: false });
  const small = data
    .filter((d: any) => d.year <= 2011)
    .select(readFileSync(join(dataDir(), 'panel.csv'), 'utf8').split('\n')[0].split(','));
  const names = small.columnNames();
  const cols = names.map((n: string) => Float64Array.from(small.array(n) as ArrayLike<number>, Number));
  const dta = writeDta118(names, cols);
  const pd = tmp('panel.dta', dta);
  const a = loadPanel(pd, { years: [2010, 2011] });
  assert.equal(a.report.format, 'dta');
  assert.equal(a.report.rows, 460);
  assert.deepEqual(
    Array.from(a.data.array('wage') as Float64Array).slice(0, 5),
    Array.from(cols[names.indexOf('wage')]).slice(0, 5),
  );
  assert.equal(
    a.report.missing.find((m) => m.variable === 'wage')!.count,
    Array.from(cols[names.indexOf('wage')]).filter(Number.isNaN).length,
  );
  assert.match(
    errCode(() => loadPanel(tmp('cut.dta', dta.subarray(0, dta.length - 5000)), { years: [2010, 2011] })),
    /^TRUNCATED_FILE/,
  );
  assert.match(
    errCode(() => loadPanel(tmp('cut2.dta', dta.subarray(0, 300)), { years: [2010, 2011] })),
    /^TRUNCATED_FILE/,
  );
  // Strings round-trip too.
  const s = readDta(writeDta118(['name', 'x'], [['Beijing', "Xi'an"], Float64Array.from([1.5, NaN])]), 'inline');
  assert.deepEqual(s.columns, [
    ['Beijing', "Xi'an"],
    ['1.5', ''],
  ]);
  const rows = Array.from({ length: small.numRows() }, (_, i) =>
    names.map((_n: string, c: number) => (Number.isNaN(cols[c][i]) ? null : cols[c][i])),
  );
  const px = tmp('panel.xlsx', writeXlsx(names, rows));
  const b = loadPanel(px, { years: [2010, 2011] });
  assert.equal(b.report.format, 'xlsx');
  assert.deepEqual(Array.from(b.data.array('gdp') as Float64Array), Array.from(a.data.array('gdp') as Float64Array));
});

test('cleaning: interpolation within city, winsorising, refused logs, lags that respect gaps', () => {
  const t = aq.table({
    city_code: Int32Array.from([1, 1, 1, 1, 2, 2, 2]),
    year: Int32Array.from([2010, 2011, 2012, 2014, 2010, 2011, 2012]),
    x: Float64Array.from([1, NaN, 3, NaN, NaN, 5, 7]),
  });
  const i = interpolate(t as any, ['x']);
  assert.deepEqual(
    Array.from(i.data.array('x') as Float64Array).map((v) => (Number.isNaN(v) ? null : v)),
    [1, 2, 3, null, null, 5, 7],
  );
  assert.equal(i.report.changed[0].count, 1);
  assert.match(i.report.changed[0].detail!, /2 left missing/);
  const w = winsorize(aq.table({ x: Float64Array.from({ length: 101 }, (_, k) => k) }) as any, ['x'], {
    lower: 0.05,
    upper: 0.95,
  });
  assert.deepEqual(w.cutoffs.x, [5, 95]);
  assert.equal(w.report.changed[0].count, 10);
  assert.match(
    errCode(() =>
      logTransform(aq.table({ city_code: [1, 1], year: [2010, 2011], x: Float64Array.from([1, 0]) }) as any, ['x']),
    ),
    /^NON_POSITIVE_LOG @ column "x": city 1 2011/,
  );
  const l = lagColumn(t as any, 'x', 1);
  // 2014 has no 2013 row: missing, not 2012's value.
  assert.deepEqual(
    Array.from(l.data.array('x_l1') as Float64Array).map((v) => (Number.isNaN(v) ? null : v)),
    [null, 1, null, null, null, null, 5],
  );
  const sp = cityMedianSplit(
    aq.table({ city_code: [1, 1, 2, 2, 3, 3], g: Float64Array.from([1, 3, 5, 5, 9, 11]) }) as any,
    'g',
  );
  assert.equal(sp.median, 5);
  assert.deepEqual(Array.from(sp.data.array('high_g') as Float64Array), [0, 0, 0, 0, 1, 1]);
});
