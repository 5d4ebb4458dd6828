/**
 * Exercises inside the source notebooks, nbgrader's way: a code cell whose metadata says `nqp.exercise: 'q3'` holds
 * its solution between `// BEGIN SOLUTION` and `// END SOLUTION`. One source gives both versions: the notebook as
 * it is (solutions in, runs top to bottom) and the student version, where each region becomes
 * `// YOUR CODE HERE` and a line that throws "not answered yet".
 */
import { NqpError } from '../errors';
import { cellSource, type Notebook, type NotebookCell } from '../notebook/html';
import { LANG_SETTING } from '../notebook/lang';

export const BEGIN = '// BEGIN SOLUTION';
export const END = '// END SOLUTION';
export const YOUR_CODE = '// YOUR CODE HERE';
/** The error an unanswered exercise throws; the grader counts such a question `missing`, not `error`. */
export const NOT_ANSWERED = 'not answered yet';

/** How close an answer must be to the key: |answer − key| ≤ abs + rel·|key|, element by element. */
export interface Tolerance {
  rel: number;
  abs: number;
  /** A list answer compared as a set (order ignored), e.g. the channels a test supports. */
  unordered?: boolean;
}
export const DEFAULT_TOLERANCE: Tolerance = { rel: 1e-3, abs: 1e-8 };

/** One exercise as the source notebook declares it (cell metadata `nqp`). */
export interface Exercise {
  question: string;
  points: number;
  /** The cell's nbformat id, by which a submission's cell is found again. */
  cellId: string;
  /** The prompt: the cell's comment lines above the solution region. */
  prompt: string;
  tolerance: Tolerance;
  /** A path into the student's truth (instructor/truth/<id>.json), e.g. `teach.active_channels`. */
  truth?: string;
  /** What the true value means, shown beside it (units, why it need not equal the estimate). */
  truthNote?: string;
}

interface ExerciseMeta {
  exercise?: string;
  points?: number;
  tolerance?: Partial<Tolerance>;
  truth?: string;
  truth_note?: string;
  /** The prompt in Chinese, for `nqp class --lang zh`. */
  zh_prompt?: string;
}

export function exerciseMeta(cell: NotebookCell): ExerciseMeta | undefined {
  const m = (cell.metadata?.nqp as ExerciseMeta | undefined) ?? undefined;
  return m && typeof m.exercise === 'string' ? m : undefined;
}

const lines = (cell: NotebookCell) => cellSource(cell).split('\n');

/** The exercises of a notebook, validated: unique ids, one solution region each, which records its answer. */
export function exercisesOf(nb: Notebook, name: string): Exercise[] {
  const out: Exercise[] = [];
  const seen = new Set<string>();
  nb.cells.forEach((cell, i) => {
    const m = exerciseMeta(cell);
    if (!m) return;
    const q = m.exercise as string;
    const where = `${name}.ipynb cell ${i + 1} (${q})`;
    const fail = (what: string) => {
      throw new NqpError('NOTEBOOK_FAILED', where, `Exercise ${where}: ${what}`);
    };
    if (cell.cell_type !== 'code') fail('an exercise must be a code cell.');
    if (seen.has(q)) fail(`question id ${q} is used twice; give each exercise its own id.`);
    seen.add(q);
    const id = (cell as { id?: string }).id;
    if (!id) fail('the cell has no id (nbformat 4.5); give it one.');
    const src = lines(cell);
    const b = src.findIndex((l) => l.trim() === BEGIN);
    const e = src.findIndex((l) => l.trim() === END);
    if (b < 0 || e < b || src.filter((l) => l.trim() === BEGIN).length !== 1)
      fail(`put the solution between one "${BEGIN}" line and one "${END}" line.`);
    const region = src.slice(b + 1, e).join('\n');
    if (!new RegExp(`answer\\(\\s*['"]${q}['"]`).test(region))
      fail(`the solution region must record its answer with answer('${q}', value).`);
    const prompt = src
      .slice(0, b)
      .map((l) => l.replace(/^\s*\/\/\s?/, ''))
      .join('\n')
      .trim();
    out.push({
      question: q,
      points: typeof m.points === 'number' && m.points > 0 ? m.points : 1,
      cellId: id as string,
      prompt,
      tolerance: { ...DEFAULT_TOLERANCE, ...(m.tolerance ?? {}) },
      truth: m.truth,
      truthNote: m.truth_note,
    });
  });
  return out;
}

