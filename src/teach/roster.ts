/** The class roster: a CSV with a `student_id` column (other columns are kept); ids unique and safe as folder names. */
import { readFileSync } from 'node:fs';
import { parseCsv } from '../data/csv';
import { NqpError } from '../errors';

export interface Student {
  student_id: string;
  /** The roster's other columns, as given. */
  extra: Record<string, string>;
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function readRoster(path: string): Student[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new NqpError('FILE_NOT_FOUND', path, `Roster ${path} cannot be read. Give a CSV with a student_id column.`);
  }
  const raw = parseCsv(text, path);
  const col = raw.names.indexOf('student_id');
  if (col < 0)
    throw new NqpError(
      'MISSING_COLUMN',
      `${path}: student_id`,
      `Roster ${path} has no student_id column (its columns: ${raw.names.join(', ')}). Add one, one id per student.`,
    );
  const n = raw.columns[col].length;
  const seen = new Map<string, number>();
  const out: Student[] = [];
  for (let r = 0; r < n; r++) {
    const id = String(raw.columns[col][r] ?? '').trim();
    const row = r + 2;
    if (!SAFE_ID.test(id))
      throw new NqpError(
        'BAD_CELL',
        `${path} row ${row}`,
        `Roster ${path}, row ${row}: student_id ${JSON.stringify(id)} cannot be a folder name. Use letters, digits, ` +
          "'.', '_' or '-' (starting with a letter or digit, at most 64).",
      );
    if (seen.has(id))
      throw new NqpError(
        'DUPLICATE_KEY',
        `${path} row ${row}`,
        `Roster ${path}: student_id ${id} appears twice (rows ${seen.get(id)} and ${row}). Give each student one id.`,
      );
    seen.set(id, row);
    const extra: Record<string, string> = {};
    raw.names.forEach((nm, c) => {
      if (c !== col) extra[nm] = String(raw.columns[c][r] ?? '');
    });
    out.push({ student_id: id, extra });
  }
  if (!out.length) throw new NqpError('EMPTY_FILE', path, `Roster ${path} lists no students. Add one row per student.`);
  return out;
}
