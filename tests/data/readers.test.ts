import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv, readDta, readXlsx } from '../../src/data';
import { errCode, writeDta118, writeXlsx } from '../helpers';

test('CSV: byte-order mark, quoted fields with commas and doubled quotes, CRLF, file line numbers', () => {
  const t = parseCsv('\ufeffname,x\r\n"Xi\'an, Shaanxi",1.5\r\n"say ""hi""",\r\n', 'inline');
  assert.deepEqual(t.names, ['name', 'x']);
  assert.deepEqual(t.columns[0], ["Xi'an, Shaanxi", 'say "hi"']);
  assert.deepEqual(t.columns[1], ['1.5', '']);
  assert.deepEqual(t.lines, [2, 3]);
  assert.equal(
    errCode(() => parseCsv('', 'empty.csv')),
    'EMPTY_FILE @ empty.csv',
  );
});

test('.xlsx and .dta: the same table back, missing cells empty', () => {
  const x = readXlsx(
    writeXlsx(
      ['city', 'v'],
      [
        ['北京', 1.25],
        ['Tianjin', null],
      ],
    ),
    'inline.xlsx',
  );
  assert.deepEqual(x.names, ['city', 'v']);
  assert.deepEqual(x.columns[0], ['北京', 'Tianjin']);
  assert.equal(Number(x.columns[1][0]), 1.25);
  assert.equal(x.columns[1][1], '');
  const d = readDta(writeDta118(['name', 'x'], [['a', 'b'], Float64Array.from([2, NaN])]), 'inline.dta');
  assert.deepEqual(d.columns[0], ['a', 'b']);
  assert.deepEqual(d.columns[1], ['2', '']);
});

test('key columns read as text: integer codes interned by value, other texts by string, one code per label', () => {
  const { readCsvFrame } = require('../../src/data/csv-read');
  const { mkdtempSync, writeFileSync } = require('node:fs');
  const { join } = require('node:path');
  const { tmpdir } = require('node:os');
  const file = join(mkdtempSync(join(tmpdir(), 'nqp-keys-')), 'k.csv');
  const cells = [
    '12',
    '"12"',
    '012',
    '7',
    '007',
    '1.1',
    '1.10',
    '-3',
    '-0',
    '0',
    ' 12',
    '123456789012345',
    '1234567890123456',
  ];
  writeFileSync(file, `g,y\n${cells.map((c, i) => `${c},${i}`).join('\n')}\n`);
  const f = readCsvFrame(file, 'k.csv', ',', { textColumns: new Set(['g']) });
  const col = f.columns.get('g');
  const shown = Array.from(col.codes as Int32Array, (c: number) => col.labels[c]);
  // What a reader sees: each cell's own text (unquoted, trimmed), and equal texts share one code.
  assert.deepEqual(
    shown,
    cells.map((c) => c.replace(/"/g, '').trim()),
  );
  assert.equal(col.codes[0], col.codes[1]);
  assert.equal(col.codes[0], col.codes[10]);
  assert.notEqual(col.codes[3], col.codes[4]);
  assert.notEqual(col.codes[5], col.codes[6]);
  assert.notEqual(col.codes[8], col.codes[9]);
  assert.equal(new Set(col.labels).size, col.labels.length, 'no label twice');
});
