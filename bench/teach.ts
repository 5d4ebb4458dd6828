/**
 * A teacher's class timed as run: `nqp class` for NQP_BENCH_STUDENTS students (default 30) on one section
 * (NQP_BENCH_SECTION, default mechanisms; keys are computed through the kernel, one solution run per student),
 * then `nqp grade` with the solution notebook as every student's submission (each executed through tslab on
 * the student's own panel). Reports wall seconds for both and per submission, and checks full marks.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

export function benchTeach(): Record<string, unknown> {
  const n = Number(process.env.NQP_BENCH_STUDENTS ?? 30);
  const section = process.env.NQP_BENCH_SECTION ?? 'mechanisms';
  const dir = mkdtempSync(join(tmpdir(), 'nqp-bench-class-'));
  try {
    const ids = Array.from({ length: n }, (_, i) => `s${String(i + 1).padStart(2, '0')}`);
    writeFileSync(join(dir, 'roster.csv'), `student_id\n${ids.join('\n')}\n`);
    const nqp = (...args: string[]) => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'nqp.js'), ...args], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`nqp ${args[0]} failed: ${r.stderr}`);
      return (performance.now() - t0) / 1000;
    };
    const cls = join(dir, 'class');
    const classS = nqp('class', '--section', section, '--students', join(dir, 'roster.csv'), '--out', cls);
    const subs = join(dir, 'subs');
    mkdirSync(subs);
    for (const id of ids)
      copyFileSync(join(cls, 'instructor', 'solutions', `${section}.ipynb`), join(subs, `${id}.ipynb`));
    const gradeS = nqp('grade', '--class', cls, '--submissions', subs, '--out', join(dir, 'report'));
    const book = readFileSync(join(dir, 'report', 'gradebook.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    const correct = book.filter((l) => l.split(',')[4] === 'correct').length;
    return {
      section,
      students: n,
      cores: cpus().length,
      class_s: Number(classS.toFixed(1)),
      grade_s: Number(gradeS.toFixed(1)),
      grade_s_per_submission: Number((gradeS / n).toFixed(2)),
      all_correct: correct === book.length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) process.stdout.write(`${JSON.stringify(benchTeach(), null, 2)}\n`);
