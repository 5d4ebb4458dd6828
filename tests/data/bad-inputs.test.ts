import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPanel, readFrame } from '../../src/data';
import { isText, textAt, type Frame } from '../../src/data/frame';
import { feols, parseVcovText, wildBootstrap, withVcov } from '../../src/estimate';
import { NqpError } from '../../src/errors';
import { fixtureTable, writeDta118, writeXlsx } from '../helpers';

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
  expectErr(() => feols(g, 'inv ~ l(value)', { panel: null }), 'BAD_OPTION', /--panel/),
);
add('formula', 'log of a non-positive value, row named', () => {
  const t = require('arquero').table({ y: [1, 2, 3, 4], x: [1, 0, 2, 3] });
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
    'BAD_OPTION',
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
add('model', 'vcov text without a variable', () => expectErr(() => parseVcovText('cluster:'), 'BAD_OPTION'));
add('model', 'unsupported vcov', () =>
  expectErr(() => feols(g, 'inv ~ value', { vcov: 'hc3' as never }), 'BAD_OPTION', /hc3/),
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
  expectErr(() => withVcov(JSON.parse(JSON.stringify(feols(g, 'inv ~ value'))), 'hc1'), 'BAD_OPTION', /fit state/),
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
  expectErr(() => readFrame(file('s.xlsx', writeXlsx(['a'], [[1]])), { sheet: 'Data' }), 'BAD_OPTION', /"panel"/),
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
  expectErr(() => readFrame(file('s.csv', 'a\n1\n'), { sheet: 'x' }), 'BAD_OPTION', /sheet/),
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
});

// ---- run -----------------------------------------------------------------------------------------------------
for (const c of cases) test(`[${c.cls}] ${c.name}`, c.run);

test('the catalogue: at least 120 cases over every class', () => {
  const count = (cls: string) => cases.filter((c) => c.cls === cls).length;
  const classes = ['formula', 'model', 'cell', 'file', 'encoding', 'hostile', 'cli'];
  console.log(classes.map((c) => `${c} ${count(c)}`).join(', '));
  for (const cls of classes) assert.ok(count(cls) >= 5, `${cls}: ${count(cls)}`);
  assert.ok(cases.length >= 120, `${cases.length} cases`);
});
