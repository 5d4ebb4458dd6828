/**
 * `nqp grade`: execute every submission through the tslab kernel on that student's own panel from the class
 * folder, compare each recorded answer with the student's key, and write the gradebook, one feedback page per
 * student and a class summary.
 */
import { csvCell } from '../data/csv';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NqpError } from '../errors';
import type { Notebook } from '../notebook/html';
import { kernelThreads } from '../notebook/kernels';
import type { RecordedAnswer } from './answer';
import { type ClassManifest, pool, type StudentKey, writeJson } from './class';
import { type Execution, executeOnPanel, kernelSlots, kernelsLine } from './execute';
import { exerciseMeta, NOT_ANSWERED, type Tolerance } from './exercises';
import { feedbackPage, summaryPage } from './feedback';

export type Status = 'correct' | 'incorrect' | 'missing' | 'error' | 'timeout';

export interface GradeRow {
  student_id: string;
  question: string;
  points: number;
  max_points: number;
  status: Status;
  feedback: string;
  answer?: RecordedAnswer['value'];
  expected: unknown;
  truth: { value: unknown; note?: string } | null;
  /** The cell that failed for this question (source and error), when one did. */
  failedCell?: { cell: number; source: string; error: string };
}

export interface StudentGrade {
  student_id: string;
  submission?: string;
  seconds: number;
  rows: GradeRow[];
  note?: string;
}

export interface GradeOptions {
  classDir: string;
  submissions: string;
  out: string;
  timeoutMs?: number;
  parallel?: number;
  log?: (line: string) => void;
}

const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Does `got` match `key` within `tol`? Numbers, lists (ordered or as sets), words (case-insensitive), yes/no. */
export function matches(got: unknown, key: unknown, tol: Tolerance): boolean {
  if (num(key)) return num(got) && Math.abs(got - key) <= tol.abs + tol.rel * Math.abs(key);
  if (Array.isArray(key)) {
    if (!Array.isArray(got) || got.length !== key.length) return false;
    const norm = (xs: unknown[]) =>
      tol.unordered ? [...xs].map((x) => (typeof x === 'string' ? x.trim().toLowerCase() : x)).sort() : xs;
    const [g, k] = [norm(got), norm(key)];
    return k.every((kv, i) => matches(g[i], kv, { ...tol, unordered: false }));
  }
  if (typeof key === 'string') return typeof got === 'string' && got.trim().toLowerCase() === key.trim().toLowerCase();
  return got === key;
}

export function shownValue(v: unknown): string {
  if (num(v)) return String(Number(v.toPrecision(6)));
  if (Array.isArray(v)) return `[${v.map(shownValue).join(', ')}]`;
  return v === undefined ? '—' : JSON.stringify(v);
}

/** What the truth says about an answer: the value, and whether an interval covers it. */
function truthLine(got: unknown, truth: GradeRow['truth']): string {
  if (!truth || truth.value === null || truth.value === undefined) return '';
  let s = ` True value: ${shownValue(truth.value)}${truth.note ? ` (${truth.note})` : ''}.`;
  if (num(truth.value) && Array.isArray(got) && got.length === 2 && num(got[0]) && num(got[1])) {
    const covers = got[0] <= truth.value && truth.value <= got[1];
    s += covers ? ' Your interval covers it.' : ' Your interval does not cover it.';
  }
  return s;
}

function failureFor(run: Execution, cellId: string, nb: Notebook, question: string) {
  const byId = run.failures.find((f) => f.cellId === cellId);
  if (byId) return byId;
  // A cell whose id was lost (some editors) is found by its exercise metadata.
  return run.failures.find((f) => exerciseMeta(nb.cells[f.cell - 1])?.exercise === question);
}

/** Grade one executed submission against a key. */
export function gradeRun(m: ClassManifest, key: StudentKey, run: Execution | undefined, why?: string): GradeRow[] {
  return m.questions.map((q) => {
    const k = key.questions.find((e) => e.question === q.question);
    const base = {
      student_id: key.student_id,
      question: q.question,
      max_points: q.points,
      expected: k?.value,
      truth: k?.truth ?? null,
    };
    if (!run) return { ...base, points: 0, status: 'missing' as Status, feedback: why ?? 'No submission.' };
    const got = run.answers.get(q.question);
    const exp = `expected ${shownValue(k?.value)}`;
    if (got) {
      const ok = matches(got.value, k?.value, q.tolerance);
      const tol = ` (tolerance ${q.tolerance.rel} relative${q.tolerance.unordered ? ', any order' : ''})`;
      return {
        ...base,
        answer: got.value,
        points: ok ? q.points : 0,
        status: (ok ? 'correct' : 'incorrect') as Status,
        feedback:
          (ok
            ? `Correct: ${shownValue(got.value)}.`
            : `Incorrect: you recorded ${shownValue(got.value)}, ${exp}${tol}. Check the steps against the prompt.`) +
          truthLine(got.value, k?.truth ?? null),
      };
    }
    const f = failureFor(run, q.cellId, run.notebook, q.question);
    if (run.timedOut && (!f || (run.stoppedAt ?? 0) <= f.cell))
      return {
        ...base,
        points: 0,
        status: 'timeout' as Status,
        feedback: `Not reached: the notebook ran past the time limit (in cell ${run.stoppedAt}); ${exp}.`,
      };
    if (run.fatal) return { ...base, points: 0, status: 'error' as Status, feedback: `${run.fatal} ${exp}.` };
    if (f && !f.error.includes(NOT_ANSWERED))
      return {
        ...base,
        points: 0,
        status: 'error' as Status,
        feedback: `The cell failed (cell ${f.cell}): ${f.error}; ${exp}.`,
        failedCell: { cell: f.cell, source: f.source, error: f.error },
      };
    return { ...base, points: 0, status: 'missing' as Status, feedback: `Not answered; ${exp}.` };
  });
}

