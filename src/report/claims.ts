/**
 * The paper's claims against one run, each with its rule written here once: which table rows hold, and the sentences
 * that say so. The notebooks call these; none of them writes a rule. Every verdict is computed from the results
 * passed in.
 *
 * - Robustness: "NQP raises resilience" holds in a specification when its coefficient is positive with p < 0.05.
 * - Mechanisms: Zhao, Lynch & Chen (2010) classify each channel by the indirect effect ab (significant when both
 *   bootstrap intervals exclude zero) and the direct effect c' (p < 0.05): complementary (both, same sign),
 *   competitive (both, opposite signs), indirect-only, direct-only, no effect. The paper's claim "NQP raises
 *   resilience through X" is supported only when ab > 0 is significant and the total effect c is positive with
 *   p < 0.05: without a total effect there is nothing for a channel to carry.
 * - Heterogeneity: "the effect is larger in group A" holds when the difference is positive and p < 0.05 in all four
 *   tests (interaction, interaction with group × year effects, SUEST, one-sided studentised permutation).
 */
import { type CoefRow, coef, type FeolsResult, type GroupDiffResult, type MediationResult } from '../estimate';
import { fmtNum, fmtP } from './format';
import { simpleTable, type Rendered } from './tables';
import { say, tr } from '../lang';

export interface Claims {
  table: Rendered;
  /** The row labels whose claim holds. */
  holding: string[];
  /** Sentences for the reader, computed from the rows. */
  verdict: string[];
}

const ALPHA = 0.05;
const positive = (c: CoefRow) => c.estimate > 0 && c.p_value < ALPHA;
const interval = (lo: number, hi: number) => `[${fmtNum(lo)}, ${fmtNum(hi)}]`;

/** One specification of the robustness table: a label, its model and the NQP term. */
export interface Specification {
  label: string;
  model: FeolsResult;
  term: string;
  /** The term is on the baseline's scale, so "contains the baseline" is meaningful. Default true. */
  sameScale?: boolean;
}

/** Table 11: the robustness claim in every specification; the first one is the baseline. */
export function robustnessClaims(specs: Specification[], title = "The paper's robustness claims, this run"): Claims {
  const rows = specs.map((s) => ({ ...s, c: coef(s.model, s.term) }));
  const base = rows[0].c;
  const holding = rows.filter((r) => positive(r.c)).map((r) => r.label);
  const table = simpleTable(
    rows.map((r) => ({
      specification: r.label,
      estimate: r.c.estimate,
      ci_low: r.c.conf_low,
      ci_high: r.c.conf_high,
      p_value: r.c.p_value,
      holds: positive(r.c) ? 'yes' : 'NO',
      'contains baseline':
        r.sameScale === false ? 'n/a' : base.estimate >= r.c.conf_low && base.estimate <= r.c.conf_high ? 'yes' : 'no',
      clusters: r.model.vcov.clusters?.[0]?.count,
    })),
    {
      title,
      notes: [
        say(
          `Holds: positive with p < ${ALPHA}. Contains baseline: the interval contains the baseline estimate ` +
            `${fmtNum(base.estimate, 3)}.`,
          `成立：系数为正且 p < ${ALPHA}。包含基准：置信区间包含基准估计值 ${fmtNum(base.estimate, 3)}。`,
        ),
      ],
    },
  );
  const n = rows.length;
  const all = holding.length === n;
  const baseOut = !holding.includes(rows[0].label);
  const verdict = [
    say(
      `The paper's robustness claim (NQP raises resilience in every specification) ` +
        `${all ? 'holds' : 'does not hold'} on this run: ${holding.length} of ${n} specifications ` +
        `${holding.length === 1 ? 'is' : 'are'} positive with p < ${ALPHA}` +
        `${baseOut ? ', and the baseline is not one of them' : ''}.`,
      `原文的稳健性结论（新质生产力在各设定下均提升城市经济韧性）在本次运行中${all ? '成立' : '不成立'}：` +
        `${n} 个设定中有 ${holding.length} 个系数为正且 p < ${ALPHA}${baseOut ? '，基准回归不在其中' : ''}。`,
    ),
  ];
  if (holding.length > 0 && holding.length < n)
    verdict.push(
      say(
        `Positive with p < ${ALPHA}: ${holding.join('; ')}. With ${n} specifications tested at 5%, one or two can ` +
          'pass by chance even where nothing is there.',
        `系数为正且 p < ${ALPHA} 的设定：${holding.map((h) => tr(h)).join('；')}。在 5% 水平上检验 ${n} 个设定时，` +
          '即使并无真实效应，也可能有一两个设定偶然通过。',
      ),
    );
  return { table, holding, verdict };
}

export type ChannelType = 'complementary' | 'competitive' | 'indirect-only' | 'direct-only' | 'no effect';

/** Zhao, Lynch & Chen's (2010) type of one channel. */
export function channelType(r: MediationResult['mediators'][number]): ChannelType {
  const abSig =
    (r.percentileCI[0] > 0 || r.percentileCI[1] < 0) && (r.biasCorrectedCI[0] > 0 || r.biasCorrectedCI[1] < 0);
  const cSig = r.direct.p_value < ALPHA;
  if (abSig && cSig) return Math.sign(r.indirect) === Math.sign(r.direct.estimate) ? 'complementary' : 'competitive';
  if (abSig) return 'indirect-only';
  return cSig ? 'direct-only' : 'no effect';
}

