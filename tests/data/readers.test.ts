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
