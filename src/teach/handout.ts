/** The teacher's one-page handout (instructor/HANDOUT.md): what to give students, how to grade. */
import type { ClassManifest } from './class';

export function handout(m: ClassManifest): string {
  const pts = m.questions.reduce((s, q) => s + q.points, 0);
  const qs = m.questions.map((q) => `- **${q.question}** (${q.points} pt): ${q.prompt.replace(/\s*\n\s*/g, ' ')}`);
  return [
    `# Class handout: ${m.section}`,
    '',
    `${m.students.length} students, class seed ${m.seed}, ${m.questions.length} questions (${pts} points).`,
    '',
    '## What to give each student',
    '',
    `Give student \`ID\` the folder \`students/ID/\` and nothing else: \`${m.section}.ipynb\` (the exercises,`,
    'no solutions) and `data/panel.csv` (their own simulated panel: its own seed and its own true effects, so',
    "answers copied from another student are wrong on one's own data). The notebook's settings cell already points",
    'at `data/panel.csv`. Students need Node 20 and, in the folder above their notebook, `npm install',
    'nqp-resilience` and the tslab kernel (`npx nqp kernel install --user`); then they open the notebook in Jupyter,',
    'write code where it says `// YOUR CODE HERE`, and record each answer with `answer(id, value)`.',
    '',
    "Keep `instructor/` to yourself: the solution notebook, each student's key (every answer the solution gives on",
    "that student's data, its tolerance, and the true value where one exists) and each panel's truth.",
    '',
    '## Questions',
    '',
    ...qs,
    '',
    '## How to grade',
    '',
    'Collect each notebook as `SUBMISSIONS/ID/' + m.section + '.ipynb` (or `SUBMISSIONS/ID.ipynb`), then run',
    '',
    '```',
    'nqp grade --class THIS_FOLDER --submissions SUBMISSIONS --out REPORT [--timeout SECONDS]',
    '```',
    '',
    "Each submission runs through the tslab kernel on the student's own panel from this folder (never on data the",
    'submission brought). `REPORT/gradebook.csv` has one row per student and question (points, status: correct,',
    'incorrect, missing, error, timeout; feedback); `REPORT/feedback/ID.html` is the page to return to each student;',
    '`REPORT/summary.html` shows the score distribution and the questions most missed. A submission that errors or',
    'runs past the time limit keeps the points of the answers it recorded before; a missing submission is listed.',
    '',
  ].join('\n');
}
