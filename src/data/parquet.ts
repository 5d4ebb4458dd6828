/**
 * Parquet input, read synchronously with hyparquet's column decoder (pure JavaScript; Snappy built in, gzip,
 * Brotli, Zstandard and LZ4 from hyparquet-compressors). Every value goes through the same ColumnBuilder as CSV
 * cells, so one rule decides what is a number, what is missing and what is text. Flat columns of numbers,
 * integers, booleans and strings are read; anything that cannot be read exactly is refused by name: nested
 * (list, map, struct) columns, dates and times, binary data, and integers beyond 2^53.
 */
import { readFileSync } from 'node:fs';
import { NqpError } from '../errors';
import { type ColumnBuilder, frameFromColumns, type BuildOptions, type Frame } from './frame';
import { checkNames } from './names';

// hyparquet is an ES module; node ≥ 20.19 loads it with require(). Its decoder is synchronous once the bytes are
// in memory; the subpaths used here are exported by the package ("./src/*.js").
interface SchemaNode {
  element: {
    name: string;
    type?: string;
    repetition_type?: string;
    converted_type?: string;
    logical_type?: { type: string };
  };
  children: SchemaNode[];
}
interface ColumnMeta {
  path_in_schema: string[];
  codec: string;
}
interface Metadata {
  num_rows: bigint | number;
  row_groups: unknown[];
}
interface ChunkPlan {
  columnMetadata: ColumnMeta;
  range: { startByte: number; endByte: number };
}
interface GroupPlan {
  groupStart: number;
  groupRows: number;
  selectStart: number;
  selectEnd: number;
  chunks: ChunkPlan[];
}
type Decoded = ArrayLike<unknown>;

let hp:
  | {
      parquetMetadata(b: ArrayBuffer): Metadata;
      parquetSchema(m: Metadata): SchemaNode;
      parquetPlan(o: { metadata: Metadata }): { groups: GroupPlan[] };
      getTreePath(tree: SchemaNode, path: string[]): SchemaNode[];
      readColumn(reader: { view: DataView; offset: number }, g: GroupPlan, decoder: object): { data: Decoded[] };
      DEFAULT_PARSERS: object;
      compressors: object;
    }
  | undefined;

function lib(): NonNullable<typeof hp> {
  if (hp) return hp;
  const main = require('hyparquet');
  const comp = require('hyparquet-compressors');
  hp = {
    parquetMetadata: main.parquetMetadata,
    parquetSchema: main.parquetSchema,
    parquetPlan: require('hyparquet/src/plan.js').parquetPlan,
    getTreePath: require('hyparquet/src/schema.js').getTreePath,
    readColumn: require('hyparquet/src/column.js').readColumn,
    DEFAULT_PARSERS: require('hyparquet/src/convert.js').DEFAULT_PARSERS,
    // Snappy stays hyparquet's own (pure JavaScript); the others come from hyparquet-compressors.
    compressors: {
      GZIP: comp.decompressGzip,
      BROTLI: comp.decompressBrotli,
      ZSTD: (input: Uint8Array) => comp.decompressZstd(input),
      LZ4: comp.decompressLz4,
      LZ4_RAW: comp.decompressLz4Raw,
    },
  };
  return hp;
}

const REFUSED_LOGICAL = new Set([
  'DATE',
  'TIME',
  'TIMESTAMP',
  'INTERVAL',
  'UUID',
  'JSON',
  'BSON',
  'VARIANT',
  'GEOMETRY',
  'GEOGRAPHY',
]);

