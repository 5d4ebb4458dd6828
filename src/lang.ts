/**
 * The language of everything the package writes for a reader: English (default) or Chinese. A notebook sets it once
 * from its settings cell (`setLang(LANG)`); tables, charts and sentences built afterwards follow it.
 *
 * Two sources, both in data/glossary.csv (columns kind, en, zh), the one file the tests read:
 * - `term` rows: the words of the Chinese literature (新质生产力, 双向固定效应, ...). Phrases and sentences must use them.
 * - `phrase` rows: fixed texts of tables and charts (titles, column headers, notes, axis titles). `{1}`, `{2}` … in
 *   the English form match any text, translated in turn and put in the Chinese form at the same number.
 * Sentences computed from results (src/report/narrate.ts, claims.ts) carry both forms in code and pick one with `say`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NqpError } from './errors';

export type Lang = 'en' | 'zh';

let current: Lang = 'en';

/** Set the language of tables, charts and sentences built from now on. @example setLang(LANG) */
export function setLang(lang: Lang): void {
  if (lang !== 'en' && lang !== 'zh')
    throw new NqpError('BAD_OPTION', 'LANG', `LANG takes 'en' or 'zh'; got "${String(lang)}". Fix the settings cell.`);
  // Returns nothing, so the notebook cell that calls it shows no stray "en" / "zh" output.
  current = lang;
}

/** The language set by setLang (default 'en'). */
export function getLang(): Lang {
  return current;
}

/** The form for the current language (or for `lang`): `say('grows', '增大')`. */
export function say(en: string, zh: string, lang: Lang = current): string {
  return lang === 'zh' ? zh : en;
}

export interface GlossaryRow {
  kind: 'term' | 'phrase';
  en: string;
  zh: string;
}

/** RFC 4180 rows of a small CSV text (quoted fields may hold commas, quotes and newlines). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endField();
      rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length) {
    endField();
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f !== ''));
}

let cache: GlossaryRow[] | undefined;

/** The glossary (data/glossary.csv): terms and fixed phrases, each with its English and Chinese form. */
export function glossary(path?: string): GlossaryRow[] {
  if (cache && path === undefined) return cache;
  const file = path ?? resolve(__dirname, '..', 'data', 'glossary.csv');
  const [head, ...rows] = csvRows(readFileSync(file, 'utf8'));
  const at = (k: string) => head.indexOf(k);
  const out = rows.map((r, i) => {
    const row = { kind: r[at('kind')], en: r[at('en')], zh: r[at('zh')] } as GlossaryRow;
    if ((row.kind !== 'term' && row.kind !== 'phrase') || !row.en || !row.zh)
      throw new NqpError('BAD_FILE', `${file}:${i + 2}`, `Glossary row ${i + 2} needs kind term|phrase, en and zh.`);
    return row;
  });
  if (path === undefined) cache = out;
  return out;
}

interface Phrasebook {
  exact: Map<string, string>;
  patterns: { re: RegExp; zh: string }[];
}
let book: Phrasebook | undefined;

function phrasebook(): Phrasebook {
  if (book) return book;
  const exact = new Map<string, string>();
  const patterns: Phrasebook['patterns'] = [];
  for (const r of glossary()) {
    if (!/\{\d\}/.test(r.en)) exact.set(r.en, r.zh);
    else {
      const parts = r.en.split(/\{\d\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      const order = [...r.en.matchAll(/\{(\d)\}/g)].map((m) => m[1]);
      const re = new RegExp(`^${parts.join('(.+?)')}$`, 's');
      let zh = r.zh;
      // Capture groups are numbered by position; the Chinese form refers to them by the English placeholder number.
      order.forEach((n, k) => {
        zh = zh.replaceAll(`{${n}}`, `⟦${k + 1}⟧`);
      });
      patterns.push({ re, zh });
    }
  }
  // The most specific pattern first: the one with the longest fixed text.
  patterns.sort(
    (a, b) => b.re.source.replace(/\(\.\+\?\)/g, '').length - a.re.source.replace(/\(\.\+\?\)/g, '').length,
  );
  book = { exact, patterns };
  return book;
}

/**
 * A fixed text (title, header, note, axis title) in the current language: the glossary's Chinese form under 'zh',
 * the text itself otherwise or when the glossary has none.
 */
export function tr(text: string, lang: Lang = current): string {
  if (lang !== 'zh' || !text) return text;
  const b = phrasebook();
  const hit = b.exact.get(text) ?? b.exact.get(text.trim());
  if (hit !== undefined) return hit;
  for (const p of b.patterns) {
    const m = p.re.exec(text);
    if (m) return p.zh.replace(/⟦(\d)⟧/g, (_, k) => tr(m[Number(k)], lang));
  }
  return text;
}

/** Keys of a Vega-Lite spec whose string values a reader sees (the rest name fields, marks and operations). */
const SEEN = new Set(['title', 'text', 'subtitle', 'description']);
/** Keys whose arrays or objects hold data values or their order, translated as a whole for consistency. */
const DATA = new Set(['values', 'domain', 'sort']);

/** A Vega-Lite spec with every title, text and data value a reader sees in the current language. */
export function trSpec<T>(spec: T, lang: Lang = current): T {
  if (lang !== 'zh') return spec;
  const walk = (x: unknown, key: string, inData: boolean): unknown => {
    if (typeof x === 'string') return SEEN.has(key) || inData ? tr(x, lang) : x;
    if (Array.isArray(x)) return x.map((v) => walk(v, key, inData || DATA.has(key)));
    if (x && typeof x === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) o[k] = walk(v, k, inData || DATA.has(key));
      return o;
    }
    return x;
  };
  return walk(spec, '', false) as T;
}
