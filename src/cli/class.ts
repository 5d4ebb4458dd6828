/** `nqp class --section NAME --students roster.csv --out DIR [--seed S] [--lang en|zh] [--jobs N]`: prepare a class. */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { NqpError } from '../errors';
import { flagHelp, jobsFlag, parseFlags, str, type FlagSpec } from './args';

export const CLASS_FLAGS: FlagSpec = {
  section: { type: 'string', help: 'NAME: the notebook to assign (index, baseline, robustness, mechanisms, ...)' },
  students: { type: 'string', help: 'FILE: roster CSV with a student_id column (other columns kept)' },
  out: { type: 'string', help: 'DIR: the class folder to write (new or empty)' },
  seed: { type: 'string', help: 'S: class seed; each student seed derives from it and the id (default 1)' },
  lang: { type: 'string', help: 'en|zh: language of the exercise prompts (default en)' },
  jobs: { type: 'string', help: "N: students' notebooks run at once, each in its own kernel (default: the cores)" },
  help: { type: 'boolean', help: 'this help' },
};

function need(v: string | undefined, flag: string): string {
  if (!v) throw new NqpError('BAD_FLAG', `--${flag}`, `nqp class needs --${flag} (${CLASS_FLAGS[flag].help}).`);
  return v;
}

export async function cmdClass(argv: string[]): Promise<number> {
  const p = parseFlags('class', argv, CLASS_FLAGS);
  if (p.values.help) {
    process.stdout.write(`nqp class: prepare a class from one notebook\n\nFlags:\n${flagHelp(CLASS_FLAGS)}\n`);
    return 0;
  }
  const section = need(str(p, 'section'), 'section');
  const roster = resolve(need(str(p, 'students'), 'students'));
  const out = resolve(need(str(p, 'out'), 'out'));
  const seedText = str(p, 'seed') ?? '1';
  if (!/^\d+$/.test(seedText) || !Number.isSafeInteger(Number(seedText)))
    throw new NqpError('BAD_FLAG', '--seed', `--seed takes a whole number, got "${seedText}".`);
  const lang = str(p, 'lang') ?? 'en';
  if (lang !== 'en' && lang !== 'zh') throw new NqpError('BAD_FLAG', '--lang', `--lang takes en or zh, got "${lang}".`);
  if (existsSync(out) && readdirSync(out).length)
    throw new NqpError(
      'BAD_FLAG',
      '--out',
      `--out ${out} exists and is not empty. Give a new folder (a class is written whole, never merged).`,
    );
  const parallel = jobsFlag(p, "students' notebooks");
  const { prepareClass } = await import('../teach');
  const t0 = Date.now();
  const m = await prepareClass({ section, roster, out, seed: Number(seedText), lang, parallel });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  process.stderr.write(
    `class: ${m.students.length} students, ${m.questions.length} questions (${section}), seed ${m.seed}, ` +
      `in ${secs} s\n  students:   ${out}/students/<id>/\n  instructor: ${out}/instructor/ (HANDOUT.md)\n`,
  );
  return 0;
}
