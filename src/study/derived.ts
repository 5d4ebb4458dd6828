/**
 * The study panel as files another tool can read: every column `studyPanel` builds (raw indicators as interpolated,
 * the codebook's constructed variables, the city facts, the entropy indices and their dimensions, Martin's index)
 * as CSV, with a codebook that says how each column was made. `nqp data --derived --out DIR` writes both, for Stata
 * or R; `nqp fit --study` fits on the same table in memory.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvCell } from '../data/csv';
import { DERIVED } from '../data/derive';
import type { Table } from '../data/table';
import type { StudyPanel } from './panel';

export interface StudyColumn {
  name: string;
  name_zh: string;
  label: string;
  /** How the column was made: raw, constructed (with its formula), city facts, index, Martin. */
  made_by: string;
}

const CITY_FACTS: Record<string, string> = {
  name_en: 'city facts (data/cities.csv): English name',
  province: 'city facts (data/cities.csv): province',
  region: 'city facts (data/cities.csv): region',
  admin_level: 'city facts (data/cities.csv): administrative level',
  resource_type: 'city facts (data/cities.csv): type in the 2013 national plan for resource-based cities',
  resource_based: 'city facts (data/cities.csv): 1 = resource-based city',
  high_admin: 'city facts: 1 = municipality, sub-provincial city or provincial capital',
};

/** How each column of the study panel was made, in the table's column order. */
export function studyColumns(study: StudyPanel): StudyColumn[] {
  const entry = new Map(study.codebook.map((e) => [e.name, e]));
  const formula = new Map(DERIVED.map((d) => [d.name, d.formula]));
  const indexOf = new Map<string, string>();
  for (const ix of [study.nqp, study.resilience]) {
    indexOf.set(ix.name, `entropy-weighted index of the ${ix.name} indicators (weights: Table 2)`);
    for (const d of ix.dimensions) indexOf.set(d.column, `${ix.name} sub-index of the ${d.dimension} dimension`);
  }
  const raw = new Set(
    study.codebook.filter((e) => e.role.endsWith('indicator') || e.role === 'raw').map((e) => e.name),
  );
  return study.data.columnNames().map((name) => {
    const e = entry.get(name);
    const made_by =
      name === 'city_code' || name === 'year'
        ? 'key'
        : formula.has(name)
          ? `constructed: ${formula.get(name)}`
          : (CITY_FACTS[name] ??
            indexOf.get(name) ??
            (name === 'resilience_martin'
              ? "Martin's (2012) sensitivity index from GDP growth against national growth"
              : raw.has(name) || study.load.extraColumns.includes(name) || e
                ? 'raw (interpolated within city)'
                : 'study pipeline'));
    return { name, name_zh: e?.name_zh ?? '', label: e?.label ?? '', made_by };
  });
}

function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return csvCell(String(v));
}

/** The table as CSV: numbers as JavaScript prints them (shortest text that reads back exactly), missing as empty. */
export function tableCsv(data: Table): string {
  const names = data.columnNames();
  const cols = names.map((n) => data.array(n) as ArrayLike<unknown>);
  const lines = [names.map(csvField).join(',')];
  for (let r = 0; r < data.numRows(); r++) lines.push(cols.map((c) => csvField(c[r])).join(','));
  return `${lines.join('\n')}\n`;
}

/** Write DIR/panel_derived.csv and DIR/codebook_derived.csv; returns their paths. */
export function writeStudyPanel(study: StudyPanel, dir: string): { panel: string; codebook: string } {
  const panel = join(dir, 'panel_derived.csv');
  const codebook = join(dir, 'codebook_derived.csv');
  writeFileSync(panel, tableCsv(study.data));
  const rows = studyColumns(study).map((c) => [c.name, c.name_zh, c.label, c.made_by].map(csvField).join(','));
  writeFileSync(codebook, `name,name_zh,label,made_by\n${rows.join('\n')}\n`);
  return { panel, codebook };
}
