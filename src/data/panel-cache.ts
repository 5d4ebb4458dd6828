/**
 * The default study panel as the build computed it (issue #29). Every notebook of `nqp reproduce` starts with
 * `studyPanel(DATA)` on the default panel with default options, in a fresh kernel: reading the CSV, interpolating,
 * winsorising and the two entropy indices cost 0.1–0.15 s of CPU there, most of it compiling code that runs once.
 * The build (scripts/write-panel-cache.js) computes that panel once and writes dist/default-panel.cache: the
 * finished table's columns (typed arrays as their bytes, text columns as codes into their distinct values) and the
 * reports and weights as data; read from it, studyPanel() takes about 0.006 s. studyPanel() uses it only when all of
 * these hold, and computes as usual otherwise:
 *
 *   - the call is the default one: no file given, every option undefined;
 *   - the same node and V8 as at the build;
 *   - each file of compiled code the computation runs (dist/study/panel.js and what it requires, the arquero
 *     bundle) has the size and time (to the millisecond) it had when the build wrote the cache, as the module
 *     pack checks them;
 *   - each data file the computation read (data/panel.csv, codebook.csv, cities.csv) has the SHA-256 it had.
 *
 * Any failure (no cache, a file that cannot be read, e.g. Deno without read permission) means "compute". Each call
 * builds fresh arrays and objects from the file, so a notebook editing its panel never changes the next call's.
 * The build compares the cached panel with a computed one before keeping the file (and tests/study does too).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { aq } from './aq';
import { dataDir } from './reference';
import type { Table } from './table';

/** Where the build writes the cache: beside the compiled package (none beside the TypeScript sources). */
export const PANEL_CACHE = join(__dirname, '..', 'default-panel.cache');
const MAGIC = 'nqp-panel-cache 1\n';

/** What must still hold for the cache to apply. */
export interface PanelCacheKey {
  /** `process.version` and V8's version. */
  runtime: string;
  /** [path under data/, SHA-256 hex] of every data file the computation read. */
  data: [string, string][];
  /** [path under dist/, size, mtimeMs] of every compiled file the computation runs. */
  code: [string, number, number][];
}

type ColumnSpec =
  | { type: string; at: number; n: number }
  | { type: 'Array'; at: number; n: number; width: 1 | 2 | 4; values: unknown[] };

interface Header {
  key: PanelCacheKey;
  names: string[];
  columns: ColumnSpec[];
  /** The study's other parts as data (see encode). */
  value: unknown;
}

export interface CachedPanel {
  data: Table;
  value: unknown;
  /** SHA-256 hex of data/panel.csv. */
  panelHash: string;
}

/** How often the cache was used and refused in this process, and why last refused (tests, the build's check). */
export const panelCacheUse = { used: 0, refused: 0, why: '' };

const TYPED: Record<string, new (b: ArrayBuffer) => ArrayBufferView & ArrayLike<number>> = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
};
const CODES = { 1: Uint8Array, 2: Uint16Array, 4: Uint32Array } as const;

export function runtimeName(): string {
  return `node ${process.version}, V8 ${process.versions.v8}`;
}

