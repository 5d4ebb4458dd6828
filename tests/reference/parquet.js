// Parquet fixtures for tests/data/parquet.test.ts, written by DuckDB (an implementation independent of the reader
// under test). Run: npm install --no-save @duckdb/node-api@1.5.6-r.1 && node tests/reference/parquet.js
// Writes tests/fixtures/parquet/*.parquet. DuckDB infers the CSV's types: city_code and year BIGINT, the rest DOUBLE.
const { DuckDBInstance } = require('@duckdb/node-api');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const out = (f) => join(root, 'tests', 'fixtures', 'parquet', f).replace(/'/g, "''");
const panel = join(root, 'data', 'panel.csv').replace(/'/g, "''");

(async () => {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  // The first 240 rows of the default panel (20 cities × 12 years), as Snappy and as Zstandard.
  const sample = `SELECT * FROM read_csv('${panel}', header = true) LIMIT 240`;
  await c.run(`COPY (${sample}) TO '${out('panel-sample-snappy.parquet')}' (FORMAT parquet, COMPRESSION snappy)`);
  const zstd = '(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100)';
  await c.run(`COPY (${sample}) TO '${out('panel-sample-zstd.parquet')}' ${zstd}`);
  // Types: integers, a boolean, a decimal, a string with a null, a double with NaN and NULL, numbers as text.
  await c.run(`COPY (SELECT * FROM (VALUES
      (1::INTEGER, 7::BIGINT, true, 1.25::DECIMAL(10,2), 'a', 1.5::DOUBLE, '3.5'),
      (2, 8, false, 2.50, NULL, 'NaN'::DOUBLE, '4'),
      (3, 9, true, 3.75, 'c', NULL, NULL))
    AS t(i, b, flag, d, s, f, numtext)) TO '${out('types.parquet')}' (FORMAT parquet)`);
  await c.run(`COPY (SELECT 1 AS city_code, DATE '2020-01-01' AS day) TO '${out('date.parquet')}' (FORMAT parquet)`);
  await c.run(`COPY (SELECT 1 AS city_code, [1, 2] AS xs) TO '${out('nested.parquet')}' (FORMAT parquet)`);
  const big = 'SELECT 1 AS city_code, 1152921504606846976::BIGINT AS big';
  await c.run(`COPY (${big}) TO '${out('big.parquet')}' (FORMAT parquet)`);
  console.log('ok');
})();
