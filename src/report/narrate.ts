/**
 * Sentences computed from results, for notebook prose that must stay true on any data: a coefficient with its
 * significance, a comparison of two estimates, a test against a critical value, where the data came from. Every
 * number in a sentence comes from the result passed in; nothing is fixed text.
 */
import { coef, type FeolsResult } from '../estimate';
import { fmtNum, fmtP, fmtPercent } from './format';
import { say } from '../lang';

/** "significant at 1%" … "not significant at 10%", or "untestable" when p is missing. */
export function significance(p: number): string {
  if (!Number.isFinite(p)) return say('without a test (its p-value is undefined)', '无法检验（p 值无定义）');
  if (p < 0.01) return say('significant at 1%', '在 1% 水平上显著');
  if (p < 0.05) return say('significant at 5%', '在 5% 水平上显著');
  if (p < 0.1) return say('significant at 10%', '在 10% 水平上显著');
  return say('not significant at 10%', '在 10% 水平上不显著');
}

const row = coef;

const f3 = (x: number) => fmtNum(x, 3, { sciAbove: Infinity });
const pText = (p: number) =>
  Number.isFinite(p) ? (p < 0.001 ? 'p < 0.001' : `p = ${fmtP(p)}`) : say('p undefined', 'p 值无定义');

/** "0.477 (SE 0.028), positive and significant at 1% (p < 0.001)". */
export function describeCoef(m: FeolsResult, term: string): string {
  const r = row(m, term);
  const sign = !Number.isFinite(r.estimate)
    ? say('undefined', '无定义')
    : r.estimate > 0
      ? say('positive', '为正')
      : r.estimate < 0
        ? say('negative', '为负')
        : say('zero', '为零');
  return say(
    `${f3(r.estimate)} (SE ${f3(r.std_error)}), ${sign} and ${significance(r.p_value)} (${pText(r.p_value)})`,
    `${f3(r.estimate)}（标准误 ${f3(r.std_error)}），${sign}，且${significance(r.p_value)}（${pText(r.p_value)}）`,
  );
}

/**
 * How an estimate moves from model a to model b: "grows from 0.391 to 0.554 (142% of it)", "shrinks from … to …",
 * "changes sign, from … to …" or "is unchanged at …"; and whether b's 95% interval still contains a's estimate.
 */
export function compareCoef(a: FeolsResult, b: FeolsResult, termA: string, termB = termA): string {
  const x = row(a, termA).estimate;
  const rb = row(b, termB);
  const y = rb.estimate;
  if (!Number.isFinite(x) || !Number.isFinite(y))
    return say(
      `cannot be compared: an estimate is undefined (${f3(x)} and ${f3(y)})`,
      `无法比较：有估计值无定义（${f3(x)} 与 ${f3(y)}）`,
    );
  const share = say(`${fmtPercent(y / x, 0)} of it`, `为前者的 ${fmtPercent(y / x, 0)}`);
  let move: string;
  if (Math.abs(y - x) <= 5e-4 * Math.max(Math.abs(x), 1e-12))
    move = say(`is unchanged at ${f3(y)}`, `保持不变，为 ${f3(y)}`);
  else if (x === 0 || y === 0 || Math.sign(x) !== Math.sign(y))
    // A ratio across zero is no size comparison: say the sign changed.
    move = say(`changes sign, from ${f3(x)} to ${f3(y)}`, `符号发生改变，由 ${f3(x)} 变为 ${f3(y)}`);
  else {
    const grows = Math.abs(y) > Math.abs(x);
    move = say(
      `${grows ? 'grows' : 'shrinks'} from ${f3(x)} to ${f3(y)} (${share})`,
      `由 ${f3(x)} ${grows ? '增大' : '减小'}至 ${f3(y)}（${share}）`,
    );
  }
  const inside = x >= rb.conf_low && x <= rb.conf_high;
  const ci = `[${f3(rb.conf_low)}, ${f3(rb.conf_high)}]`;
  return say(
    `${move}; its 95% interval ${ci} ${inside ? 'contains' : 'does not contain'} the first estimate`,
    `${move}；其 95% 置信区间 ${ci}${inside ? '包含' : '不包含'}前一估计值`,
  );
}

/** "189.3, above the 16.38 critical value" / "below". */
export function againstCritical(value: number, critical: number, what = say('critical value', '临界值')): string {
  if (!Number.isFinite(value))
    return say(`undefined (no comparison with the ${critical} ${what})`, `无定义（无法与${what} ${critical} 比较）`);
  if (!Number.isFinite(critical))
    return say(`${fmtNum(value, 1)} (no ${what} to compare with)`, `${fmtNum(value, 1)}（无${what}可比）`);
  const above = value > critical;
  return say(
    `${fmtNum(value, 1)}, ${above ? 'above' : 'below'} the ${critical} ${what}`,
    `${fmtNum(value, 1)}，${above ? '高于' : '低于'}${what} ${critical}`,
  );
}

/** Where the data came from, without absolute paths: "simulated default panel (known truth; data/README.md)" or
 * "my_extract.dta". With counts: "— 230 cities, 2010–2021". */
export function provenance(source: string | undefined, load?: { cities: number; years: number[] }): string {
  const name = source
    ? (source.split(/[\\/]/).pop() ?? source)
    : say('simulated default panel (known truth; data/README.md)', '模拟的默认面板（真值已知；见 data/README.md）');
  const span = load?.years.length ? `${load.years[0]}–${load.years[load.years.length - 1]}` : '';
  return say(
    `Data: ${name}${load ? ` — ${load.cities} cities${span ? `, ${span}` : ''}` : ''}`,
    `数据：${name}${load ? `——${load.cities} 个城市${span ? `，${span} 年` : ''}` : ''}`,
  );
}
