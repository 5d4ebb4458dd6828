import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const nqp = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'bin', 'nqp.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
const tmp = mkdtempSync(join(tmpdir(), 'nqp-teach-cli-'));

test('nqp class / grade: bad input exits 2 with one readable line, before any kernel starts', () => {
  const roster = join(tmp, 'roster.csv');
  writeFileSync(roster, 'student_id\nann\n');
  const cases: [string[], RegExp][] = [
    [['class', '--section', 'nope', '--students', roster, '--out', join(tmp, 'a')], /--section nope is not a notebook/],
    [['class', '--section', 'mechanisms', '--out', join(tmp, 'b')], /needs --students/],
    [['class', '--section', 'mechanisms', '--students', roster, '--out', tmp], /not empty/],
    [['class', '--section', 'mechanisms', '--students', roster, '--out', join(tmp, 'c'), '--lang', 'fr'], /en or zh/],
    [['grade', '--class', join(tmp, 'none'), '--submissions', tmp], /not a class folder/],
    [['grade', '--class', tmp, '--submissions', tmp, '--timeout', '-1'], /--timeout/],
    [['grade', '--clas', tmp], /did you mean --class/],
    [
      ['class', '--section', 'mechanisms', '--students', roster, '--out', join(tmp, 'd'), '--jobs', '0'],
      /--jobs takes/,
    ],
    [['grade', '--class', tmp, '--submissions', tmp, '--jobs', '1.5'], /--jobs takes a whole number of students'/],
  ];
  for (const [args, msg] of cases) {
    const r = nqp(...args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, msg);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  assert.match(nqp('--help').stdout, /nqp class --section NAME/);
});
