import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPanel, readFrame } from '../../src/data';
import { thousandsWarnings } from '../../src/data/panel-checks';
import { isText, textAt, type Frame } from '../../src/data/frame';
import { feols, parseVcovText, wildBootstrap, withVcov } from '../../src/estimate';
import { NqpError } from '../../src/errors';
import { fixtureTable, gbkEncode, writeDta118, writeXlsx } from '../helpers';

// The catalogue of bad inputs (issue: "zero cases where bad input yields a number without a word"). Every case
// either asserts the error — its code and the column, row, line, cell or flag it names — or the exact corrected
// result. Classes: formula, model, cell, file format, encoding, hostile file, command line (pages: see
// tests/notebook/page-safety.test.ts).
const ROOT = join(__dirname, '..', '..');
const TMP = join(ROOT, 'tests', '.tmp', 'bad-inputs');
mkdirSync(TMP, { recursive: true });
const g = fixtureTable('grunfeld.csv');
const PANEL = readFileSync(join(ROOT, 'data', 'panel.csv'), 'utf8');
const PANEL_LINES = PANEL.trimEnd().split('\n');

function file(name: string, content: string | Buffer): string {
  const p = join(TMP, name);
  writeFileSync(p, content);
  return p;
}

/** The error of fn as "CODE | where | message", or 'no error'. */
function err(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof NqpError) return `${e.code} | ${e.where} | ${e.message}`;
    throw e;
  }
  return 'no error';
}

function expectErr(fn: () => unknown, code: string, ...patterns: RegExp[]): void {
  const e = err(fn);
  assert.ok(e.startsWith(`${code} |`), `expected ${code}, got: ${e}`);
  for (const p of patterns) assert.match(e, p);
}

/** The default panel with line `line` (1-based, header = 1) changed by `edit`. */
function panelWith(edit: (cells: string[], header: string[]) => void, line = 3): string {
  const lines = PANEL_LINES.slice();
  const header = lines[0].split(',');
  const cells = lines[line - 1].split(',');
  edit(cells, header);
  lines[line - 1] = cells.map((c) => (c.includes(',') ? `"${c}"` : c)).join(',');
  return `${lines.join('\n')}\n`;
}
const col = (name: string) => PANEL_LINES[0].split(',').indexOf(name);

function csvCell(value: string, delimiter = ','): Frame {
  return readFrame(file('cell.csv', `id${delimiter}x\n1${delimiter}1\n2${delimiter}${value}\n3${delimiter}3\n`), {
    delimiter,
  });
}
const num = (f: Frame, name = 'x') => {
  const c = f.columns.get(name);
  assert.ok(c && !isText(c), `${name} is a number column`);
  return Array.from(c as Float64Array);
};

const cases: { cls: string; name: string; run: () => void }[] = [];
const add = (cls: string, name: string, run: () => void) => cases.push({ cls, name, run });

// ---- formula -------------------------------------------------------------------------------------------------
const F =
  (f: string, ...p: RegExp[]) =>
  () =>
    expectErr(() => feols(g, f), 'FORMULA_SYNTAX', ...p);