/** What kind of values a leaf column holds, or why it is refused. */
function kindOf(leaf: SchemaNode['element']): 'number' | 'text' | string {
  const logical = leaf.logical_type?.type;
  const converted = leaf.converted_type;
  if (logical && REFUSED_LOGICAL.has(logical)) return `a ${logical.toLowerCase()} column`;
  if (converted && /^(DATE|TIME_|TIMESTAMP_|INTERVAL|JSON|BSON)/.test(converted))
    return `a ${converted.toLowerCase().replace(/_/g, ' ')} column`;
  if (logical === 'STRING' || logical === 'ENUM' || converted === 'UTF8' || converted === 'ENUM') return 'text';
  if (logical === 'DECIMAL' || converted === 'DECIMAL') return 'number';
  switch (leaf.type) {
    case 'BOOLEAN':
    case 'INT32':
    case 'INT64':
    case 'FLOAT':
    case 'DOUBLE':
      return 'number';
    case 'BYTE_ARRAY':
      return 'text';
    case 'INT96':
      return 'an INT96 timestamp column';
    default:
      return `a binary column (${leaf.type})`;
  }
}

/** A Parquet file (or its bytes, read from a pipe) as a frame. */
export function readParquetFrame(path: string, where: string, options: BuildOptions = {}, data?: Buffer): Frame {
  const { parquetMetadata, parquetSchema, parquetPlan, getTreePath, readColumn, DEFAULT_PARSERS, compressors } = lib();
  const bytes = data ?? readFileSync(path);
  // The file's own bytes, copied only when node's buffer shares its memory with others (small files).
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const buffer = (
    whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  ) as ArrayBuffer;
  let metadata: Metadata;
  try {
    metadata = parquetMetadata(buffer);
  } catch (e) {
    throw new NqpError('BAD_FILE', where, `${where} is not a readable Parquet file: ${(e as Error).message}.`);
  }
  const tree = parquetSchema(metadata);
  const names: string[] = [];
  const kinds: ('number' | 'text')[] = [];
  const scales: (number | undefined)[] = [];
  for (const child of tree.children) {
    const name = child.element.name;
    if (child.children.length > 0 || child.element.repetition_type === 'REPEATED')
      throw new NqpError(
        'BAD_FILE',
        `${where}, column "${name}"`,
        `${where}: column "${name}" is nested (a list, map or struct); give one flat column per variable.`,
      );
    const kind = kindOf(child.element);
    if (kind !== 'number' && kind !== 'text')
      throw new NqpError(
        'BAD_FILE',
        `${where}, column "${name}"`,
        `${where}: column "${name}" is ${kind}, which the panel cannot hold exactly; store it as a number (e.g. ` +
          'the year) or as text.',
      );
    names.push(name);
    kinds.push(kind);
    const el = child.element as SchemaNode['element'] & { scale?: number };
    scales.push(el.logical_type?.type === 'DECIMAL' || el.converted_type === 'DECIMAL' ? (el.scale ?? 0) : undefined);
  }
  // Names are checked before decoding: duplicate names would otherwise mix two columns into one.
  checkNames(names, where, (c) => `column ${c + 1}`);
  const n = Number(metadata.num_rows);
  const groups = parquetPlan({ metadata }).groups;
  // One column at a time, group by group, straight into its builder: no column's decoded values wait for the others.
  const decodeColumn = (c: number, each: (values: Decoded) => void) => {
    for (const group of groups) {
      for (const chunk of group.chunks) {
        const path = chunk.columnMetadata.path_in_schema;
        if (path[0] !== names[c]) continue;
        const schemaPath = getTreePath(tree, path);
        const leaf = schemaPath[schemaPath.length - 1].element;
        // DECIMAL: hyparquet would multiply by 10^-scale (−3 × 0.1 = −0.30000000000000004); take the unscaled
        // integers as stored and divide exactly in decimalValue.
        const element =
          scales[c] === undefined ? leaf : { ...leaf, converted_type: undefined, logical_type: undefined };
        const decoder = {
          pathInSchema: path,
          element,
          schemaPath,
          ...chunk.columnMetadata,
          parsers: DEFAULT_PARSERS,
          compressors,
          utf8: scales[c] === undefined,
        };
        const view = new DataView(buffer, chunk.range.startByte, chunk.range.endByte - chunk.range.startByte);
        let data: Decoded[];
        try {
          data = readColumn({ view, offset: 0 }, group, decoder).data;
        } catch (e) {
          throw new NqpError(
            'BAD_FILE',
            `${where}, column "${names[c]}"`,
            `${where}: column "${names[c]}" could not be decoded (${chunk.columnMetadata.codec}): ` +
              `${(e as Error).message}.`,
          );
        }
        for (const d of data) each(d);
      }
    }
  };
  const lines = Int32Array.from({ length: n }, (_, r) => r + 1);
  const meta = { source: where, format: 'parquet' as const, encoding: 'parquet', rowWord: 'row' };
  const fill = (b: ColumnBuilder, c: number) => {
    let rows = 0;
    decodeColumn(c, (chunk) => {
      for (let i = 0; i < chunk.length; i++, rows++) {
        const v = scales[c] === undefined ? chunk[i] : decimalValue(chunk[i], scales[c] as number);
        pushValue(b, v, kinds[c], where, names[c], rows + 1);
      }
    });
    if (rows !== n)
      throw new NqpError(
        'BAD_FILE',
        `${where}, column "${names[c]}"`,
        `${where}: column "${names[c]}" has ${rows} values for ${n} rows.`,
      );
  };
  return frameFromColumns(meta, names, n, lines, fill, options);
}