function findSubmission(dir: string, id: string, section: string): string | undefined {
  for (const p of [join(dir, id, `${section}.ipynb`), join(dir, `${id}.ipynb`)]) if (existsSync(p)) return p;
  return undefined;
}

export function gradebookCsv(grades: StudentGrade[]): string {
  const head = 'student_id,question,points,max_points,status,feedback';
  const rows = grades.flatMap((g) =>
    g.rows.map((r) =>
      [r.student_id, r.question, String(r.points), String(r.max_points), r.status, csvCell(r.feedback)].join(','),
    ),
  );
  return `${[head, ...rows].join('\n')}\n`;
}

export function readManifest(classDir: string): ClassManifest {
  const p = join(classDir, 'instructor', 'class.json');
  if (!existsSync(p))
    throw new NqpError(
      'FILE_NOT_FOUND',
      p,
      `${classDir} is not a class folder (no instructor/class.json). Give the --out folder of nqp class.`,
    );
  return JSON.parse(readFileSync(p, 'utf8'));
}

/** Grade a class. Resolves with every student's grade, in roster order; writes the report folder. */
export async function gradeClass(o: GradeOptions): Promise<StudentGrade[]> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const m = readManifest(o.classDir);
  if (!existsSync(o.submissions))
    throw new NqpError('FILE_NOT_FOUND', o.submissions, `Submissions folder ${o.submissions} does not exist.`);
  mkdirSync(join(o.out, 'feedback'), { recursive: true });
  mkdirSync(join(o.out, 'executed'), { recursive: true });
  const width = o.parallel ?? require('node:os').cpus().length;
  const threads = kernelThreads(Math.min(width, m.students.length));
  const slots = await kernelSlots(width, m.students.length);
  log(kernelsLine(width, m.students.length, slots));
  const grades = await pool(m.students, width, async (s, _, w): Promise<StudentGrade> => {
    const id = s.student_id;
    const key: StudentKey = JSON.parse(readFileSync(join(o.classDir, 'instructor', 'keys', `${id}.json`), 'utf8'));
    const sub = findSubmission(o.submissions, id, m.section);
    if (!sub) {
      const why = `No submission (looked for ${id}/${m.section}.ipynb and ${id}.ipynb).`;
      log(`  ${id}: no submission`);
      return { student_id: id, seconds: 0, rows: gradeRun(m, key, undefined, why), note: why };
    }
    let nb: Notebook;
    try {
      nb = JSON.parse(readFileSync(sub, 'utf8'));
      if (!Array.isArray(nb.cells)) throw new Error('no cells');
    } catch (e) {
      const why = `The submission ${sub} is not a readable notebook (${(e as Error).message}).`;
      const rows = gradeRun(m, key, undefined, why).map((r) => ({ ...r, status: 'error' as Status }));
      return { student_id: id, submission: sub, seconds: 0, rows, note: why };
    }
    const panel = join(o.classDir, 'students', id, 'data', 'panel.csv');
    const run = await executeOnPanel(nb, panel, o.timeoutMs ?? 300_000, threads, slots?.folders[w]);
    writeJson(join(o.out, 'executed', `${id}.ipynb`), run.notebook);
    const rows = gradeRun(m, key, run);
    const pts = rows.reduce((a, r) => a + r.points, 0);
    const max = rows.reduce((a, r) => a + r.max_points, 0);
    log(`  ${id}: ${pts}/${max} in ${run.seconds.toFixed(1)} s${run.timedOut ? ' (timeout)' : ''}`);
    return { student_id: id, submission: sub, seconds: run.seconds, rows, note: run.fatal };
  }).finally(() => slots?.done());
  writeFileSync(join(o.out, 'gradebook.csv'), gradebookCsv(grades));
  for (const g of grades) writeFileSync(join(o.out, 'feedback', `${g.student_id}.html`), feedbackPage(m, g));
  writeFileSync(join(o.out, 'summary.html'), summaryPage(m, grades));
  return grades;
}