/** Table 12a: each channel's type and whether the paper's claim through it is supported. */
export function mechanismClaims(
  med: MediationResult,
  labels: Record<string, string> = {},
  title = "The paper's mechanism claims, this run",
): Claims {
  const total = positive(med.total);
  const rows = med.mediators.map((r) => {
    const type = channelType(r);
    const ab = r.indirect > 0 && (type === 'complementary' || type === 'competitive' || type === 'indirect-only');
    return { r, type, supported: ab && total };
  });
  const name = (m: string) => labels[m] ?? m;
  const holding = rows.filter((x) => x.supported).map((x) => name(x.r.mediator));
  const table = simpleTable(
    rows.map(({ r, type, supported }) => ({
      channel: name(r.mediator),
      'indirect ab': r.indirect,
      '95% CI percentile': interval(r.percentileCI[0], r.percentileCI[1]),
      '95% CI bias-corrected': interval(r.biasCorrectedCI[0], r.biasCorrectedCI[1]),
      "direct c'": r.direct.estimate,
      "c' p": r.direct.p_value,
      type,
      supported: supported ? 'yes' : 'NO',
    })),
    {
      title,
      notes: [
        say(
          'Type (Zhao, Lynch & Chen 2010): ab significant when both bootstrap intervals exclude zero; ' +
            `c' at p < ${ALPHA}.`,
          '类型依 Zhao, Lynch & Chen（2010）划分：两个自助法置信区间均不含零时 ab 显著；' + `c' 以 p < ${ALPHA} 判断。`,
        ),
        say(
          `Supported: ab > 0 significant and a total effect c > 0 with p < ${ALPHA} (here c = ` +
            `${fmtNum(med.total.estimate)}, p = ${fmtP(med.total.p_value)}). ` +
            `Bootstrap: ${med.bootstrap.reps} draws of ${med.clusters} clusters, seed ${med.bootstrap.seed}.`,
          `支持：ab > 0 且显著，同时总效应 c > 0 且 p < ${ALPHA}（此处 c = ${fmtNum(med.total.estimate)}，` +
            `p = ${fmtP(med.total.p_value)}）。自助法：对 ${med.clusters} 个聚类抽样 ${med.bootstrap.reps} 次，` +
            `随机种子 ${med.bootstrap.seed}。`,
        ),
      ],
    },
  );
  const verdict = rows.map(({ r, type, supported }) => {
    const t = tr(type);
    if (supported)
      return say(
        `${name(r.mediator)}: ${type}, so the paper's claim through it is supported.`,
        `${name(r.mediator)}：${t}，原文关于该渠道的结论得到支持。`,
      );
    if (r.indirect > 0 && type !== 'direct-only' && type !== 'no effect')
      return say(
        `${name(r.mediator)}: ${type}, but without a positive total effect (p = ${fmtP(med.total.p_value)}) the ` +
          "paper's claim through it is not supported.",
        `${name(r.mediator)}：${t}，但总效应不显著为正（p = ${fmtP(med.total.p_value)}），原文关于该渠道的结论不成立。`,
      );
    return say(
      `${name(r.mediator)}: ${type}; the paper's claim through it is not supported.`,
      `${name(r.mediator)}：${t}，原文关于该渠道的结论不成立。`,
    );
  });
  return { table, holding, verdict };
}

/** One heterogeneity split and the paper's claim about it. */
export interface GroupClaim {
  result: GroupDiffResult;
  claim: string;
}

/** Table 16: the paper's heterogeneity claims. */
export function heterogeneityClaims(
  splits: GroupClaim[],
  title = "The paper's heterogeneity claims, this run",
): Claims {
  const pMax = (r: GroupDiffResult) =>
    Math.max(r.interaction.p_value, r.interactionGroupYear?.p_value ?? NaN, r.suest.p_value, r.studentized.pOneSided);
  const holds = (r: GroupDiffResult) => r.difference > 0 && pMax(r) < ALPHA;
  const holding = splits.filter((s) => holds(s.result)).map((s) => s.claim);
  const table = simpleTable(
    splits.map(({ result: r, claim }) => ({
      claim,
      difference: r.difference,
      'interaction p': r.interaction.p_value,
      'group × year p': r.interactionGroupYear?.p_value ?? NaN,
      'SUEST p': r.suest.p_value,
      'studentised permutation p (one-sided)': r.studentized.pOneSided,
      holds: holds(r) ? 'yes' : 'NO',
    })),
    {
      title,
      notes: [
        say(
          `Holds: a positive difference and p < ${ALPHA} in all four tests.`,
          `成立：组间差异为正，且四种检验的 p 值均小于 ${ALPHA}。`,
        ),
      ],
    },
  );
  const verdict = splits.map(({ result: r, claim }) => {
    const c = tr(claim);
    if (holds(r)) return say(`"${claim}": holds.`, `“${c}”：成立。`);
    if (r.difference > 0)
      return say(
        `"${claim}": does not hold (largest p ${fmtP(pMax(r))}).`,
        `“${c}”：不成立（最大 p 值为 ${fmtP(pMax(r))}）。`,
      );
    return say(`"${claim}": does not hold (the difference is not positive).`, `“${c}”：不成立（组间差异不为正）。`);
  });
  return { table, holding, verdict };
}