/**
 * The exercise cell with its solution region replaced (indentation kept); with `zhPrompt`, the comment lines above
 * the region become the Chinese prompt.
 */
export function stripSolution(cell: NotebookCell, question: string, zhPrompt?: string): string {
  const src = lines(cell);
  const b = src.findIndex((l) => l.trim() === BEGIN);
  const e = src.findIndex((l) => l.trim() === END);
  const indent = /^\s*/.exec(src[b])?.[0] ?? '';
  const head = zhPrompt ? zhPrompt.split('\n').map((l) => `${indent}// ${l}`) : src.slice(0, b);
  return [
    ...head,
    `${indent}${YOUR_CODE}`,
    `${indent}throw new Error('${question}: ${NOT_ANSWERED}');`,
    ...src.slice(e + 1),
  ].join('\n');
}

/** Solution code: every non-trivial line inside a solution region (used to check a student version is clean). */
export function solutionLines(nb: Notebook): string[] {
  const out: string[] = [];
  for (const cell of nb.cells) {
    if (!exerciseMeta(cell)) continue;
    const src = lines(cell);
    const b = src.findIndex((l) => l.trim() === BEGIN);
    const e = src.findIndex((l) => l.trim() === END);
    for (const l of src.slice(b + 1, e)) if (l.trim().length > 12) out.push(l.trim());
  }
  return out;
}

function toSource(text: string): string[] {
  return text.split(/(?<=\n)/);
}

/** A copy with every output cleared: what is committed and what students get. */
export function withoutOutputs(nb: Notebook): Notebook {
  const copy: Notebook = JSON.parse(JSON.stringify(nb));
  for (const c of copy.cells) {
    if (c.cell_type !== 'code') continue;
    c.outputs = [];
    c.execution_count = null;
  }
  return copy;
}

/**
 * The student version: solutions replaced, outputs cleared, markdown prompts in `lang` where the source gives one
 * (`metadata.nqp.zh`). Throws if any solution line would survive (the one source must not leak).
 */
export function studentVersion(nb: Notebook, name: string, lang: 'en' | 'zh' = 'en'): Notebook {
  exercisesOf(nb, name);
  const copy = withoutOutputs(nb);
  for (const c of copy.cells) {
    const m = exerciseMeta(c);
    if (m) c.source = toSource(stripSolution(c, m.exercise as string, lang === 'zh' ? m.zh_prompt : undefined));
    const zh = (c.metadata?.nqp as { zh?: string } | undefined)?.zh;
    if (lang === 'zh' && typeof zh === 'string') c.source = toSource(zh);
    // The student's tables, charts and sentences in the prompts' language (the notebook's LANG setting).
    if (lang === 'zh' && c.cell_type === 'code' && LANG_SETTING.test(cellSource(c)))
      c.source = toSource(cellSource(c).replace(LANG_SETTING, "const LANG = 'zh' as 'en' | 'zh';"));
  }
  const text = copy.cells.map(cellSource).join('\n');
  // A solution line that also appears in the notebook's own (non-exercise) cells is not a leak.
  const shared = nb.cells
    .filter((c) => !exerciseMeta(c))
    .map(cellSource)
    .join('\n');
  const leaked = solutionLines(nb).find((l) => text.includes(l) && !shared.includes(l));
  if (leaked || text.includes(BEGIN))
    throw new NqpError(
      'NOTEBOOK_FAILED',
      name,
      `The student version of ${name}.ipynb would still contain solution code (${leaked ?? BEGIN}). ` +
        'Keep solution lines inside the marked regions only.',
    );
  return copy;
}
