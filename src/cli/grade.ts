/**
 * `nqp grade --class DIR --submissions SUBDIR [--out REPORT] [--timeout SECONDS] [--jobs N]`: grade through the
 * kernel.
 */
import { resolve } from 'node:path';
import { NqpError } from '../errors';
import { flagHelp, jobsFlag, parseFlags, str, type FlagSpec } from './args';

export const GRADE_FLAGS: FlagSpec = {
  class: { type: 'string', help: 'DIR: the class folder written by nqp class' },
  submissions: { type: 'string', help: 'SUBDIR: SUBDIR/<id>/<section>.ipynb or SUBDIR/<id>.ipynb' },
  out: { type: 'string', help: 'REPORT: folder for gradebook.csv, feedback/ and summary.html (default report)' },
  timeout: { type: 'string', help: 'SECONDS: time limit per notebook (default 300)' },
  jobs: { type: 'string', help: "N: students' notebooks run at once, each in its own kernel (default: the cores)" },
  help: { type: 'boolean', help: 'this help' },
};

export async function cmdGrade(argv: string[]): Promise<number> {
  const p = parseFlags('grade', argv, GRADE_FLAGS);
  if (p.values.help) {
    process.stdout.write(`nqp grade: grade submissions through the kernel\n\nFlags:\n${flagHelp(GRADE_FLAGS)}\n`);
    return 0;
  }
  const classDir = str(p, 'class');
  const subs = str(p, 'submissions');
  if (!classDir || !subs)
    throw new NqpError(
      'BAD_FLAG',
      classDir ? '--submissions' : '--class',
      'nqp grade needs --class and --submissions.',
    );
  const t = str(p, 'timeout') ?? '300';
  const secs = Number(t);
  if (!/^\d+(\.\d+)?$/.test(t) || !(secs > 0))
    throw new NqpError('BAD_FLAG', '--timeout', `--timeout takes a number of seconds above 0, got "${t}".`);
  const out = resolve(str(p, 'out') ?? 'report');
  const parallel = jobsFlag(p, "students' notebooks");
  const { gradeClass } = await import('../teach');
  const t0 = Date.now();
  const grades = await gradeClass({
    classDir: resolve(classDir),
    submissions: resolve(subs),
    out,
    timeoutMs: secs * 1000,
    parallel,
  });
  const rows = grades.flatMap((g) => g.rows);
  const pts = rows.reduce((s, r) => s + r.points, 0);
  const max = rows.reduce((s, r) => s + r.max_points, 0);
  process.stderr.write(
    `grade: ${grades.length} students, ${pts}/${max} points in all, ${((Date.now() - t0) / 1000).toFixed(1)} s; ` +
      `${out}/gradebook.csv, ${out}/summary.html\n`,
  );
  return 0;
}
