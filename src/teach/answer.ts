/**
 * `answer('q3', value)`: record an exercise's answer. The cell shows it, and its output carries it in a MIME type of
 * our own, which `nqp grade` reads from the executed submission (nothing else in the output is graded).
 */
import { escapeHtml } from '../html';
import { say } from '../lang';
import { displayWriter, sendNow } from '../notebook/display';

/** The MIME type of a recorded answer: `{ question, value }`, JSON. */
export const ANSWER_MIME = 'application/vnd.nqp.answer+json';

/** What an answer may be: a number, a list of numbers (an interval, a vector), a word or a yes/no. */
export type AnswerValue = number | boolean | string | readonly (number | string)[] | Float64Array;

/** The JSON an answer output carries. Non-finite numbers become null (JSON has no NaN). */
export interface RecordedAnswer {
  question: string;
  value: number | boolean | string | (number | string | null)[] | null;
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

/** The answer's JSON form, validated: a clear error for a value the grader could not read. */
export function answerRecord(question: string, value: AnswerValue): RecordedAnswer {
  if (typeof question !== 'string' || !/^[A-Za-z][\w-]{0,31}$/.test(question))
    throw new Error(`answer(): the question id must be a short name such as 'q3'; got ${JSON.stringify(question)}.`);
  if (typeof value === 'number') return { question, value: finite(value) };
  if (typeof value === 'boolean' || typeof value === 'string') return { question, value };
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const list = Array.from(value as ArrayLike<number | string>);
    if (list.every((v) => typeof v === 'number' || typeof v === 'string'))
      return { question, value: list.map((v) => (typeof v === 'number' ? finite(v) : v)) };
  }
  throw new Error(
    `answer('${question}', ...): the answer must be a number, a list of numbers, a word or true/false; ` +
      `got ${value === undefined ? 'undefined' : typeof value}. ` +
      `Pass the value itself, e.g. answer('${question}', 0.25).`,
  );
}

function shown(v: RecordedAnswer['value']): string {
  if (typeof v === 'number') return String(Number(v.toPrecision(6)));
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'number' ? shown(x) : String(x))).join(', ')}]`;
  return String(v);
}

/**
 * Record the answer to exercise `question` and show it in the cell.
 * @example answer('q1', m.coefficients.find((r) => r.term === 'nqp')!.estimate);  answer('q2', [lo, hi]);
 */
export function answer(question: string, value: AnswerValue): void {
  const rec = answerRecord(question, value);
  const text = `answer ${question}: ${shown(rec.value)}`;
  const write = displayWriter();
  if (!write) {
    console.log(text);
    return;
  }
  const html =
    `<div style="font:13px sans-serif;border-left:3px solid #2c7fb8;padding:2px 8px">` +
    `<b>${say('answer', '答案')} ${escapeHtml(question)}</b>: <code>${escapeHtml(shown(rec.value))}</code></div>`;
  sendNow(
    write,
    { data: { [ANSWER_MIME]: rec, 'text/html': html, 'text/plain': text }, metadata: {}, transient: {} },
    false,
  );
}