add('formula', 'empty formula', F('', /empty/));
add('formula', 'no tilde', F('inv value', /position/));
add('formula', 'no regressor', F('inv ~', /position 6/, /expected a variable name after "~"/));
add('formula', 'dangling plus', F('inv ~ value +', /after "\+"/));
add('formula', 'empty fixed-effect part', F('inv ~ value |', /fixed effect/));
add('formula', 'unexpected character', F('inv ~ value $ capital', /unexpected character "\$"/));
add('formula', 'unknown function', F('inv ~ sqrt(value)', /unknown function "sqrt\(\)"/));
add('formula', 'x^2 outside I()', F('inv ~ value^2 | firm', /I\(value\^2\)/));
add('formula', 'log base 1', F('inv ~ log(value, 1)', /base/));
add('formula', 'fractional lag', F('inv ~ l(value, 1.5) | firm', /whole/));
add('formula', 'IV part without instrument', F('inv ~ capital | firm | value ~', /instrument/));
add('formula', 'two IV parts', F('inv ~ 1 | value ~ capital | year ~ capital', /only one IV part/));
add('formula', 'minus a term', F('inv ~ value - capital', /minus/));
add('formula', 'a number other than 0 or 1', F('inv ~ 2 + value', /1 or 0/));
add('formula', 'I() with a sum', F('inv ~ I(value + capital)', /I\(\) holds/));
add('formula', 'i() interacted', F('inv ~ i(year):value | firm', /cannot be interacted/));
add('formula', 'dangling colon', F('inv ~ value: | firm', /after ":"/));
add('formula', 'unclosed quote in ref', F("inv ~ i(year, ref = '1935) | firm", /never closes/));
add('formula', 'unclosed parenthesis', F('inv ~ log(value', /to close log\(/));
add('formula', 'unknown variable, closest named', () =>
  expectErr(() => feols(g, 'inv ~ valeu'), 'UNKNOWN_VARIABLE', /"valeu"/, /closest is "value"/),
);
add('formula', 'unknown fixed effect, closest named', () =>
  expectErr(() => feols(g, 'inv ~ value | frim'), 'UNKNOWN_VARIABLE', /"frim"/, /closest is "firm"/),
);
add('formula', 'outcome on the right-hand side', () =>
  expectErr(() => feols(g, 'inv ~ value + inv'), 'OUTCOME_ON_RHS', /"inv"/),
);
add('formula', 'reference level not in the group', () =>
  expectErr(() => feols(g, 'inv ~ i(year, value, ref = 1900) | firm'), 'UNKNOWN_VARIABLE', /"1900" is not a level/),
);
add('formula', 'fewer instruments than endogenous', () =>
  expectErr(() => feols(g, 'inv ~ 1 | firm | value + capital ~ year'), 'NOT_IDENTIFIED', /2 endogenous/),
);
add('formula', 'lag without panel keys', () =>
  expectErr(() => feols(g, 'inv ~ l(value)', { panel: null }), 'MISSING_KEYS', /--panel/),
);
add('formula', 'log of a negative value, row named (log(0) drops the row: see est25)', () => {
  const t = require('arquero').table({ y: [1, 2, 3, 4], x: [1, -2, 2, 3] });
  expectErr(() => feols(t, 'y ~ log(x, 10)'), 'NON_POSITIVE_LOG', /row 2/, /log\(x, 10\)/);
});

// ---- model ---------------------------------------------------------------------------------------------------
const aq = require('arquero');
const tbl = (cols: Record<string, unknown[]>) => aq.table(cols);
add('model', 'constant outcome', () =>
  expectErr(() => feols(tbl({ y: [1, 1, 1, 1], x: [1, 2, 3, 5] }), 'y ~ x'), 'CONSTANT_OUTCOME', /"y"/),
);
add('model', 'every row missing', () =>
  expectErr(() => feols(tbl({ y: [1, null, 3], x: [null, 2, null] }), 'y ~ x'), 'NO_OBSERVATIONS', /3 rows/),
);
add('model', 'Infinity in a regressor: column and row', () =>
  expectErr(() => feols(tbl({ y: [1, 2, 3, 4], x: [1, Infinity, 3, 2] }), 'y ~ x'), 'NON_FINITE', /"x"/, /row 2/),
);
add('model', 'text in a regressor: column and row', () =>
  expectErr(() => feols(tbl({ y: [1, 2, 3, 4], x: ['1', 'two', '3', '4'] }), 'y ~ x'), 'NON_NUMERIC', /row 2/),
);
add('model', 'fixed effect with one level', () =>
  expectErr(
    () => feols(tbl({ y: [1, 2, 3, 5], x: [1, 3, 2, 4], f: ['a', 'a', 'a', 'a'] }), 'y ~ x | f'),
    'SINGLE_LEVEL_FE',
    /"f"/,
  ),
);
add('model', 'unknown cluster variable', () =>
  expectErr(() => feols(g, 'inv ~ value', { vcov: { cluster: 'frm' } }), 'UNKNOWN_VARIABLE', /"frm"/),
);
add('model', 'cluster with one level', () =>
  expectErr(
    () => feols(tbl({ y: [1, 2, 3, 5], x: [1, 3, 2, 4], c: [1, 1, 1, 1] }), 'y ~ x', { vcov: { cluster: 'c' } }),
    'BAD_CLUSTER',
    /"c" has 1 level/,
  ),
);
add('model', 'more parameters than observations', () =>
  expectErr(() => feols(tbl({ y: [1, 2, 4], x: [1, 3, 2], z: [2, 1, 7] }), 'y ~ x + z'), 'TOO_FEW_OBSERVATIONS'),
);
add('model', 'regressor absorbed by the fixed effects: dropped and named', () => {
  const m = feols(g, 'inv ~ value + firm | firm');
  assert.deepEqual(m.droppedTerms, [{ term: 'firm', reason: 'absorbed' }]);
  assert.ok(m.notes.some((n) => /firm \(absorbed\)/.test(n)));
});
add('model', 'collinear regressor: dropped and named', () => {
  const t = tbl({ y: [1, 3, 2, 5, 4, 6], x: [1, 2, 3, 4, 5, 7], z: [2, 4, 6, 8, 10, 14] });
  const m = feols(t, 'y ~ x + z');
  assert.deepEqual(m.droppedTerms, [{ term: 'z', reason: 'collinear' }]);
});
add('model', 'perfect fit: SEs 0, t/p/CI missing, a warning', () => {
  const m = feols(tbl({ y: [2, 4, 6, 8, 10], x: [1, 2, 3, 4, 5] }), 'y ~ x');
  assert.equal(m.coefficients[1].std_error, 0);
  assert.ok(Number.isNaN(m.coefficients[1].p_value));
  assert.ok(m.warnings.some((w) => /Perfect fit/.test(w)));
});
add('model', 'few clusters: a warning pointing to the wild bootstrap', () => {
  const m = feols(g, 'inv ~ value | year', { vcov: { cluster: 'firm' } });
  assert.ok(m.warnings.some((w) => /Only 10 clusters/.test(w) && /wildBootstrap/.test(w)));
});
add('model', 'instruments absorbed by the fixed effects', () =>
  expectErr(() => feols(g, 'inv ~ 1 | firm + year | value ~ year'), 'NOT_IDENTIFIED', /instrument/),
);
add('model', 'duplicate panel keys under a lag', () => {
  const t = tbl({ id: [1, 1, 1], t: [1, 1, 2], y: [1, 2, 3], x: [3, 1, 2] });
  expectErr(() => feols(t, 'y ~ l(x)', { panel: { id: 'id', time: 't' } }), 'DUPLICATE_KEY', /id 1/, /t 1/);
});
add('model', 'vcov text without a variable', () => expectErr(() => parseVcovText('cluster:'), 'BAD_VCOV'));
add('model', 'unsupported vcov', () =>
  expectErr(() => feols(g, 'inv ~ value', { vcov: 'hc3' as never }), 'BAD_VCOV', /hc3/),
);
add('model', 'misspelt option named with the closest', () =>
  expectErr(() => feols(g, 'inv ~ value', { vcvo: 'iid' } as never), 'BAD_OPTION', /"vcvo"/, /"vcov"/),
);
add('model', 'ssc preset not known', () =>
  expectErr(() => feols(g, 'inv ~ value', { ssc: { preset: 'stata' as never } }), 'BAD_OPTION', /ssc\.preset/),
);
add('model', 'level outside (0, 1)', () =>
  expectErr(() => feols(g, 'inv ~ value', { level: 95 }), 'BAD_OPTION', /level/),
);
add('model', 'negative tolerance', () => expectErr(() => feols(g, 'inv ~ value', { tol: -1 }), 'BAD_OPTION', /tol/));
add('model', 'singletons value misspelt', () =>
  expectErr(() => feols(g, 'inv ~ value', { singletons: 'remove' as never }), 'BAD_OPTION', /singletons/),
);
add('model', 'withVcov on a copied result', () =>
  expectErr(() => withVcov(JSON.parse(JSON.stringify(feols(g, 'inv ~ value'))), 'hc1'), 'NO_FIT_STATE', /fit state/),
);
add('model', 'wild bootstrap on an unclustered model', () =>
  expectErr(() => wildBootstrap(feols(g, 'inv ~ value', { vcov: 'iid' }), 'value'), 'BAD_OPTION', /cluster/),
);
add('model', 'wild bootstrap with too few draws', () =>
  expectErr(() => wildBootstrap(feols(g, 'inv ~ value | firm'), 'value', { reps: 9 }), 'BAD_OPTION', /reps/),
);
add('model', 'wild bootstrap on a perfect fit: no t statistic', () => {
  const t = tbl({ y: [2, 4, 6, 8, 10, 12], x: [1, 2, 3, 4, 5, 6], c: ['a', 'a', 'b', 'b', 'c', 'c'] });
  const m = feols(t, 'y ~ x', { vcov: { cluster: 'c' } });
  expectErr(() => wildBootstrap(m, 'x', { reps: 99 }), 'BAD_OPTION', /perfect fit/);
});
add('model', 'missing cluster values: rows dropped and counted', () => {
  const t = tbl({ y: [1, 3, 2, 5, 4, 6], x: [1, 2, 3, 4, 6, 5], c: ['a', 'a', 'b', null, 'b', 'c'] });
  const m = feols(t, 'y ~ x', { vcov: { cluster: 'c' } });
  assert.equal(m.fit.nObs, 5);
  assert.ok(m.notes.some((n) => /1 observation dropped: missing value in cluster variable c/.test(n)));
});

// ---- cells ---------------------------------------------------------------------------------------------------
const cellIs =
  (v: string, want: number, delimiter = ',') =>
  () =>
    assert.deepEqual(num(csvCell(v, delimiter)), [1, want, 3]);
const cellBad =
  (v: string, reason: RegExp, delimiter = ',') =>
  () =>
    expectErr(() => csvCell(v, delimiter), 'BAD_CELL', /line 3/, /column "x"/, reason);
const cellMissing = (v: string) => () => {
  const f = csvCell(v);
  assert.ok(Number.isNaN(num(f)[1]));
  assert.equal(f.facts.get('x')?.missing, 1);
};
add('cell', 'thousands separators are read and counted', () => {
  const f = csvCell('"41,890"');
  assert.deepEqual(num(f), [1, 41890, 3]);
  assert.equal(f.facts.get('x')?.thousands, 1);
});
add('cell', 'thousands with decimals', cellIs('"1,234,567.5"', 1234567.5));
add('cell', 'decimal comma refused', cellBad('"3,5"', /decimal comma/));
add('cell', 'decimal comma, two digits', cellBad('"1,23"', /decimal comma/));
add('cell', 'decimal comma, four digits', cellBad('"12,3456"', /decimal comma/));
add('cell', 'comma with ; as delimiter', cellBad('1,500', /decimal comma/, ';'));
add('cell', 'hexadecimal refused', cellBad('0x1F', /hexadecimal/));
add('cell', 'Infinity refused', cellBad('Infinity', /not a finite number/));
add('cell', '-inf refused', cellBad('-inf', /not a finite number/));
add('cell', 'NaN text refused', cellBad('NaN', /not a finite number/));
add('cell', 'overflow refused', cellBad('1e309', /overflows/));
add('cell', 'NA is missing', cellMissing('NA'));
add('cell', '. is missing', cellMissing('.'));
add('cell', '— is missing', cellMissing('—'));
add('cell', 'empty is missing', cellMissing(''));
add('cell', 'N/A is missing', cellMissing('N/A'));
add('cell', 'spaces around a number', cellIs(' 12 ', 12));
add('cell', 'leading plus', cellIs('+5', 5));
add('cell', 'leading point', cellIs('.5', 0.5));
add('cell', 'exponent', cellIs('1e-3', 0.001));
add(
  'cell',
  '17 significant digits parse as Number() does',
  cellIs('0.12345678901234567', Number('0.12345678901234567')),
);
add('cell', 'text makes a text column', () => {
  const c = csvCell('12%').columns.get('x');
  assert.ok(c && isText(c) && textAt(c, 1) === '12%' && textAt(c, 0) === '1');
});
add('cell', 'a text cell in a codebook number column: line and city named', () =>
  expectErr(
    () =>
      loadPanel(
        file(
          'pct.csv',
          panelWith((c) => (c[col('urban_rate')] = '45%'), 40),
        ),
      ),
    'NON_NUMERIC',
    /line 40/,
    /"urban_rate"/,
    /\(city \d{6}, 20\d\d\)/,
  ),
);
add('cell', 'decimal comma in the panel: line and column', () =>
  expectErr(
    () =>
      loadPanel(
        file(
          'dc.csv',
          panelWith((c) => (c[col('wage')] = '33708,5'), 7),
        ),
      ),
    'BAD_CELL',
    /line 7/,
    /"wage"/,
  ),
);
add('cell', 'quoted field with a newline keeps the file lines', () => {
  const f = readFrame(file('nl.csv', 'id,name,x\n1,"two\nlines",5\n2,b,6\n'));
  assert.deepEqual(Array.from(f.lines), [2, 4]);
  assert.deepEqual(num(f), [5, 6]);
});
add('cell', 'CRLF line ends', () =>
  assert.deepEqual(num(readFrame(file('crlf.csv', 'id,x\r\n1,2\r\n2,3\r\n'))), [2, 3]),
);
add('cell', 'byte-order mark stripped from the first name', () =>
  assert.deepEqual(readFrame(file('bom.csv', '\ufeffid,x\n1,2\n')).names, ['id', 'x']),
);
add('cell', 'blank lines skipped', () => assert.equal(readFrame(file('blank.csv', 'id,x\n1,2\n\n\n2,3\n')).n, 2));
add('cell', 'two numbers in one cell are text', () => {
  const c = csvCell('1.5.2').columns.get('x');
  assert.ok(c && isText(c));
});

// ---- file format ---------------------------------------------------------------------------------------------
add('file', 'missing file', () => expectErr(() => readFrame(join(TMP, 'nope.csv')), 'FILE_NOT_FOUND'));
add('file', 'a folder', () => expectErr(() => readFrame(TMP), 'BAD_FILE', /folder/));
add('file', 'empty file', () => expectErr(() => readFrame(file('empty.csv', '')), 'EMPTY_FILE'));
add('file', 'header only (panel)', () =>
  expectErr(() => loadPanel(file('head.csv', `${PANEL_LINES[0]}\n`)), 'EMPTY_FILE', /no rows/),
);
add('file', 'unknown extension', () => expectErr(() => readFrame(file('p.json', '{}')), 'UNKNOWN_FORMAT', /\.json/));
add('file', 'semicolon-separated read with commas', () =>
  expectErr(() => readFrame(file('semi.csv', 'id;x\n1;2\n')), 'BAD_DELIMITER', /semicolons/),
);
add('file', 'tab-separated read with commas', () =>
  expectErr(() => readFrame(file('tab.csv', 'id\tx\n1\t2\n')), 'BAD_DELIMITER', /tabs/),
);
add('file', 'a row with an extra field', () =>
  expectErr(() => readFrame(file('extra.csv', 'id,x\n1,2\n2,3,4\n')), 'BAD_FILE', /line 3/, /3 fields/),
);
add('file', 'a row with a missing field', () =>
  expectErr(() => readFrame(file('short.csv', 'id,x\n1,2\n2\n')), 'BAD_FILE', /line 3/, /1 fields/),
);
add('file', 'unclosed quote', () =>
  expectErr(() => readFrame(file('quote.csv', 'id,x\n1,"2\n2,3\n')), 'BAD_FILE', /line 2/, /never closes/),
);
add('file', 'duplicate header', () =>
  expectErr(() => readFrame(file('dup.csv', 'id,x,x\n1,2,3\n')), 'BAD_FILE', /"x" appears twice/),
);
add('file', 'empty header name', () =>
  expectErr(() => readFrame(file('noname.csv', 'id,,x\n1,2,3\n')), 'BAD_FILE', /column 2/),
);
add('file', 'every missing column listed at once, each with its closest', () => {
  const text = PANEL.replace(/^city_code,year,wage,students/, 'city_code,year,wages,studnts');
  expectErr(() => loadPanel(file('miss2.csv', text)), 'MISSING_COLUMN', /"wage".*"wages"/, /"students".*"studnts"/);
});
add('file', 'duplicate city-years listed', () => {
  const lines = PANEL_LINES.slice();
  lines.push(lines[1], lines[2]);
  expectErr(() => loadPanel(file('dupkey.csv', `${lines.join('\n')}\n`)), 'DUPLICATE_KEY', /2 duplicate/, /line 2/);
});
add('file', 'year out of range', () =>
  expectErr(
    () =>
      loadPanel(
        file(
          'year.csv',
          panelWith((c) => (c[1] = '2030')),
        ),
      ),
    'YEAR_OUT_OF_RANGE',
    /2030/,
    /line 3/,
  ),
);
add('file', 'unknown city code', () =>
  expectErr(
    () =>
      loadPanel(
        file(
          'city.csv',
          panelWith((c) => (c[0] = '999999')),
        ),
      ),
    'UNKNOWN_CITY',
    /999999/,
  ),
);
add('file', 'fractional city code', () =>
  expectErr(
    () =>
      loadPanel(
        file(
          'frac.csv',
          panelWith((c) => (c[0] = '110000.5')),
        ),
      ),
    'NON_NUMERIC',
    /city_code/,
  ),
);
add('file', 'case-only differences mapped and reported', () => {
  const { report } = loadPanel(file('case.csv', PANEL.replace(/^city_code,year,wage/, 'City_Code,YEAR,Wage')));
  assert.deepEqual(
    report.renamed.map((r) => `${r.from}→${r.to}`),
    ['City_Code→city_code', 'YEAR→year', 'Wage→wage'],
  );
});
add('file', 'Chinese column names mapped and reported', () => {
  const { report } = loadPanel(file('zh.csv', PANEL.replace(/^city_code,year,wage/, '城市代码,年份,职工平均工资')));
  assert.deepEqual(
    report.renamed.map((r) => r.why),
    ['Chinese name', 'Chinese name', 'Chinese name'],
  );
});
add('file', 'city names instead of codes', () => {
  const cities = readFileSync(join(ROOT, 'data', 'cities.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const zh = new Map(cities.map((l) => [l.split(',')[0], l.split(',')[1]]));
  const lines = PANEL_LINES.map((l, i) =>
    i === 0 ? l.replace(/^city_code/, '城市') : l.replace(/^\d+/, (c) => zh.get(c) ?? c),
  );
  const { data, report } = loadPanel(file('names.csv', `${lines.join('\n')}\n`));
  assert.equal(report.cityNames, '城市');
  assert.equal(data.numRows(), 2760);
});
add('file', 'unknown city name listed', () => {
  const lines = PANEL_LINES.map((l, i) => (i === 0 ? l.replace(/^city_code/, 'city') : l.replace(/^\d+/, 'Atlantis')));
  expectErr(() => loadPanel(file('atl.csv', `${lines.join('\n')}\n`)), 'UNKNOWN_CITY', /"Atlantis"/);
});
add('file', 'GDP 10⁴ times too large: named warning', () => {
  const lines = PANEL_LINES.map((l, i) => {
    if (i === 0) return l;
    const c = l.split(',');
    c[col('gdp')] = String(Number(c[col('gdp')]) * 1e4);
    return c.join(',');
  });
  const { report } = loadPanel(file('wan.csv', `${lines.join('\n')}\n`));
  assert.ok(
    report.warnings.some((w) => /"gdp".*10000× too large/.test(w)),
    report.warnings.join('; '),
  );
});
add('file', 'a percentage given as a share: named warning', () => {
  const lines = PANEL_LINES.map((l, i) => {
    if (i === 0) return l;
    const c = l.split(',');
    c[col('urban_rate')] = String(Number(c[col('urban_rate')]) / 100);
    return c.join(',');
  });
  const { report } = loadPanel(file('share.csv', `${lines.join('\n')}\n`));
  assert.ok(report.warnings.some((w) => /"urban_rate".*100× too small.*Multiply by 100/.test(w)));
});
add('file', 'xlsx: unknown sheet lists the sheets', () =>
  expectErr(() => readFrame(file('s.xlsx', writeXlsx(['a'], [[1]])), { sheet: 'Data' }), 'BAD_SHEET', /"panel"/),
);
add('file', 'xlsx: duplicate header', () =>
  expectErr(() => readFrame(file('d.xlsx', writeXlsx(['a', 'a'], [[1, 2]]))), 'BAD_FILE', /"a" appears twice/),
);
add('file', 'xlsx: a row longer than the header', () =>
  expectErr(() => readFrame(file('l.xlsx', writeXlsx(['a'], [[1, 2]]))), 'BAD_FILE', /column B/, /row 2/),
);
const sheet = (rows: string) =>
  `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData>`;
const head = '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>';
add('file', 'xlsx: formula without a cached value', () =>
  expectErr(
    () =>
      readFrame(
        file(
          'f.xlsx',
          writeXlsx([], [], { sheetXml: `${sheet(`${head}<row r="2"><c r="A2"><f>1+1</f></c></row>`)}</worksheet>` }),
        ),
      ),
    'BAD_CELL',
    /cell A2/,
    /formula/,
  ),
);
add('file', 'xlsx: merged cells', () =>
  expectErr(
    () =>
      readFrame(
        file(
          'm.xlsx',
          writeXlsx([], [], {
            sheetXml: `${sheet(head)}<mergeCells><mergeCell ref="A2:A3"/></mergeCells></worksheet>`,
          }),
        ),
      ),
    'BAD_FILE',
    /A2:A3/,
  ),
);
add('file', 'xlsx: a date-formatted cell', () => {
  const styles =
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>';
  const x = writeXlsx([], [], {
    sheetXml: `${sheet(`${head}<row r="2"><c r="A2" s="1"><v>44197</v></c></row>`)}</worksheet>`,
    parts: { 'xl/styles.xml': styles },
  });
  expectErr(() => readFrame(file('date.xlsx', x)), 'BAD_CELL', /cell A2/, /date/);
});
add('file', 'xlsx: not a zip', () =>
  expectErr(() => readFrame(file('bad.xlsx', 'hello')), 'BAD_FILE', /not a readable/),
);
add('file', '.dta truncated', () => {
  const b = writeDta118(['x'], [Float64Array.from([1, 2, 3])]);
  expectErr(() => readFrame(file('t.dta', b.subarray(0, b.indexOf('<data>') + 12))), 'TRUNCATED_FILE');
});
add('file', 'sheet option on a CSV', () =>
  expectErr(() => readFrame(file('s.csv', 'a\n1\n'), { sheet: 'x' }), 'BAD_SHEET', /sheet/),
);
add('file', 'names like __proto__, constructor, toString load and fit', () => {
  const f = readFrame(file('proto.csv', '__proto__,constructor,toString\n1,2,3\n2,4,5\n3,5,9\n4,9,11\n'));
  assert.deepEqual(f.names, ['__proto__', 'constructor', 'toString']);
  const { frameSource } = require('../../src/data/frame');
  const m = feols(frameSource(f), '__proto__ ~ constructor + toString');
  assert.equal(m.coefficients.length, 3);
});

// ---- encoding ------------------------------------------------------------------------------------------------
// GBK bytes of 北京 (B1 B1 BE A9) and 城市 (B3 C7 CA D0), written directly.
const GBK_BEIJING = Buffer.from([0xb1, 0xb1, 0xbe, 0xa9]);
const GBK_CITY = Buffer.from([0xb3, 0xc7, 0xca, 0xd0]);
add('encoding', 'GBK file decoded as GB18030', () => {
  const bytes = Buffer.concat([GBK_CITY, Buffer.from(',x\n'), GBK_BEIJING, Buffer.from(',1\n')]);
  const f = readFrame(file('gbk.csv', bytes));
  assert.equal(f.encoding, 'gb18030');
  assert.deepEqual(f.names, ['城市', 'x']);
  const c = f.columns.get('城市');
  assert.ok(c && isText(c) && textAt(c, 0) === '北京');
});
add('encoding', 'UTF-8 with BOM and Chinese', () => {
  const f = readFrame(file('u8.csv', '\ufeff城市,x\n北京,1\n'));
  assert.equal(f.encoding, 'utf-8');
  assert.deepEqual(f.names, ['城市', 'x']);
});
add('encoding', 'bytes valid in neither UTF-8 nor GB18030', () =>
  expectErr(
    () => readFrame(file('junk.csv', Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xff, 0xff, 0x2c, 0x31, 0x0a]))),
    'BAD_ENCODING',
  ),
);
add('encoding', 'UTF-16 (NUL bytes) refused as binary', () =>
  expectErr(() => readFrame(file('u16.csv', Buffer.from('\ufeffa,b\n1,2\n', 'utf16le'))), 'BAD_FILE', /binary/),
);
add('encoding', 'mixed UTF-8 and GBK lines refused, naming both lines', () => {
  const bytes = Buffer.concat([Buffer.from('city,x\n北京,1\n'), GBK_BEIJING, Buffer.from(',2\n')]);
  expectErr(() => readFrame(file('mixed.csv', bytes)), 'BAD_ENCODING', /line 2 is UTF-8 but line 3 is not/);
});

// ---- hostile files ---------------------------------------------------------------------------------------------
// Each ends with the answer asserted here; how fast is measured by `npm run bench` (its "hostile" section), not by a
// wall clock in a test, which fails on a busy machine.
const fast = (name: string, fn: () => void) => add('hostile', name, fn);
fast('100,000 header columns load', () => {
  const names = Array.from({ length: 100_000 }, (_, i) => `c${i}`);
  const f = readFrame(file('wide.csv', `${names.join(',')}\n${names.map((_, i) => i).join(',')}\n`));
  assert.equal(f.names.length, 100_000);
});
fast('binary file named .csv', () =>
  expectErr(() => readFrame(file('bin.csv', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]))), 'BAD_FILE', /binary/),
);
fast('.dta declaring 10^15 observations', () => {
  const b = writeDta118(['x'], [Float64Array.from([1])]);
  const at = b.indexOf('<N>') + 3;
  b.writeBigUInt64LE(10n ** 15n, at);
  expectErr(() => readFrame(file('huge.dta', b)), 'TRUNCATED_FILE', /1000000000000000 observations/);
});
fast('.dta declaring 65,535 variables', () => {
  const b = writeDta118(['x'], [Float64Array.from([1])]);
  const at = b.indexOf('<K>') + 3;
  b.writeUInt16LE(65535, at);
  expectErr(() => readFrame(file('wide.dta', b)), 'TRUNCATED_FILE');
});
// 120 MB of zeros compress to about 120 KB: built once, outside the timed part.
const BOMB = (() => {
  const { zipSync } = require('fflate');
  const zeros = new Uint8Array(120 << 20);
  return Buffer.from(zipSync({ 'xl/workbook.xml': new Uint8Array(10), 'xl/worksheets/sheet1.xml': zeros }));
})();
fast('.xlsx zip bomb refused from its declared size', () =>
  expectErr(() => readFrame(file('bomb.xlsx', BOMB)), 'BAD_FILE', /zip bomb/),
);
fast('.xlsx with an unclosed <row>', () =>
  expectErr(
    () => readFrame(file('open.xlsx', writeXlsx([], [], { sheetXml: sheet('<row r="1">'.repeat(50_000)) }))),
    'BAD_FILE',
    /never closes/,
  ),
);
fast('.xlsx with 200,000 unclosed cells in one row', () =>
  expectErr(
    () =>
      readFrame(
        file(
          'cells.xlsx',
          writeXlsx([], [], { sheetXml: `${sheet(`<row r="1">${'<c r="A1">'.repeat(200_000)}</row>`)}</worksheet>` }),
        ),
      ),
    'BAD_FILE',
    /never closes/,
  ),
);
fast('a 10 MB field', () => {
  const f = readFrame(file('long.csv', `id,note\n1,${'a'.repeat(10 << 20)}\n2,b\n`));
  assert.equal(f.n, 2);
});
fast('a million blank lines', () =>
  assert.equal(readFrame(file('blanks.csv', `id,x\n1,2\n${'\n'.repeat(1_000_000)}2,3\n`)).n, 2),
);

