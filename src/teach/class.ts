/**
 * `nqp class`: one command prepares a class. Every student gets their own simulated panel (own seed, own true
 * parameters) and the exercise version of one section; the teacher gets the solution notebook, each student's key
 * (each answer computed by the solution through the real kernel on that student's data), every panel's truth, and a
 * handout. Same seed, same folder, byte for byte: nothing written depends on the clock or the machine.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NqpError } from '../errors';
import type { Notebook } from '../notebook/html';
import { injectData, NOTEBOOKS } from '../notebook/run';
import { panelCsv } from '../simulate';
import { executeOnPanel, kernelSlots, kernelsLine } from './execute';
import { kernelThreads } from '../notebook/kernels';
import { type Exercise, exercisesOf, studentVersion, withoutOutputs } from './exercises';
import { handout } from './handout';
import { drawModel, studentSeed } from './params';
import { readRoster, type Student } from './roster';

export interface ClassOptions {
  section: string;
  roster: string;
  out: string;
  /** Class seed: every student's seed derives from it and their id. Default 1. */
  seed?: number;
  lang?: 'en' | 'zh';
  /** Solution runs at once when computing keys. Default the number of cores. */
  parallel?: number;
  /** Time limit for one solution run, ms. Default 600000. */
  timeoutMs?: number;
  log?: (line: string) => void;
  /** The notebooks folder (default the package's notebooks/). */
  notebooksDir?: string;
}

/** instructor/class.json: what `nqp grade` reads. */
export interface ClassManifest {
  section: string;
  seed: number;
  lang: 'en' | 'zh';
  questions: Exercise[];
  students: { student_id: string; seed: number; extra: Record<string, string> }[];
}

export interface KeyEntry {
  question: string;
  points: number;
  value: unknown;
  tolerance: Exercise['tolerance'];
  truth: { value: unknown; note?: string } | null;
}

export interface StudentKey {
  student_id: string;
  section: string;
  seed: number;
  questions: KeyEntry[];
}

export const writeJson = (path: string, x: unknown) => writeFileSync(path, `${JSON.stringify(x, null, 2)}\n`);

/** A value in the truth by a dotted path (`indirect_effects.innov`, `teach.active_channels`). */
export function truthAt(truth: unknown, path: string): unknown {
  let v: unknown = truth;
  for (const k of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

export function sourceNotebook(section: string, dir: string): Notebook {
  if (!(NOTEBOOKS as readonly string[]).includes(section))
    throw new NqpError(
      'BAD_FLAG',
      '--section',
      `--section ${section} is not a notebook; choose one of ${NOTEBOOKS.join(', ')}.`,
    );
  return JSON.parse(readFileSync(join(dir, `${section}.ipynb`), 'utf8'));
}

/** Run `f` over `items`, `width` at a time, results in order; `w` says which of the `width` runs it is in. */
export async function pool<T, R>(
  items: T[],
  width: number,
  f: (x: T, i: number, w: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (_: unknown, w: number) => {
    for (let i = next++; i < items.length; i = next++) out[i] = await f(items[i], i, w);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, worker));
  return out;
}

/** Prepare the class folder. Resolves with the manifest written to instructor/class.json. */
export async function prepareClass(o: ClassOptions): Promise<ClassManifest> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const lang = o.lang ?? 'en';
  const seed = o.seed ?? 1;
  const nbDir = o.notebooksDir ?? join(__dirname, '..', '..', 'notebooks');
  const source = sourceNotebook(o.section, nbDir);
  const questions = exercisesOf(source, o.section);
  if (!questions.length)
    throw new NqpError('NOTEBOOK_FAILED', o.section, `Notebook ${o.section}.ipynb has no exercises to assign.`);
  const roster: Student[] = readRoster(o.roster);
  const student = studentVersion(source, o.section, lang);
  injectData(student, o.section, 'data/panel.csv');
  const solution = withoutOutputs(source);

  const inst = join(o.out, 'instructor');
  for (const d of ['solutions', 'keys', 'truth']) mkdirSync(join(inst, d), { recursive: true });
  writeJson(join(inst, 'solutions', `${o.section}.ipynb`), solution);
  const manifest: ClassManifest = {
    section: o.section,
    seed,
    lang,
    questions,
    students: roster.map((s) => ({ student_id: s.student_id, seed: studentSeed(seed, s.student_id), extra: s.extra })),
  };
  const truths = new Map<string, unknown>();
  for (const s of manifest.students) {
    const { model, draw } = drawModel(s.seed);
    const files = panelCsv({ seed: s.seed, model });
    const dir = join(o.out, 'students', s.student_id);
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data', 'panel.csv'), files.panel);
    writeJson(join(dir, `${o.section}.ipynb`), student);
    const truth = { ...JSON.parse(files.truth), teach: draw };
    truths.set(s.student_id, truth);
    writeJson(join(inst, 'truth', `${s.student_id}.json`), truth);
  }
  log(`class: ${manifest.students.length} panels and exercise notebooks written; computing keys through the kernel`);
  const width = o.parallel ?? require('node:os').cpus().length;
  const threads = kernelThreads(Math.min(width, manifest.students.length));
  const slots = await kernelSlots(width, manifest.students.length);
  log(kernelsLine(width, manifest.students.length, slots));
  await pool(manifest.students, width, async (s, _, w) => {
    const panel = join(o.out, 'students', s.student_id, 'data', 'panel.csv');
    const run = await executeOnPanel(solution, panel, o.timeoutMs ?? 600_000, threads, slots?.folders[w]);
    const failure = run.fatal ?? (run.timedOut ? 'it ran past the time limit' : run.failures[0]?.error);
    if (failure) {
      const cell = run.failures[0]?.cell ?? run.stoppedAt;
      throw new NqpError(
        'NOTEBOOK_FAILED',
        `${o.section}.ipynb cell ${cell}`,
        `The solution of ${o.section} failed on student ${s.student_id}'s panel (seed ${s.seed}), cell ${cell}: ` +
          `${failure}. Fix the notebook (it must run on every simulated panel) and prepare the class again.`,
      );
    }
    const unanswered = questions.filter((q) => !run.answers.has(q.question)).map((q) => q.question);
    if (unanswered.length)
      throw new NqpError(
        'NOTEBOOK_FAILED',
        o.section,
        `The solution of ${o.section} recorded no answer for ${unanswered.join(', ')} on student ${s.student_id}'s ` +
          "panel. Each exercise's solution region must call answer(id, value).",
      );
    const truth = truths.get(s.student_id);
    const key: StudentKey = {
      student_id: s.student_id,
      section: o.section,
      seed: s.seed,
      questions: questions.map((q) => ({
        question: q.question,
        points: q.points,
        value: run.answers.get(q.question)?.value ?? null,
        tolerance: q.tolerance,
        truth: q.truth ? { value: truthAt(truth, q.truth) ?? null, note: q.truthNote } : null,
      })),
    };
    writeJson(join(inst, 'keys', `${s.student_id}.json`), key);
    log(`  key ${s.student_id}: ${run.seconds.toFixed(1)} s`);
  }).finally(() => slots?.done());
  writeJson(join(inst, 'class.json'), manifest);
  writeFileSync(join(inst, 'HANDOUT.md'), handout(manifest));
  return manifest;
}