/** SHA-256 of a file's bytes, as hex: how the cache's key names each data file. */
export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * The default panel from the cache, or undefined (no cache, or any part of its key not met). NQP_PANEL_CACHE=off
 * turns the cache off (the build computes its reference that way); NQP_PANEL_CACHE=FILE reads another cache file
 * (the tests' altered copies).
 */
export function readPanelCache(): CachedPanel | undefined {
  try {
    // Inside the try: Deno may refuse to read the environment as it may refuse to read the file.
    const env = process.env.NQP_PANEL_CACHE;
    if (env === 'off') return refuse('NQP_PANEL_CACHE=off');
    const buf = readFileSync(env || PANEL_CACHE);
    if (buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return refuse('not a panel cache');
    const nl = buf.indexOf(10, MAGIC.length);
    const header = JSON.parse(buf.toString('utf8', MAGIC.length, nl)) as Header;
    const why = stale(header.key);
    if (why) return refuse(why);
    const base = nl + 1;
    const cols = Object.create(null) as Record<string, ArrayLike<unknown>>;
    header.names.forEach((name, c) => {
      cols[name] = column(buf, base, header.columns[c]);
    });
    const data = new aq.ColumnTable(cols as never, header.names) as Table;
    const panelHash = (header.key.data.find(([f]) => f === 'panel.csv') as [string, string])[1];
    panelCacheUse.used++;
    return { data, value: decode(header.value), panelHash };
  } catch (e) {
    return refuse(`unreadable: ${(e as Error).message}`);
  }
}

function refuse(why: string): undefined {
  panelCacheUse.refused++;
  panelCacheUse.why = why;
  return undefined;
}

/** Why the key no longer holds, or '' when it does. */
function stale(key: PanelCacheKey): string {
  if (key.runtime !== runtimeName()) return `built with ${key.runtime}`;
  const dist = join(__dirname, '..');
  for (const [f, size, mtimeMs] of key.code) {
    const st = statSync(join(dist, f));
    // To the millisecond: copies that keep file times (cp -p, tar) may round them below that.
    if (st.size !== size || Math.abs(st.mtimeMs - mtimeMs) >= 1) return `dist/${f} changed since the build`;
  }
  if (!key.data.some(([f]) => f === 'panel.csv')) return 'no data/panel.csv in the key';
  for (const [f, hash] of key.data) if (sha256(readFileSync(join(dataDir(), f))) !== hash) return `data/${f} changed`;
  return '';
}

/** A fresh column: its own buffer (a copy of the cached bytes), or a new array of its values. */
function column(buf: Buffer, base: number, spec: ColumnSpec): ArrayLike<unknown> {
  const start = buf.byteOffset + base + spec.at;
  const bytes = buf.buffer as ArrayBuffer; // readFileSync's own memory, never shared
  if (spec.type === 'Array') {
    const s = spec as Extract<ColumnSpec, { width: number }>;
    const codes = new CODES[s.width](bytes.slice(start, start + s.n * s.width));
    const values = s.values.map(decode);
    return Array.from(codes, (k) => values[k]);
  }
  const Typed = TYPED[spec.type];
  if (!Typed) throw new Error(`column type ${spec.type}`);
  const size = (Typed as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  return new Typed(bytes.slice(start, start + spec.n * size));
}

/**
 * The cache file's bytes: `table`'s columns and `value` (plain data: objects, arrays, strings, numbers including
 * NaN and -0, booleans, null, undefined). Throws on anything it could not give back exactly.
 */
export function encodePanelCache(table: Table, value: unknown, key: PanelCacheKey): Buffer {
  const names = table.columnNames();
  const parts: Buffer[] = [];
  let at = 0;
  const put = (b: Buffer) => {
    parts.push(b);
    at += b.length;
    const pad = (8 - (b.length % 8)) % 8;
    if (pad) {
      parts.push(Buffer.alloc(pad));
      at += pad;
    }
  };
  const columns = names.map((name): ColumnSpec => {
    const col = (table as unknown as { column(n: string): unknown }).column(name) as ArrayLike<unknown>;
    const start = at;
    if (Array.isArray(col)) {
      const index = new Map<string, number>();
      const values: unknown[] = [];
      const codes = col.map((v) => {
        const e = encode(v, new Set());
        const k = JSON.stringify(e);
        let c = index.get(k);
        if (c === undefined) {
          c = values.length;
          index.set(k, c);
          values.push(e);
        }
        return c;
      });
      const width = values.length <= 256 ? 1 : values.length <= 65536 ? 2 : 4;
      put(Buffer.from(CODES[width].from(codes).buffer));
      return { type: 'Array', at: start, n: col.length, width, values };
    }
    const ctor = (col as object).constructor;
    if (!ArrayBuffer.isView(col) || TYPED[ctor.name] !== ctor) throw new Error(`column ${name}: not cacheable`);
    put(Buffer.from(col.buffer, col.byteOffset, col.byteLength));
    return { type: ctor.name, at: start, n: col.length };
  });
  const header: Header = { key, names, columns, value: encode(value, new Set()) };
  return Buffer.concat([Buffer.from(MAGIC + JSON.stringify(header) + '\n'), ...parts]);
}

type Encoded = null | boolean | string | number | Encoded[] | { o: Encoded[] } | { n: string };

/** Plain data as JSON: objects as {o: [key, value, …]} in key order, specials as {n: …}. */
function encode(v: unknown, path: Set<unknown>): Encoded {
  if (v === undefined) return { n: 'undefined' };
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number')
    return Number.isFinite(v) && !Object.is(v, -0) ? v : { n: Object.is(v, -0) ? '-0' : String(v) };
  if (typeof v !== 'object') throw new Error(`not cacheable: ${typeof v}`);
  if (path.has(v)) throw new Error('not cacheable: an object twice');
  path.add(v);
  const proto = Object.getPrototypeOf(v);
  const keys = Reflect.ownKeys(v);
  for (const k of keys) {
    const d = Object.getOwnPropertyDescriptor(v, k) as PropertyDescriptor;
    const ok = typeof k === 'string' && d.enumerable && d.writable && d.configurable && !('get' in d && d.get);
    if (!ok && !(Array.isArray(v) && k === 'length')) throw new Error(`not cacheable: property ${String(k)}`);
  }
  if (!Object.isExtensible(v)) throw new Error('not cacheable: a frozen object');
  if (Array.isArray(v) && proto === Array.prototype) {
    if (keys.length !== v.length + 1) throw new Error('not cacheable: an array with holes or extra keys');
    return v.map((x) => encode(x, path));
  }
  if (proto !== Object.prototype) throw new Error('not cacheable: not a plain object');
  const o: Encoded[] = [];
  for (const k of keys as string[]) o.push(k, encode((v as Record<string, unknown>)[k], path));
  return { o };
}

function decode(e: unknown): unknown {
  if (e === null || typeof e !== 'object') return e;
  if (Array.isArray(e)) return e.map(decode);
  const { o, n } = e as { o?: unknown[]; n?: string };
  if (n !== undefined) return n === 'undefined' ? undefined : n === '-0' ? -0 : Number(n);
  const out: Record<string, unknown> = {};
  for (let k = 0; k < (o as unknown[]).length; k += 2) out[(o as string[])[k]] = decode((o as unknown[])[k + 1]);
  return out;
}