// ---- command line --------------------------------------------------------------------------------------------
const nqp = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'bin', 'nqp.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
const cliErr =
  (args: string[], ...p: RegExp[]) =>
  () => {
    const r = nqp(...args);
    assert.notEqual(r.status, 0, `exit ${r.status}: ${r.stdout.slice(0, 200)}`);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
    for (const x of p) assert.match(r.stderr, x);
  };
const G = ['--data', 'tests/fixtures/grunfeld.csv', '--formula', 'inv ~ value | firm'];
add('cli', 'misspelt --vocv names --vcov', cliErr(['fit', ...G, '--vocv', 'iid'], /--vcov/));
add('cli', 'misspelt --dat names --data', cliErr(['fit', '--dat', 'x.csv'], /--data/));
add('cli', 'repeated --data', cliErr(['fit', ...G, '--data', 'x.csv'], /--data/));
add('cli', 'fit without --data', cliErr(['fit', '--formula', 'y ~ x'], /--data/));
add('cli', '--vcov cluster: without a variable', cliErr(['fit', ...G, '--vcov', 'cluster:'], /cluster/));
add('cli', '--panel with one name', cliErr(['fit', ...G, '--panel', 'firm'], /--panel/));
add('cli', '--level 95', cliErr(['fit', ...G, '--level', '95'], /level/));
add('cli', '--ssc stata', cliErr(['fit', ...G, '--ssc', 'stata'], /--ssc takes fixest or reghdfe/));
add('cli', '--seed without --wild-bootstrap', cliErr(['fit', ...G, '--seed', '3'], /--wild-bootstrap/));
add('cli', '--wild-bootstrap 1e3', cliErr(['fit', ...G, '--wild-bootstrap', '1e3'], /whole number/));
add('cli', 'a stray positional argument', cliErr(['fit', ...G, 'extra'], /Unexpected argument "extra"/));
add('cli', 'unknown command', cliErr(['fitt'], /fit/));
add(
  'cli',
  'reproduce with a missing data file (before any kernel)',
  cliErr(['reproduce', '--data', 'nope.csv'], /nope\.csv/),
);
add('cli', 'reproduce with --out under a file', () =>
  cliErr(['reproduce', '--out', file('not-a-dir.txt', 'x').concat('/pages')], /--out/, /cannot write there/)(),
);
add('cli', 'reproduce with --out where nothing can be made', cliErr(['reproduce', '--out', '/proc/nqp-out'], /--out/));
add('cli', 'reproduce a notebook where the package cannot be imported', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nqp-nb-'));
  const nb = join(dir, 'copy.ipynb');
  writeFileSync(nb, readFileSync(join(ROOT, 'notebooks', 'baseline.ipynb')));
  cliErr(['reproduce', '--only', nb, '--out', join(dir, 'out')], /cannot import 'nqp-resilience'/, /npm install/)();
});
add(
  'cli',
  'data: an extract without --out (data/ holds the default panel)',
  cliErr(['data', '--null-effect'], /needs --out/),
);
add(
  'cli',
  'data: --years backwards',
  cliErr(['data', '--out', TMP, '--years', '2019-2011'], /the first before the last/),
);
add(
  'cli',
  'data: --years outside the model',
  cliErr(['data', '--out', TMP, '--years', '2005-2012'], /within 2010–2021/),
);
add('cli', 'data: --years one number', cliErr(['data', '--out', TMP, '--years', '2015'], /--years takes FROM-TO/));
add('cli', 'data: --cities 5', cliErr(['data', '--out', TMP, '--cities', '5'], /from 10 to 230/));
add('cli', 'data: --cities 12.5', cliErr(['data', '--out', TMP, '--cities', '12.5'], /whole number/));
add('cli', 'help and version exit 0 with the grammar', () => {
  for (const a of [['--help'], ['--version'], ['fit', '--help'], ['reproduce', '--help']]) {
    const r = nqp(...a);
    assert.equal(r.status, 0, a.join(' '));
  }
  assert.match(nqp('fit', '--help').stdout, /i\(g, x, ref = r\)/);
});
add('cli', 'fixed-effect codes "1.1" and "1.10" are two groups', () => {
  const rows = ['g,y,x', '1.1,1,1', '1.1,2,3', '1.10,5,2', '1.10,7,5', '1.2,3,4', '1.2,4,1'];
  const p = file('codes.csv', `${rows.join('\n')}\n`);
  const out = JSON.parse(nqp('fit', '--data', p, '--formula', 'y ~ x | g', '--vcov', 'iid', '--json').stdout);
  // Three groups of two: 6 rows − 3 group means − 1 slope = 2 residual degrees of freedom.
  assert.equal(out.df_resid, 2);
  assert.ok(
    out.warnings.some((w: string) => /"1.1" and "1.10"/.test(w)),
    'the equal-as-numbers pair is named',
  );
});