/** One Parquet value into a column under the cell rule: numbers as numbers, strings as cells, null as missing. */
function pushValue(b: ColumnBuilder, v: unknown, kind: 'number' | 'text', where: string, name: string, row: number) {
  if (v === null || v === undefined) {
    b.pushText('');
    return;
  }
  if (kind === 'text') {
    b.pushText(String(v));
    return;
  }
  let x: number;
  if (typeof v === 'bigint') {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER))
      throw new NqpError(
        'BAD_CELL',
        `${where}, row ${row}, column "${name}"`,
        `${where}, row ${row}, column "${name}": the integer ${v} is beyond 2^53 and cannot be held exactly ` +
          'as a number.',
      );
    x = Number(v);
  } else if (typeof v === 'boolean') x = v ? 1 : 0;
  else if (typeof v === 'number') x = v;
  else
    throw new NqpError(
      'BAD_CELL',
      `${where}, row ${row}, column "${name}"`,
      `${where}, row ${row}, column "${name}": a value of type ${typeof v} where a number was expected.`,
    );
  // NaN in a float column is a missing value (counted as missing, like an empty CSV cell).
  if (Number.isNaN(x)) b.pushText('');
  else if (b.mode === 'text') {
    // A key column: whole numbers below 10^15 are canonical integers (their text is their digits), interned by value.
    if (Number.isInteger(x) && Math.abs(x) < 1e15) b.pushCanonicalInt(x);
    else b.pushText(String(x));
  } else if (!Number.isFinite(x))
    throw new NqpError(
      'BAD_CELL',
      `${where}, row ${row}, column "${name}"`,
      `${where}, row ${row}, column "${name}": ${x} is not a finite number.`,
    );
  else b.pushNumber(x);
}

/**
 * A DECIMAL's value from its unscaled integer (a number, a bigint, or big-endian two's-complement bytes): the
 * double nearest unscaled × 10^−scale. One division of two exact doubles rounds once; beyond 2^53 the decimal
 * text is parsed, which also rounds once.
 */
export function decimalValue(raw: unknown, scale: number): unknown {
  if (raw === null || raw === undefined) return raw;
  let u: bigint;
  if (raw instanceof Uint8Array) {
    if (!raw.length) return 0;
    u = 0n;
    for (const byte of raw) u = u * 256n + BigInt(byte);
    if (raw[0] & 0x80) u -= 1n << BigInt(raw.length * 8);
  } else if (typeof raw === 'bigint') u = raw;
  else if (typeof raw === 'number') u = BigInt(raw);
  else return raw;
  const small = u <= BigInt(Number.MAX_SAFE_INTEGER) && u >= -BigInt(Number.MAX_SAFE_INTEGER);
  if (small && scale >= 0 && scale <= 22) return Number(u) / 10 ** scale;
  return Number(`${u}e${-scale}`);
}