// ---- issue 25: everyday exports, encodings, units, spreadsheets, Parquet decimals, hostile text ---------------
/** The default panel with each data row's cells changed by `edit(cells, year)`. */
function panelEach(edit: (cells: string[], year: number) => void, header?: (h: string[]) => void): string {
  const lines = PANEL_LINES.map((l, i) => {
    const c = l.split(',');
    if (i === 0) header?.(c);
    else edit(c, Number(c[1]));
    return c.map((x) => (x.includes(',') ? `"${x}"` : x)).join(',');
  });
  return `${lines.join('\n')}\n`;
}
const scaleIn = (name: string, factor: number, from: number, to: number) =>
  panelEach((c, y) => {
    if (y >= from && y <= to && c[col(name)] !== '') c[col(name)] = String(Number(c[col(name)]) * factor);
  });
const CITY_ROWS = readFileSync(join(ROOT, 'data', 'cities.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1);

// Encoding decided per file: GBK names whose bytes are also valid UTF-8 (太原 = CC AB D4 AD) are not "mixed".
add('encoding', 'every city and province name in GBK, one per line, reads back', () => {
  const names = [...new Set(CITY_ROWS.flatMap((l) => [l.split(',')[1], l.split(',')[3]]))];
  const f = readFrame(file('gbk-names.csv', gbkEncode(`name,k\n${names.map((n, i) => `${n},${i}`).join('\n')}\n`)));
  assert.equal(f.encoding, 'gb18030');
  const c = f.columns.get('name');
  assert.ok(c && isText(c));
  assert.deepEqual(
    names.map((_, r) => textAt(c, r)),
    names,
  );
});
add('encoding', 'GBK 太原 (valid UTF-8 bytes) beside GBK 北京: one GBK file', () => {
  const f = readFrame(file('taiyuan.csv', gbkEncode('城市,x\n太原,1\n北京,2\n')));
  const c = f.columns.get('城市');
  assert.ok(c && isText(c) && textAt(c, 0) === '太原' && textAt(c, 1) === '北京');
});
add('encoding', 'GBK file whose first non-ASCII line is valid UTF-8', () => {
  const f = readFrame(file('taiyuan2.csv', gbkEncode('city,x\n太原,1\n长治,2\n')));
  assert.equal(f.encoding, 'gb18030');
  const c = f.columns.get('city');
  assert.ok(c && isText(c) && textAt(c, 0) === '太原');
});
add('encoding', 'data/cities.csv saved as GBK reads as the UTF-8 original', () => {
  const text = readFileSync(join(ROOT, 'data', 'cities.csv'), 'utf8');
  const a = readFrame(file('cities-u8.csv', text));
  const b = readFrame(file('cities-gbk.csv', gbkEncode(text)));
  for (const name of ['name_zh', 'province_zh']) {
    const x = a.columns.get(name);
    const y = b.columns.get(name);
    assert.ok(x && y && isText(x) && isText(y));
    assert.deepEqual(y.labels, x.labels, name);
  }
});
add('encoding', 'GBK panel with Chinese city names loads all 230 cities', () => {
  const zh = new Map(CITY_ROWS.map((l) => [l.split(',')[0], l.split(',')[1]]));
  const lines = PANEL_LINES.map((l, i) =>
    i === 0 ? l.replace(/^city_code/, '城市') : l.replace(/^\d+/, (c) => zh.get(c) ?? c),
  );
  const { data, report } = loadPanel(file('gbk-panel.csv', gbkEncode(`${lines.join('\n')}\n`)));
  assert.equal(report.encoding, 'gb18030');
  assert.equal(report.cities, 230);
  assert.equal(data.numRows(), 2760);
});
add('encoding', 'UTF-8 太原 then GBK 北京: mixed, both lines named', () => {
  const bytes = Buffer.concat([Buffer.from('city,x\n太原,1\n'), GBK_BEIJING, Buffer.from(',2\n')]);
  expectErr(() => readFrame(file('mixed2.csv', bytes)), 'BAD_ENCODING', /line 2 is UTF-8 but line 3 is not/);
});
add('encoding', 'GBK line first, UTF-8 line (odd bytes, invalid GBK) later: mixed', () => {
  const bytes = Buffer.concat([Buffer.from('city,x\n'), GBK_BEIJING, Buffer.from(',1\n京,2\n')]);
  expectErr(() => readFrame(file('mixed3.csv', bytes)), 'BAD_ENCODING', /line 3 is UTF-8 but line 2 is not/);
});

// Units changed part-way through a column: each year checked against the codebook's plausible range.
add('file', 'GDP in 万元 for 2018–2021 only: column, years and 10⁴ named', () => {
  const { report } = loadPanel(file('gdp-part.csv', scaleIn('gdp', 1e4, 2018, 2021)));
  assert.ok(
    report.warnings.some((w) => /"gdp".*years 2018–2021.*10000× too large \(10⁴\)/.test(w)),
    report.warnings.join('; '),
  );
});
add('file', 'urban_rate as a share for 2010–2014 only: years and 10² named', () => {
  const { report } = loadPanel(file('urban-part.csv', scaleIn('urban_rate', 0.01, 2010, 2014)));
  assert.ok(
    report.warnings.some((w) => /"urban_rate".*years 2010–2014.*100× too small \(10²\).*Multiply by 100/.test(w)),
    report.warnings.join('; '),
  );
});
add('file', 'one year in the wrong unit: that year named', () => {
  const { report } = loadPanel(file('gdp-2015.csv', scaleIn('gdp', 1e4, 2015, 2015)));
  assert.ok(
    report.warnings.some((w) => /"gdp".*in year 2015 /.test(w)),
    report.warnings.join('; '),
  );
});
add('file', 'GDP in yuan (10⁸) for 2016–2021', () => {
  const { report } = loadPanel(file('gdp-yuan.csv', scaleIn('gdp', 1e8, 2016, 2021)));
  assert.ok(
    report.warnings.some((w) => /"gdp".*years 2016–2021.*\(10⁸\)/.test(w)),
    report.warnings.join('; '),
  );
});
add('file', 'two separate blocks in the wrong unit: two warnings', () => {
  const text = panelEach((c, y) => {
    if ((y <= 2011 || y >= 2020) && c[col('gdp')] !== '') c[col('gdp')] = String(Number(c[col('gdp')]) * 1e4);
  });
  const w = loadPanel(file('gdp-two.csv', text)).report.warnings.filter((x) => /"gdp"/.test(x));
  assert.equal(w.length, 2, w.join('; '));
  assert.match(w[0], /years 2010–2011/);
  assert.match(w[1], /years 2020–2021/);
});
add('file', 'a whole column in the wrong unit: one column warning, no years', () => {
  const w = loadPanel(file('gdp-all.csv', scaleIn('gdp', 1e4, 2010, 2021))).report.warnings;
  assert.ok(w.some((x) => /"gdp" \(100m yuan\) has median/.test(x)));
  assert.ok(!w.some((x) => /"gdp".*years/.test(x)));
});
add('file', 'GDP ×100 for 2014–2017, two of those years still in range: the whole step named', () => {
  const w = loadPanel(file('gdp-step.csv', scaleIn('gdp', 100, 2014, 2017))).report.warnings;
  assert.equal(w.length, 1, w.join('; '));
  assert.match(w[0], /"gdp".*years 2014–2017.*100× too large \(10²\) against the other years/);
});
add('file', 'population in persons/100 for 2019–2021: a step down named', () => {
  const w = loadPanel(file('pop-step.csv', scaleIn('pop', 0.01, 2019, 2021))).report.warnings;
  assert.ok(
    w.some((x) => /"pop".*years 2019–2021.*100× too small/.test(x)),
    w.join('; '),
  );
});
add('file', 'half the years in the wrong unit: the in-range half is the reference', () => {
  const w = loadPanel(file('gdp-half.csv', scaleIn('gdp', 1e4, 2010, 2015))).report.warnings;
  assert.equal(w.length, 1, w.join('; '));
  assert.match(w[0], /"gdp".*years 2010–2015.*10000× too large \(10⁴\)/);
});
add('file', 'the default panel: no unit warning', () => assert.deepEqual(loadPanel().report.warnings, []));

// Spreadsheets: phonetic runs, namespace prefixes, a missing column named with its sheet.
const sst = (si: string) =>
  `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">${si}</sst>`;
const sstSheet = `${sheet(
  '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>',
)}</worksheet>`;
const firstName = (x: Buffer) => readFrame(file('ph.xlsx', x)).names[0];
add('file', 'xlsx: phonetic run <rPh> in a shared string ignored', () =>
  assert.equal(
    firstName(
      writeXlsx([], [], {
        sheetXml: sstSheet,
        parts: {
          'xl/sharedStrings.xml': sst(
            '<si><t>北京</t><rPh sb="0" eb="2"><t>ベイジン</t></rPh><phoneticPr fontId="1"/></si>',
          ),
        },
      }),
    ),
    '北京',
  ),
);
add('file', 'xlsx: phonetic runs between rich-text runs ignored', () =>
  assert.equal(
    firstName(
      writeXlsx([], [], {
        sheetXml: sstSheet,
        parts: {
          'xl/sharedStrings.xml': sst(
            '<si><r><t>城</t></r><rPh sb="0" eb="1"><t>chéng</t></rPh><r><rPr><b/></rPr><t>市</t></r>' +
              '<rPh sb="1" eb="2"><t>shì</t></rPh></si>',
          ),
        },
      }),
    ),
    '城市',
  ),
);
add('file', 'xlsx: phonetic run in an inline string ignored', () =>
  assert.equal(
    firstName(
      writeXlsx([], [], {
        sheetXml: `${sheet(
          '<row r="1"><c r="A1" t="inlineStr"><is><t>天津</t><rPh sb="0" eb="2"><t>てんしん</t></rPh></is></c>' +
            '</row><row r="2"><c r="A2"><v>1</v></c></row>',
        )}</worksheet>`,
      }),
    ),
    '天津',
  ),
);
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const prefixed = (rows: string) => `<x:worksheet xmlns:x="${NS}"><x:sheetData>${rows}</x:sheetData></x:worksheet>`;
add('file', 'xlsx: sheet XML with a namespace prefix (x:sheetData, x:row, x:c) read', () => {
  const rows =
    '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>id</x:t></x:is></x:c>' +
    '<x:c r="B1" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></x:row>' +
    '<x:row r="2"><x:c r="A2"><x:v>1</x:v></x:c><x:c r="B2"><x:v>2.5</x:v></x:c></x:row>' +
    '<x:row r="3"><x:c r="A3"><x:v>2</x:v></x:c><x:c r="B3"><x:v>3.5</x:v></x:c></x:row>';
  const f = readFrame(file('ns.xlsx', writeXlsx([], [], { sheetXml: prefixed(rows) })));
  assert.deepEqual(f.names, ['id', 'x']);
  assert.deepEqual(num(f), [2.5, 3.5]);
});
add('file', 'xlsx: prefixed workbook and shared strings read', () => {
  const x = writeXlsx([], [], {
    sheetXml: prefixed(
      '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row><x:row r="2"><x:c r="A2"><x:v>7</x:v></x:c></x:row>',
    ),
    parts: {
      'xl/workbook.xml':
        `<x:workbook xmlns:x="${NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
        '<x:sheets><x:sheet name="数据" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>',
      'xl/sharedStrings.xml': `<x:sst xmlns:x="${NS}"><x:si><x:t>gdp</x:t></x:si></x:sst>`,
    },
  });
  const f = readFrame(file('ns2.xlsx', x));
  assert.equal(f.sheet, '数据');
  assert.deepEqual(f.names, ['gdp']);
  assert.deepEqual(num(f, 'gdp'), [7]);
});
add('file', 'xlsx: prefixed merged cells still refused', () =>
  expectErr(
    () =>
      readFrame(
        file(
          'ns3.xlsx',
          writeXlsx([], [], {
            sheetXml: prefixed('<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>').replace(
              '</x:worksheet>',
              '<x:mergeCells><x:mergeCell ref="A2:B2"/></x:mergeCells></x:worksheet>',
            ),
          }),
        ),
      ),
    'BAD_FILE',
    /A2:B2/,
  ),
);
const WB3 =
  `<workbook xmlns="${NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` +
  '<sheet name="说明" sheetId="1" r:id="rId1"/><sheet name="panel" sheetId="2" r:id="rId2"/>' +
  '<sheet name="raw" sheetId="3" r:id="rId3"/></sheets></workbook>';
add('file', 'xlsx: a missing column names the sheet read and lists the other sheets', () =>
  expectErr(
    () => loadPanel(file('wb3.xlsx', writeXlsx(['note'], [['see panel']], { parts: { 'xl/workbook.xml': WB3 } }))),
    'MISSING_COLUMN',
    /sheet "说明"/,
    /other sheets: "panel", "raw"/,
  ),
);
add('file', 'xlsx: a missing column in a one-sheet workbook says it is the only sheet', () =>
  expectErr(
    () => loadPanel(file('wb1.xlsx', writeXlsx(['note'], [['x']]))),
    'MISSING_COLUMN',
    /sheet "panel"/,
    /only sheet/,
  ),
);
add('file', 'CSV: a missing column message names no sheet', () => {
  const e = err(() => loadPanel(file('nocols.csv', 'city_code,year\n110000,2010\n')));
  assert.match(e, /^MISSING_COLUMN/);
  assert.doesNotMatch(e, /sheet "|other sheets|only sheet/);
});

// Parquet DECIMAL: the unscaled integer divided exactly by 10^scale (hyparquet multiplies by 10^-scale).
const { parquetWriteBuffer } = require('hyparquet-writer');
const decimalFile = (name: string, type: string, scale: number, data: unknown[], extra: object = {}) =>
  file(
    name,
    Buffer.from(
      parquetWriteBuffer({
        columnData: [{ name: 'd', data }],
        schema: [
          { name: 'root', num_children: 1 },
          { name: 'd', type, converted_type: 'DECIMAL', scale, precision: 18, repetition_type: 'OPTIONAL', ...extra },
        ],
      }),
    ),
  );
const decimals = (p: string) => num(readFrame(p), 'd');
add('file', 'parquet DECIMAL(9,1) INT32: 55 → 5.5, −3 → −0.3 exactly', () =>
  assert.deepEqual(decimals(decimalFile('dec32.parquet', 'INT32', 1, [55n, -3n, 7n])), [5.5, -0.3, 0.7]),
);
add('file', 'parquet DECIMAL(18,2) INT64 equals the decimal text', () =>
  assert.deepEqual(
    decimals(decimalFile('dec64.parquet', 'INT64', 2, [1234567n, 7n, -10n, 33n])),
    [12345.67, 0.07, -0.1, 0.33],
  ),
);
add('file', 'parquet DECIMAL(38,3) in 16 fixed bytes, negative and beyond 2^53', () =>
  assert.deepEqual(
    decimals(
      decimalFile('dec16.parquet', 'FIXED_LEN_BYTE_ARRAY', 3, [5500n, -1n, 12345678901234567890123n], {
        type_length: 16,
        precision: 38,
      }),
    ),
    [5.5, -0.001, Number('12345678901234567890.123')],
  ),
);
add('file', 'parquet DECIMAL: 500 seeded values each equal Number(their text)', () => {
  let s = 12345;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s;
  };
  const raw = Array.from({ length: 500 }, () => BigInt(rand() - 2 ** 30));
  const want = raw.map((u) => {
    const neg = u < 0n;
    const t = (neg ? -u : u).toString().padStart(5, '0');
    return Number(`${neg ? '-' : ''}${t.slice(0, -4)}.${t.slice(-4)}`);
  });
  assert.deepEqual(decimals(decimalFile('dec-many.parquet', 'INT64', 4, raw)), want);
});
add('file', 'parquet DECIMAL with a missing value: counted as missing', () => {
  const f = readFrame(decimalFile('dec-null.parquet', 'INT32', 2, [150n, null, 25n]));
  assert.deepEqual(
    num(f, 'd').map((v) => (Number.isNaN(v) ? null : v)),
    [1.5, null, 0.25],
  );
  assert.equal(f.facts.get('d')?.missing, 1);
});

// Control characters from the data are written out in every message.
const noRawControls = (e: string) =>
  assert.ok(
    ![...e].some((ch) => {
      const c = ch.charCodeAt(0);
      return (c < 0x20 && c !== 9 && c !== 10) || (c >= 0x7f && c <= 0x9f);
    }),
    JSON.stringify(e),
  );
add('hostile', 'ESC sequence in a header: escaped in the missing-column message', () => {
  const text = PANEL.replace(/^city_code,year,wage/, 'city_code,year,wa\x1bge');
  const e = err(() => loadPanel(file('esc.csv', text)));
  assert.match(e, /^MISSING_COLUMN/);
  assert.match(e, /closest: "wa\\x1bge"/);
  noRawControls(e);
});
add('hostile', 'OSC title sequence with BEL in a cell: escaped in the non-numeric message', () => {
  const e = err(() =>
    loadPanel(
      file(
        'osc.csv',
        panelWith((c) => (c[col('wage')] = '\x1b]0;pwned\x07'), 5),
      ),
    ),
  );
  assert.match(e, /^NON_NUMERIC/);
  assert.match(e, /\\x1b\]0;pwned\\x07/);
  noRawControls(e);
});
add('hostile', 'C1 control (U+009B, CSI) in a duplicate header: escaped', () => {
  const e = err(() => readFrame(file('c1.csv', 'id,\u009b2J,\u009b2J\n1,2,3\n')));
  assert.match(e, /^BAD_FILE/);
  assert.match(e, /\\u009b2J/);
  noRawControls(e);
});
add('hostile', 'right-to-left override in a city name: escaped', () => {
  const lines = PANEL_LINES.map((l, i) =>
    i === 0 ? l.replace(/^city_code/, 'city') : l.replace(/^\d+/, 'evil\u202etxt'),
  );
  const e = err(() => loadPanel(file('bidi.csv', `${lines.join('\n')}\n`)));
  assert.match(e, /^UNKNOWN_CITY/);
  assert.match(e, /evil\\u202etxt/);
  assert.doesNotMatch(e, /\u202e/);
});
add('hostile', 'the where field is escaped too; tabs and line feeds kept', () => {
  const e = new NqpError('BAD_FILE', 'column "\x07x"', 'a\tb\nc\x1b');
  assert.equal(e.where, 'column "\\x07x"');
  assert.equal(e.message, 'a\tb\nc\\x1b');
});
add('hostile', 'a hostile extra column name: escaped in the load report text and the thousands warning', () => {
  const lines = PANEL_LINES.map((l, i) => `${l},${i === 0 ? 'x\x1b[31m' : '"7,820"'}`);
  const { report } = loadPanel(file('esc-report.csv', `${lines.join('\n')}\n`));
  assert.match(report.toString(), /x\\x1b\[31m/);
  noRawControls(report.toString());
  assert.ok(report.warnings.some((w) => /"x\\x1b\[31m": 2760 cells like "7,820"/.test(w)));
});
add('cli', 'a hostile header reaches the terminal escaped', () => {
  const p = file('esc-cli.csv', 'y,\x1b[2J,\x1b[2J\n1,2,3\n2,3,4\n');
  const r = nqp('fit', '--data', p, '--formula', 'y ~ x');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /\\x1b\[2J/);
  noRawControls(r.stderr.replace(/\n/g, ''));
});

// Pipes and /dev/stdin: read, or refused as not a regular file; never "empty".
const SMALL = 'id,x\n1,2\n2,3\n';
const viaStdin = (input: string | Buffer, shell = false) => {
  const code =
    "const { readFrame } = require('./src/data');" +
    "try { const f = readFrame('/dev/stdin'); " +
    'console.log(JSON.stringify({ n: f.n, names: f.names, format: f.format })); }' +
    ' catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }';
  const args = ['--import', 'tsx', '-e', code];
  const r = shell
    ? spawnSync(
        'sh',
        ['-c', `cat "$0" | "$1" --import tsx -e "$2"`, file('stdin.bin', input), process.execPath, code],
        {
          cwd: ROOT,
          encoding: 'utf8',
        },
      )
    : spawnSync(process.execPath, args, { cwd: ROOT, input, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
};
add('file', '/dev/stdin from a shell pipe is read', () =>
  assert.deepEqual(viaStdin(SMALL, true), { n: 2, names: ['id', 'x'], format: 'csv' }),
);
add('file', '/dev/stdin from a parent process (a socket) is read', () =>
  assert.deepEqual(viaStdin(SMALL), { n: 2, names: ['id', 'x'], format: 'csv' }),
);
add('file', '/dev/stdin holding a workbook: recognised from its bytes', () =>
  assert.deepEqual(viaStdin(writeXlsx(['id', 'x'], [[1, 2]])), { n: 1, names: ['id', 'x'], format: 'xlsx' }),
);
add('file', 'an empty pipe: says the pipe gave no bytes', () => {
  const r = viaStdin('', true);
  assert.equal(r.code, 'EMPTY_FILE');
  assert.match(r.message, /pipe or device that gave no bytes/);
});
add('file', 'a named pipe (FIFO) is read, not called empty', () => {
  const fifo = join(mkdtempSync(join(tmpdir(), 'nqp-fifo-')), 'panel.csv');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const writer = spawn('sh', ['-c', 'cat "$0" > "$1"', file('fifo-src.csv', SMALL), fifo], { stdio: 'ignore' });
  try {
    const f = readFrame(fifo);
    assert.equal(f.n, 2);
    assert.deepEqual(num(f), [2, 3]);
  } finally {
    writer.kill();
  }
});

// Everyday exports: Excel's sep= line, trailing empty columns, a pandas or R row index, reserved names.
add('file', 'Excel "sep=;" first line sets the delimiter; lines keep their numbers', () => {
  const f = readFrame(file('sep-semi.csv', 'sep=;\nid;x\n1;2.5\n2;3\n'));
  assert.deepEqual(f.names, ['id', 'x']);
  assert.deepEqual(num(f), [2.5, 3]);
  assert.deepEqual(Array.from(f.lines), [3, 4]);
  assert.match(f.notes?.[0] ?? '', /sep=;/);
});
add('file', '"sep=," with CRLF and a bad row: the row named by its file line', () =>
  expectErr(() => readFrame(file('sep-comma.csv', 'sep=,\r\nid,x\r\n1,2\r\n2,3,4\r\n')), 'BAD_FILE', /line 4/),
);
add('file', 'quoted "sep=;" (as some tools write it)', () =>
  assert.deepEqual(readFrame(file('sep-q.csv', '"sep=;"\nid;x\n1;2\n')).names, ['id', 'x']),
);
add('file', 'sep=; keeps the decimal-comma rule: a comma cell refused by its line', () =>
  expectErr(() => readFrame(file('sep-dc.csv', 'sep=;\nid;x\n1;2\n2;3,5\n')), 'BAD_CELL', /line 4/, /decimal comma/),
);
add('file', 'sep= contradicting the delimiter given', () =>
  expectErr(() => readFrame(file('sep-x.csv', 'sep=;\nid;x\n1;2\n'), { delimiter: ',' }), 'BAD_DELIMITER', /sep=;/),
);
add('file', 'sep=<tab> after a byte-order mark', () =>
  assert.deepEqual(readFrame(file('sep-tab.csv', '\ufeffsep=\t\nid\tx\n1\t2\n')).names, ['id', 'x']),
);
add('file', 'the panel behind a sep=, line loads, with a note', () => {
  const { data, report } = loadPanel(file('sep-panel.csv', `sep=,\n${PANEL}`));
  assert.equal(data.numRows(), 2760);
  assert.ok(report.notes.some((n) => /sep=,/.test(n)));
});
add('file', "Excel's trailing empty unnamed columns dropped, with a note", () => {
  const f = readFrame(file('trail.csv', 'id,x,,\n1,2,,\n2,3,,\n'));
  assert.deepEqual(f.names, ['id', 'x']);
  assert.deepEqual(num(f), [2, 3]);
  assert.match(f.notes?.join(' ') ?? '', /2 empty columns without a name.*columns 3, 4/);
});
add('file', 'a trailing unnamed column with a value: column and line named', () =>
  expectErr(
    () => readFrame(file('trail-v.csv', 'id,x,\n1,2,\n2,3,9\n')),
    'BAD_FILE',
    /column 3 has no name but holds values/,
    /line 3/,
  ),
);
add('file', 'the panel with trailing empty columns loads, the note in the report', () => {
  const lines = PANEL_LINES.map((l) => `${l},,`);
  const { data, report } = loadPanel(file('trail-panel.csv', `${lines.join('\n')}\n`));
  assert.equal(data.numRows(), 2760);
  assert.ok(report.notes.some((n) => /empty columns without a name/.test(n)));
  assert.match(report.toString(), /Note: 2 empty columns/);
});
add('file', 'a pandas index column (unnamed, 0..n−1) named as such and dropped', () => {
  const f = readFrame(file('pandas.csv', ',id,x\n0,1,2\n1,2,3\n2,3,4\n'));
  assert.deepEqual(f.names, ['id', 'x']);
  assert.match(f.notes?.join(' ') ?? '', /column 1 \(no name\) holds 0, 1, …, 2: a pandas row index/);
});
add('file', 'pandas "Unnamed: 0" index read back and written again', () => {
  const f = readFrame(file('unnamed0.csv', 'Unnamed: 0,id,x\n0,1,2\n1,2,3\n'));
  assert.deepEqual(f.names, ['id', 'x']);
  assert.match(f.notes?.join(' ') ?? '', /"Unnamed: 0".*pandas row index/);
});
add('file', 'R\'s row names ("" header, 1..n) named as such', () => {
  const f = readFrame(file('rnames.csv', '"","id","x"\n"1",1,2\n"2",2,3\n'));
  assert.deepEqual(f.names, ['id', 'x']);
  assert.match(f.notes?.join(' ') ?? '', /R's row names/);
});
add('file', 'an unnamed first column that is not an index: named, with the index hint', () =>
  expectErr(
    () => readFrame(file('noidx.csv', ',id,x\n5,1,2\n7,2,3\n')),
    'BAD_FILE',
    /column 1 has no name/,
    /row index/,
  ),
);
add('file', 'the panel with a pandas index loads', () => {
  const lines = PANEL_LINES.map((l, i) => `${i === 0 ? '' : i - 1},${l}`);
  const { data, report } = loadPanel(file('pandas-panel.csv', `${lines.join('\n')}\n`));
  assert.equal(data.numRows(), 2760);
  assert.ok(report.notes.some((n) => /pandas row index/.test(n)));
});
add('file', 'loadPanel with text columns __proto__, constructor, toString', () => {
  const lines = PANEL_LINES.map((l, i) => `${l},${i === 0 ? '__proto__,constructor,toString' : `a${i},b,c${i % 3}`}`);
  const { data, report } = loadPanel(file('proto-panel.csv', `${lines.join('\n')}\n`));
  assert.deepEqual(report.extraColumns, ['__proto__', 'constructor', 'toString']);
  assert.equal(data.numRows(), 2760);
  assert.equal(data.array('__proto__').length, 2760);
  assert.match(String(data.array('__proto__')[0]), /^a\d+$/);
  assert.equal(data.array('constructor')[0], 'b');
  assert.deepEqual([...new Set(data.array('toString'))].sort(), ['c0', 'c1', 'c2']);
});

// Thousands separators: "7,820" is 7820 here, 7.82 in a decimal-comma file; counted apart for a warning.
add('cell', '"7,820" is read as 7820 and counted as ambiguous, with the cell', () => {
  const f = csvCell('"7,820"');
  assert.deepEqual(num(f), [1, 7820, 3]);
  assert.equal(f.facts.get('x')?.thousands, 1);
  assert.equal(f.facts.get('x')?.thousandsAmbiguous, 1);
  assert.equal(f.facts.get('x')?.thousandsExample, '7,820');
});
add('cell', '"1,234,567" and "41,890.5" are not ambiguous', () => {
  for (const v of ['"1,234,567"', '"41,890.5"']) {
    const f = csvCell(v);
    assert.equal(f.facts.get('x')?.thousands, 1, v);
    assert.equal(f.facts.get('x')?.thousandsAmbiguous, 0, v);
  }
});
add('cell', 'thousandsWarnings names the column, the count and the 1000× risk', () => {
  const f = readFrame(file('k.csv', 'id,x,y\n1,"7,820","1,234,567"\n2,"3,500",5\n'));
  const w = thousandsWarnings(f);
  assert.equal(w.length, 1);
  assert.match(w[0], /Column "x": 2 cells like "7,820".*as 7820.*1000× too large/);
});
add('file', 'the panel with "33,708"-style wages: counted in the report and warned', () => {
  const text = panelEach((c, y) => {
    if (y === 2010 && Number(c[col('wage')]) >= 1000 && Number(c[col('wage')]) < 1e6) {
      const v = String(Math.round(Number(c[col('wage')])));
      c[col('wage')] = `${v.slice(0, -3)},${v.slice(-3)}`;
    }
  });
  const { report } = loadPanel(file('wage-k.csv', text));
  const k = report.thousands.find((t) => t.variable === 'wage');
  assert.ok(k && k.count > 100, JSON.stringify(report.thousands));
  assert.ok(report.warnings.some((w) => /Column "wage": \d+ cells like "\d+,\d{3}"/.test(w)));
});
add('file', 'thousands counts survive the two-part reader (parts appended)', () => {
  const { ColumnBuilder } = require('../../src/data/frame');
  const a = new ColumnBuilder('x', false, 4);
  const b = new ColumnBuilder('x', false, 4);
  a.pushText('7,820');
  b.pushText('1,500');
  b.pushText('2,000,000');
  assert.ok(a.append(b.state()));
  assert.deepEqual(a.facts(), {
    missing: 0,
    thousands: 3,
    thousandsAmbiguous: 2,
    thousandsExample: '7,820',
    keptAsText: false,
  });
});

// ---- issue 25 (estimate): keys spelled two ways, lags over holes, values the formula makes non-finite --------
/** A small two-way panel (6 cities × 4 years) with keys as the caller spells them. */
function keyPanel(spell: (city: number, row: number) => string): Record<string, unknown[]> {
  const cols: Record<string, unknown[]> = { city: [], year: [], y: [], x: [] };
  let r = 0;
  for (let c = 0; c < 6; c++)
    for (let t = 0; t < 4; t++, r++) {
      cols.city.push(spell(c, r));
      cols.year.push(2010 + t);
      cols.x.push(Math.sin(3 * r + c) + t / 4);
      cols.y.push(0.5 * Math.sin(3 * r + c) + Math.cos(r * 1.7) + c / 3 + t / 5);
    }
  return cols;
}
const code = (c: number) => String(110000 + 10000 * c);
const oneSpelling = feols(tbl(keyPanel((c) => code(c))), 'y ~ x | city + year', { vcov: { cluster: 'city' } });
add('model', 'est25: "110000" and "110000.0" (int and pandas float exports appended) are one city, noted', () => {
  const m = feols(tbl(keyPanel((c, r) => (r % 2 ? `${code(c)}.0` : code(c)))), 'y ~ x | city + year', {
    vcov: { cluster: 'city' },
  });
  assert.deepEqual(m.vcov.clusters, [{ name: 'city', count: 6 }]);
  assert.equal(m.coefficients[0].estimate, oneSpelling.coefficients[0].estimate);
  assert.equal(m.coefficients[0].std_error, oneSpelling.coefficients[0].std_error);
  assert.ok(
    m.notes.some((n) => /Key "city": 12 rows .*"110000" and "110000.0".* one group/.test(n)),
    m.notes[0],
  );
  assert.ok(m.cautions.some((n) => /Key "city"/.test(n)));
});
add('model', 'est25: " 110000 " with spaces and "110000.00" are one city', () => {
  const m = feols(tbl(keyPanel((c, r) => [code(c), ` ${code(c)} `, `${code(c)}.00`][r % 3])), 'y ~ x | city + year');
  assert.equal(m.fixedEffects[0].levels, 6);
  assert.equal(m.coefficients[0].estimate, oneSpelling.coefficients[0].estimate);
});
add('model', 'est25: a mixed column (numbers and "110000.0" text) gives one group per city', () => {
  const m = feols(
    tbl(keyPanel((c, r) => (r % 2 ? `${code(c)}.0` : 110000 + 10000 * c) as unknown as string)),
    'y ~ x | city',
  );
  assert.equal(m.fixedEffects[0].levels, 6);
});
add('model', 'est25: withVcov clustering by a key spelled two ways counts one cluster per code, noted', () => {
  const cols = keyPanel((c) => code(c));
  cols.prov = cols.city.map((c, r) => (r % 2 ? `${String(c).slice(0, 2)}.0` : String(c).slice(0, 2)));
  const m = withVcov(feols(tbl(cols), 'y ~ x | year', { vcov: 'iid' }), { cluster: 'prov' });
  assert.deepEqual(m.vcov.clusters, [{ name: 'prov', count: 6 }]);
  assert.ok(
    m.cautions.some((n) => /Key "prov": 12 rows/.test(n)),
    m.notes.join(' | '),
  );
});
add('model', 'est25: "1.1" and "1.10" stay two groups, with a named warning and the pair', () => {
  const m = feols(tbl(keyPanel((c) => (c < 2 ? ['1.1', '1.10'][c] : `${c}.5`))), 'y ~ x | city');
  assert.equal(m.fixedEffects[0].levels, 6);
  assert.ok(
    m.warnings.some((w) => /Key "city": 1 pair .*"1.1" and "1.10".* separate groups/.test(w)),
    m.warnings[0],
  );
});
add('model', 'est25: "0101" and "101" stay two clusters, named', () => {
  const m = feols(tbl(keyPanel((c) => ['0101', '101', '0102', '0103', '0104', '0105'][c])), 'y ~ x | year', {
    vcov: { cluster: 'city' },
  });
  assert.deepEqual(m.vcov.clusters, [{ name: 'city', count: 6 }]);
  assert.ok(
    m.warnings.some((w) => /"0101" and "101"/.test(w)),
    m.warnings.join(' | '),
  );
});
add('model', 'est25: a lag finds the previous year of a city spelled "110000.0" there', () => {
  const cols = keyPanel((c, r) => (r % 2 ? `${code(c)}.0` : code(c)));
  const m = feols(tbl(cols), 'y ~ l(x) | city', { panel: { id: 'city', time: 'year' } });
  // 6 cities × 3 years with a previous year: the spellings do not break the chain.
  assert.equal(m.fit.nObs, 18);
});
add('model', 'est25: a row with a missing year is not its own lag', () => {
  const t = tbl({
    id: [1, 1, 1, 2, 2, 2, 3, 3, 3],
    yr: [2010, null, 2012, 2010, 2011, 2012, 2010, 2011, 2012],
    y: [1, 4, 2, 5, 3, 6, 2, 8, 1],
    x: [1, 2, 3, 4, 6, 5, 2, 9, 7],
  });
  const m = feols(t, 'y ~ l(x)', { panel: { id: 'id', time: 'yr' }, vcov: 'iid' });
  // Rows with a lag: (2, 2011), (2, 2012), (3, 2011), (3, 2012); city 1's 2012 has no 2011 and row 2 has no year.
  assert.equal(m.fit.nObs, 4);
});
add('model', 'est25: rows with a missing city do not lag each other', () => {
  const t = tbl({
    id: [null, null, 2, 2, 2, 3, 3, 3],
    yr: [2010, 2011, 2010, 2011, 2012, 2010, 2011, 2012],
    y: [1, 4, 5, 3, 6, 2, 8, 1],
    x: [1, 2, 4, 6, 5, 2, 9, 7],
  });
  const m = feols(t, 'y ~ f(x)', { panel: { id: 'id', time: 'yr' }, vcov: 'iid' });
  assert.equal(m.fit.nObs, 4);
});
const fdiT = () => tbl({ y: [1, 2, 3, 5, 2, 7, 1, 0], x: [0.5, 1, 2, 3, 1, 4, 2, 1], fdi: [1, 0, 2, 3, 1, 4, 2, 1] });
add('model', 'est25: I(fdi^-1) with fdi = 0 drops that row, counted under the term (fixest)', () => {
  const m = feols(fdiT(), 'y ~ x + I(fdi^-1)');
  assert.equal(m.fit.nObs, 7);
  assert.deepEqual(
    m.sample.dropped.map((d) => [d.count, d.reason.match(/"(.*)"/)?.[1]]),
    [[1, 'I(fdi^-1)']],
  );
  assert.ok(m.coefficients.every((c) => Number.isFinite(c.estimate) && Number.isFinite(c.std_error)));
  assert.deepEqual(m.droppedTerms, []);
  const ref = feols(
    fdiT().filter((d: { fdi: number }) => d.fdi !== 0),
    'y ~ x + I(fdi^-1)',
  );
  assert.equal(m.coefficients[2].estimate, ref.coefficients[2].estimate);
});
add('model', 'est25: log(fdi) with fdi = 0 drops the row and names log(fdi)', () => {
  const m = feols(fdiT(), 'y ~ x + log(fdi)');
  assert.equal(m.fit.nObs, 7);
  assert.ok(m.notes.some((n) => /1 observation dropped: non-finite value made by formula term "log\(fdi\)"/.test(n)));
});
add('model', 'est25: log of a negative value is still refused with its row', () =>
  expectErr(() => feols(tbl({ y: [1, 2, 3, 4], x: [1, -2, 2, 3] }), 'y ~ log(x)'), 'NON_POSITIVE_LOG', /row 2/),
);
add('model', 'est25: an overflowing product I(a * b) drops the row, not the term', () => {
  const m = feols(tbl({ y: [1, 2, 3, 5, 2, 7], a: [1, 2, 1e200, 3, 1, 4], b: [2, 1, 1e200, 1, 3, 2] }), 'y ~ I(a * b)');
  assert.equal(m.fit.nObs, 5);
  assert.deepEqual(m.droppedTerms, []);
  assert.match(m.sample.dropped[0].reason, /I\(a \* b\)/);
});
add('model', 'est25: a regressor near 1e300 is refused, naming term and row', () =>
  expectErr(
    () => feols(tbl({ y: [1, 2, 3, 5], x: [1e300, 2e300, 3e300, 5e299] }), 'y ~ x'),
    'VALUE_TOO_LARGE',
    /formula term "x", row 1/,
    /Rescale/,
  ),
);
add('cli', 'est25: nqp fit --json: merged key spellings and non-finite drops are warnings', () => {
  const rows = ['g,y,x,fdi', '7,1,1,1', '7.0,2,3,0', '8,5,2,2', '8.0,7,5,3', '9,3,4,1', '9,4,1,2', '9,6,2,4'];
  const p = file('est25-keys.csv', `${rows.join('\n')}\n`);
  const r = nqp('fit', '--data', p, '--formula', 'y ~ x + I(fdi^-1) | g', '--vcov', 'iid', '--json');
  const out = JSON.parse(r.stdout);
  assert.equal(out.nobs, 6);
  assert.equal(out.dropped.non_finite, 1);
  assert.ok(
    out.warnings.some((w: string) => /Key "g": 1 row .*"8" and "8.0"/.test(w)),
    out.warnings.join(' | '),
  );
  assert.ok(out.warnings.some((w: string) => /I\(fdi\^-1\)/.test(w)));
  assert.ok(out.coefficients.every((c: { estimate: number | null }) => c.estimate !== null));
});

add('model', 'est25: an instrument dropped as collinear is a JSON warning of nqp fit', () => {
  const { fitJson } = require('../../src/cli/fit');
  const n = 40;
  const z = Array.from({ length: n }, (_, i) => Math.sin(i * 1.7));
  const u = Array.from({ length: n }, (_, i) => Math.cos(i * 2.3));
  const x = z.map((v, i) => v + 0.5 * u[i]);
  const t = tbl({ y: x.map((v, i) => 2 * v + u[i]), x, z1: z, z2: z.map((v) => 3 * v) });
  const m = feols(t, 'y ~ 1 | x ~ z1 + z2', { vcov: 'iid' });
  const w: string[] = fitJson(m, {}).warnings;
  assert.ok(
    w.some((s) => /Instrument z2 dropped as collinear/.test(s)),
    w.join(' | '),
  );
});

// Wild bootstrap bounds: the generator takes 32-bit seeds (2^32 + 1 gave seed 1's draws); B has a stated bound.
const gClustered = () => feols(g, 'inv ~ value + capital | firm', { vcov: { cluster: 'firm' } });
add('model', 'est25: wild bootstrap seed 2^32 + 1 (would repeat seed 1) is refused with the range', () =>
  expectErr(
    () => wildBootstrap(gClustered(), 'value', { reps: 99, seed: 2 ** 32 + 1 }),
    'BAD_OPTION',
    /0 to 4294967295/,
  ),
);
add('model', 'est25: wild bootstrap seed −1 is refused', () =>
  expectErr(() => wildBootstrap(gClustered(), 'value', { reps: 99, seed: -1 }), 'BAD_OPTION', /seed/),
);
add('model', 'est25: wild bootstrap B = 1e9 is refused with the bound and why', () =>
  expectErr(
    () => wildBootstrap(gClustered(), 'value', { reps: 1_000_000_000 }),
    'BAD_OPTION',
    /1,000,000 allowed/,
    /40 bytes/,
  ),
);
add('cli', 'est25: --wild-bootstrap 1000000000 stops at once with the bound', () => {
  const r = nqp('fit', ...G, '--vcov', 'cluster:firm', '--wild-bootstrap', '1000000000');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--wild-bootstrap: 1000000000 draws is more than the 1,000,000 allowed/);
});
add('cli', 'est25: --seed 4294967297 is refused naming the range', () => {
  const r = nqp('fit', ...G, '--vcov', 'cluster:firm', '--wild-bootstrap', '99', '--seed', '4294967297');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--seed: seed must be a whole number from 0 to 4294967295/);
});
add('cli', 'est25: --seed 4294967295 (the largest) runs', () => {
  const r = nqp('fit', ...G, '--vcov', 'cluster:firm', '--wild-bootstrap', '99', '--seed', '4294967295', '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).wild_bootstrap[0].seed, 4294967295);
});

// Formula names: backticks quote any column name; names in Chinese need no quotes; full-width operators are read.
const zhT = () =>
  tbl({
    韧性: [2, 3, 5, 4, 8, 7, 6, 9],
    'urban rate': [1, 2, 3, 4, 6, 5, 8, 7],
    'GDP（亿元）': [3, 1, 4, 1, 5, 9, 2, 6],
    城市代码: [1, 1, 2, 2, 3, 3, 4, 4],
    log: [1, 4, 2, 8, 5, 7, 3, 6],
  });
add('formula', 'est25: `urban rate` in backticks is the column "urban rate"', () => {
  const m = feols(zhT(), '韧性 ~ `urban rate` | 城市代码', { vcov: 'iid' });
  assert.deepEqual(
    m.coefficients.map((c) => c.term),
    ['urban rate'],
  );
});
add('formula', 'est25: Chinese column names unquoted (韧性 ~ … | 城市代码), as R allows', () => {
  const m = feols(zhT(), '韧性 ~ log | 城市代码', { vcov: 'iid' });
  assert.equal(m.spec.depvar, '韧性');
  assert.deepEqual(m.spec.fixedEffects, ['城市代码']);
});
add('formula', 'est25: full-width ～ ＋ ｜ （ ） read as ASCII, with a note naming them', () => {
  const m = feols(zhT(), '韧性 ～ `urban rate` ＋ log（`GDP（亿元）`） ｜ 城市代码', { vcov: 'iid' });
  const ref = feols(zhT(), '韧性 ~ `urban rate` + log(`GDP（亿元）`) | 城市代码', { vcov: 'iid' });
  assert.deepEqual(m.coefficients, ref.coefficients);
  assert.ok(
    m.notes.some((n) => /full-width ～ ＋ （ ） ｜ .* read as ~ \+ \( \) \|/.test(n)),
    m.notes.join(' | '),
  );
  assert.deepEqual(ref.notes, []);
});
add('formula', 'est25: full-width comma in l（x，2） is read as a comma', () => {
  const t = tbl({
    id: [1, 1, 1, 1, 2, 2, 2, 2],
    yr: [1, 2, 3, 4, 1, 2, 3, 4],
    y: [1, 3, 2, 5, 4, 4, 7, 6],
    x: [2, 1, 4, 3, 6, 5, 8, 9],
  });
  const m = feols(t, 'y ~ l（x，2）', { panel: { id: 'id', time: 'yr' }, vcov: 'iid' });
  assert.equal(m.coefficients[1].term, 'l(x, 2)');
  assert.equal(m.fit.nObs, 4);
});
add('formula', 'est25: a column named `log` in backticks is a column, not the function', () => {
  const m = feols(zhT(), '韧性 ~ `log`', { vcov: 'iid' });
  assert.deepEqual(
    m.coefficients.map((c) => c.term),
    ['(Intercept)', 'log'],
  );
});
add('formula', 'est25: an unclosed backtick names the fix', F('inv ~ `value', /backticks never closes/));
add('formula', 'est25: empty backticks', F('inv ~ `` + value', /empty backticks/));
add('formula', 'est25: a symbol such as ¥ in a name points to backticks', F('inv ~ value¥', /"¥"/, /backticks/));
add('cli', 'est25: nqp fit --json: a full-width formula fits, and the reading is a warning', () => {
  const p = file('est25-zh.csv', `城市代码,韧性,x\n1,2,1\n1,3,2\n2,5,3\n2,4,4\n3,8,6\n3,7,5\n`);
  const r = nqp('fit', '--data', p, '--formula', '韧性 ～ x ｜ 城市代码', '--vcov', 'iid', '--json');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.coefficients[0].term, 'x');
  assert.ok(
    out.warnings.some((w: string) => /full-width ～ ｜/.test(w)),
    out.warnings.join(' | '),
  );
});

// ---- run -----------------------------------------------------------------------------------------------------
for (const c of cases) test(`[${c.cls}] ${c.name}`, c.run);

test('the catalogue: at least 200 cases over every class', () => {
  const count = (cls: string) => cases.filter((c) => c.cls === cls).length;
  const classes = ['formula', 'model', 'cell', 'file', 'encoding', 'hostile', 'cli'];
  console.log(classes.map((c) => `${c} ${count(c)}`).join(', '));
  for (const cls of classes) assert.ok(count(cls) >= 5, `${cls}: ${count(cls)}`);
  assert.ok(cases.length >= 200, `${cases.length} cases`);
});
