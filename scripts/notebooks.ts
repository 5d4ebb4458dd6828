/**
 * Writes notebooks/*.ipynb (without outputs) from the cell lists below, so notebook text is reviewed as code.
 * Run: npx tsx scripts/notebooks.ts   (a test checks the committed notebooks equal this output)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Cell = { cell_type: 'markdown' | 'code'; source: string };
const md = (s: string): Cell => ({ cell_type: 'markdown', source: s.trim() });
const code = (s: string): Cell => ({ cell_type: 'code', source: s.trim() });

const SETTINGS = (extra = '') => code(`
// Settings: the one cell to edit. DATA = undefined reads the default panel (or the file given to
// \`nqp reproduce --data FILE\`); put the path of your own .csv, .dta or .xlsx extract here to use it.
const DATA: string | undefined = undefined;
const CONTROLS = ['lnpgdp', 'open', 'fin', 'infra', 'lnpopden', 'urban_rate'];
const CLUSTER = 'city_code';
const SEED = 20240501;${extra}
console.log(\`data: \${DATA ?? process.env.NQP_DATA ?? 'default panel (data/panel.csv)'}; cluster: \${CLUSTER}; seed: \${SEED}\`);
`);

const LOAD = code(`
const study = studyPanel(DATA);
const panel = study.data;
const lab = labels(study.codebook);
const ctrl = CONTROLS.join(' + ');
console.log(\`\${panel.numRows()} city-years, \${study.load.cities} cities, \${study.load.years[0]}–\${study.load.years[study.load.years.length - 1]}\`);
`);

const notebooks: Record<string, Cell[]> = {
  index: [
    md(`
# 1 · Measuring new quality productivity and urban economic resilience

This is the first of five notebooks that reproduce, step by step, **Shi, Wang & Chen (2024), "New quality productivity
and urban economic resilience: theoretical logic and empirical evidence"** (*Journal of Chongqing University, Social
Science Edition*, no. 5): 230 Chinese cities, 2010–2021.

The paper measures **new quality productivity (NQP)** with an entropy-weighted index over the three components of
productivity (labourers, means of labour, objects of labour) and **urban economic resilience** with a second index over
resistance & recovery, adaptation & adjustment, and innovation & transformation. This notebook builds both indices and
looks at them: which indicators carry the weight, how the indices moved over time and across regions, and how their
distribution shifted. The other notebooks use the same indices: *baseline*, *robustness*, *mechanisms*, *heterogeneity*.

> **About the data.** Yearbook data are licensed and cannot be shipped, so the default panel is simulated from a
> documented structural model with known true effects (see \`data/README.md\`). Every number below is computed from it;
> with your own extract (same columns) every cell runs unchanged.
`),
    SETTINGS(),
    code(`
import { studyPanel, labels, describe, show, simpleTable, weightBars, linesByGroup, densityByGroup, shareBars, dimensionShares, cityMap, loadCities } from 'nqp-resilience';
`),
    md(`
## What is in the panel?

\`studyPanel\` loads the panel, checks it against the codebook and the city list, fills interior gaps by linear
interpolation within each city, winsorises the raw indicators at 1% / 99% before weighting (a few yearbook unit slips
would otherwise squeeze every min–max range), and builds the indices. First, the loading report: rows, cities, years,
and the missing cells per variable. Nothing is dropped silently.
`),
    LOAD,
    code(`await show(study.load);`),
    md(`The cleaning steps, with the number of cells each changed:`),
    code(`for (const step of study.steps) console.log(String(step).split('\\n').slice(0, 8).join('\\n'), '\\n');`),
    md(`
**Table 1** gives the descriptive statistics of the model variables, as the paper's Table 1 does: the two indices, the
controls, the mediators and government participation.
`),
    code(`
const table1 = describe(panel, ['resilience', 'nqp', 'nqp_labourers', 'nqp_means_of_labour', 'nqp_objects_of_labour', 'resilience_martin', ...CONTROLS, 'indus', 'talent_lq', 'innov', 'gov'],
  { labels: lab, title: 'Table 1. Descriptive statistics' });
await show(table1);
`),
    md(`
Both indices lie between 0 and 1 by construction. The mean NQP index is well below its maximum: a few cities lead on
most indicators, and the min–max standardisation places everyone else relative to them.

## How are the indicators weighted?

The entropy weight method lets the data set the weights: an indicator whose values differ more across city-years
carries more information and gets more weight. With $m$ city-years and indicator $j$,

$$z_{ij} = \\frac{x_{ij} - \\min_j}{\\max_j - \\min_j}\\ (+),\\qquad p_{ij} = \\frac{z_{ij} + 10^{-4}}{\\sum_i (z_{ij} + 10^{-4})},\\qquad e_j = -\\frac{1}{\\ln m}\\sum_i p_{ij}\\ln p_{ij},\\qquad w_j = \\frac{1 - e_j}{\\sum_k (1 - e_k)}$$

(negative indicators use $\\max_j - x_{ij}$), and the index is $\\text{NQP}_i = \\sum_j w_j z_{ij}$. Weights are pooled over
all city-years, so an index value means the same in 2010 and in 2021. **Table 2** lists them.
`),
    code(`await show(study.nqp);`),
    md(`**Figure 1.** The same weights as bars, coloured by dimension.`),
    code(`await show(weightBars(study.nqp.weights, { title: 'Figure 1. Entropy weights of the NQP indicators' }));`),
    md(`
Indicators that spread widely across cities and years (telecom business per capita, students per 10k people, broadband)
get the largest weights; near-uniform ones (SO2 intensity after winsorising, energy intensity) get little. That is a
property of the method, not a judgement of importance: a reader who disagrees can swap in equal weights or principal
components (the *robustness* notebook does both). The resilience index is built the same way:
`),
    code(`await show(study.resilience);`),
    md(`
## How did NQP and resilience evolve, by region?

**Figure 2** shows the mean NQP index by year for the four regions (east, central, west, northeast); **Figure 3** the
same for resilience.
`),
    code(`await show(linesByGroup(panel, { y: 'nqp', group: 'region', title: 'Figure 2. New quality productivity by region', yTitle: 'Mean NQP index' }));`),
    code(`await show(linesByGroup(panel, { y: 'resilience', group: 'region', title: 'Figure 3. Urban economic resilience by region', yTitle: 'Mean resilience index' }));`),
    md(`
NQP rises steadily in every region, with the east ahead throughout and the west behind: the ranking the paper
reports. Resilience moves with the national cycle: it stalls or dips in 2015 (the industrial slowdown) and falls
sharply in 2020 (the pandemic), then recovers in 2021; the east stays on top through both shocks.

## How is NQP distributed across cities, early and late?

**Figure 4** compares kernel densities of the NQP index in the first, a middle and the last year.
`),
    code(`await show(densityByGroup(panel, { value: 'nqp', by: 'year', keep: [2010, 2015, 2021], title: 'Figure 4. Distribution of the NQP index, 2010, 2015, 2021', xTitle: 'NQP index' }));`),
    md(`
The whole distribution shifts right and widens: cities improved together, but leaders pulled further ahead, so the
dispersion of NQP across cities grew over the period.

## Which dimension carries the index?

Because the dimension sub-indices use the same weights, they add up to the index. **Figure 5** shows each dimension's
share of the mean index by year.
`),
    code(`await show(shareBars(dimensionShares(study.nqp).objects() as any, { title: 'Figure 5. Shares of the three dimensions in the NQP index' }));`),
    md(`
The share of means of labour (digital infrastructure, science spending) grows every year and is the largest from 2013
on; the share of objects of labour (the green indicators), the largest in 2010, falls steadily: cities improved their
digital means of production faster than their environmental performance. **Figure 6** maps the index in the last year.
`),
    code(`
const cities = new Map(loadCities().map((c) => [c.city_code, c]));
const last = study.load.years[study.load.years.length - 1];
const rows = panel.objects().filter((r: any) => r.year === last && Number.isFinite(r.nqp)).map((r: any) => ({ name: cities.get(r.city_code)!.name_en, lon: cities.get(r.city_code)!.lon, lat: cities.get(r.city_code)!.lat, value: r.nqp }));
await show(cityMap(rows, { title: \`Figure 6. NQP index by city, \${last}\`, valueTitle: 'NQP' }));
`),
    md(`
The coastal belt and the provincial capitals stand out; the rest of the west and the northeast trail.

## Try it

- Set \`pooling: 'year'\` in \`studyPanel(DATA, { pooling: 'year' })\` to weight each year separately: the weights change
  little, but the index is then no longer comparable across years (Figure 2 flattens). Why?
- Skip the winsorising with \`winsorizeIndicators: null\`: which weights move, and why does one unit slip matter so much
  for a min–max standardised index?
- Drop the three green indicators from the codebook copy you pass as \`codebook\`: how does Figure 5 change?
- Show Table 1 with Chinese variable names: \`labels(study.codebook, 'zh')\` gives 新质生产力, 城市经济韧性, 城镇化率 … in
  place of the English labels (the pages carry CJK fonts in their font stack).
`),
  ],

  baseline: [
    md(`
# 2 · Baseline: does new quality productivity raise urban economic resilience?

The paper's central claim: cities with higher new quality productivity are more resilient. Its baseline (Table 2 in
the paper) regresses the resilience index on the NQP index with controls and city and year fixed effects, and finds a
positive, significant coefficient. We expect the same sign here, and since the default panel's true effect is known,
we can also see how close each specification comes to it.
`),
    SETTINGS(),
    code(`
import { studyPanel, labels, feols, etable, show, describe, simpleTable, partialOut, standardizedEffect, binScatter, loadLatent, loadTruth } from 'nqp-resilience';
`),
    LOAD,
    md(`
## The model

$$\\text{Resilience}_{it} = \\beta_0 + \\beta_1\\,\\text{NQP}_{it} + \\gamma' X_{it} + \\mu_i + \\lambda_t + \\varepsilon_{it}$$

with $\\mu_i$ city and $\\lambda_t$ year fixed effects, and controls $X_{it}$:
`),
    code(`await show(simpleTable(CONTROLS.map((c) => ({ variable: c, label: lab[c], unit: study.codebook.find((e) => e.name === c)!.unit, construction: study.codebook.find((e) => e.name === c)!.source })), { title: 'Control variables' }));`),
    md(`
Standard errors are clustered by city: a city's shocks persist over years. The correction follows fixest and reghdfe:
$(n-1)/(n-K)\\cdot G/(G-1)$ with city fixed effects (nested in the clusters) not counted in $K$, and $t$ tests with
$G-1$ degrees of freedom.

## The stepwise table

**Table 3** adds one block at a time: NQP alone; with controls; with city fixed effects; with city and year fixed effects.
`),
    code(`
const v = { vcov: { cluster: CLUSTER } };
const m1 = feols(panel, 'resilience ~ nqp', v);
const m2 = feols(panel, \`resilience ~ nqp + \${ctrl}\`, v);
const m3 = feols(panel, \`resilience ~ nqp + \${ctrl} | city_code\`, v);
const m4 = feols(panel, \`resilience ~ nqp + \${ctrl} | city_code + year\`, v);
await show(etable([m1, m2, m3, m4], { labels: { ...lab, nqp: 'New quality productivity', city_code: 'City', year: 'Year' }, title: 'Table 3. Baseline regressions (dependent variable: urban economic resilience)', extraRows: { Controls: ['No', 'Yes', 'Yes', 'Yes'] } }));
`),
    md(`
The NQP coefficient is positive and significant at 1% in every column, as in the paper. It shrinks once city fixed
effects enter, and again with year effects: part of the raw association is cities that are both advanced and
resilient for lasting reasons, and part is the common upward trend of both indices. Column (4) is the baseline used in
the other notebooks. The sample sizes differ slightly because a few city-years lack a control even after interpolation;
every drop is listed in the model's notes:
`),
    code(`console.log(m4.notes.join('\\n'));`),
    md(`
## How large is the effect?

Index units are hard to feel. In standard deviations over the estimation sample:
`),
    code(`
const se = standardizedEffect(m4, 'nqp');
console.log(\`β = \${se.estimate.toFixed(4)}; sd(NQP) = \${se.sdX.toFixed(4)}, sd(resilience) = \${se.sdY.toFixed(4)}\`);
console.log(\`A one-SD rise in NQP goes with a \${se.standardized.toFixed(3)}-SD rise in resilience, holding controls, city and year fixed.\`);
`),
    md(`
## What does the identifying variation look like?

Column (4) uses only variation within cities over time, net of year effects and controls. **Figure 7** plots exactly
that variation (Frisch–Waugh–Lovell residuals of both variables) in 20 quantile bins, with the fitted slope, which equals
the coefficient in column (4).
`),
    code(`
const fwl = partialOut(panel, 'resilience', 'nqp', CONTROLS, ['city_code', 'year']);
await show(binScatter(fwl.x, fwl.y, { slope: fwl.slope, intercept: 0, title: \`Figure 7. Within-city relation, slope \${fwl.slope.toFixed(3)}\`, xTitle: 'NQP (residualised)', yTitle: 'Resilience (residualised)' }));
`),
    md(`
The bins line up along the fitted line with no single cluster of cities driving it.

## Pooled OLS or fixed effects? Ask the truth

On the default panel the latent NQP and resilience are known (\`data/latent.csv\`), and so is the average total effect
(\`data/truth.json\`). The structural model gives high-NQP cities structurally higher resilience (city effects
correlated with NQP) and adds a time-varying confounder. Regressing the latent resilience on latent NQP shows what each
estimator recovers, in the model's own units:
`),
    code(`
const latent = loadLatent();
const truth = loadTruth();
const lv = { vcov: { cluster: 'city_code' } };
const fits = [
  ['Pooled OLS', feols(latent, 'resilience_true ~ nqp_true + development', lv)],
  ['Pooled OLS + confounder', feols(latent, 'resilience_true ~ nqp_true + development + confounder', lv)],
  ['Two-way FE', feols(latent, 'resilience_true ~ nqp_true + development | city_code + year', lv)],
  ['Two-way FE + confounder', feols(latent, 'resilience_true ~ nqp_true + development + confounder | city_code + year', lv)],
] as const;
await show(simpleTable(fits.map(([name, m]) => { const c = m.coefficients.find((r) => r.term === 'nqp_true')!; return { estimator: name, estimate: c.estimate, std_error: c.std_error, truth: truth.total_effect, 'bias / SE': (c.estimate - truth.total_effect) / c.std_error }; }), { title: 'Table 4. Estimators against the true effect (latent variables)' }));
`),
    md(`
Pooled OLS misses even when the confounder is observed: it compares cities with each other and credits NQP with the
lasting advantages of leading cities (its wide interval shows how much between-city noise it carries; over 100
simulated panels it overstates the effect by about a quarter, see \`tests/estimate/monte-carlo.test.ts\`). Two-way fixed
effects remove those city differences, but the unobserved time-varying confounder still biases them upward; only when
the confounder is (hypothetically) observed do they recover the truth within sampling error. In real data the
confounder is not observed: that is why the *robustness* notebook turns to an instrument.

## Try it

- Cluster by province instead (\`CLUSTER = 'province'\`): how many clusters are there, and what happens to the SEs
  and to the degrees of freedom of the t tests?
- Drop the controls (\`CONTROLS = []\`): does the coefficient in column (4) move? What does that say about how the
  controls relate to NQP within cities?
- Replace \`nqp\` by one of its sub-indices (\`nqp_labourers\`, \`nqp_means_of_labour\`, \`nqp_objects_of_labour\`): which
  dimension carries the relation?
`),
  ],

  robustness: [
    md(`
# 3 · Robustness: does the baseline survive?

The paper (its Tables 3–5) checks the baseline four ways: endogeneity (an instrumental variable and a lagged
regressor), replaced variables (other ways to measure NQP and resilience), dropped samples, and stricter fixed effects
(province × year). It reports that the NQP coefficient stays positive and significant throughout. We run all of them,
plot every estimate against the baseline, and check each claim.
`),
    SETTINGS(),
    code(`
import { studyPanel, labels, feols, etable, show, simpleTable, coefPlot, pcaIndex, equalWeightsIndex, indicatorsFrom, winsorize, stockYogo } from 'nqp-resilience';
`),
    LOAD,
    code(`
const v = { vcov: { cluster: CLUSTER } };
const fe = '| city_code + year';
const baseline = feols(panel, \`resilience ~ nqp + \${ctrl} \${fe}\`, v);
const L = { ...lab, nqp: 'New quality productivity', city_code: 'City', year: 'Year', 'province^year': 'Province × year' };
console.log(String(baseline).split('\\n').slice(0, 4).join('\\n'));
`),
    md(`
## 1. Endogeneity

Reverse causality (resilient cities invest in NQP) and omitted shocks that move both would bias the baseline. The
instrument follows the literature's shift-share design: **the number of post offices per 10,000 people in 1984** (a
historical communication endowment, fixed long before the digital economy) **times the national number of internet
users in the previous year** (a national time series no single city drives). City fixed effects absorb the 1984 level;
the interaction varies because the national roll-out of the internet favoured cities with denser historical networks.

The first stage regresses NQP on the instrument with the same controls and fixed effects; the second uses the fitted
values. **Table 5** shows both, plus a specification with NQP lagged one year.
`),
    code(`
const iv = feols(panel, \`resilience ~ \${ctrl} \${fe} | nqp ~ iv_post\`, v);
const first = feols(panel, \`nqp ~ iv_post + \${ctrl} \${fe}\`, v);
const lag = feols(panel, \`resilience ~ l(nqp, 1) + \${ctrl} \${fe}\`, v);
await show(etable([first, iv, lag], { labels: { ...L, iv_post: 'Post offices 1984 × internet users (t−1)', 'l(nqp, 1)': 'NQP, lagged one year' }, headers: ['First stage: NQP', '2SLS: resilience', 'Lagged NQP'], title: 'Table 5. Endogeneity' }));
`),
    md(`The weak-instrument diagnostics, with the Stock–Yogo critical values for one endogenous regressor and one instrument:`),
    code(`
const fs = iv.firstStage!;
await show(simpleTable([
  { statistic: 'First-stage F (clustered)', value: fs.firstStages[0].f },
  { statistic: 'Kleibergen–Paap rk Wald F', value: fs.kleibergenPaapWaldF },
  { statistic: 'Kleibergen–Paap rk LM (under-identification)', value: fs.kleibergenPaapLM.statistic, p: fs.kleibergenPaapLM.pValue },
  { statistic: 'Cragg–Donald Wald F', value: fs.craggDonaldF },
  ...fs.stockYogo.map((s) => ({ statistic: \`Stock–Yogo critical value, \${s.type} \${s.level}\`, value: s.critical })),
], { title: 'Table 6. Instrument diagnostics', notes: [fs.stockYogoNote] }));
`),
    md(`
The instrument is strong: the Kleibergen–Paap F is far above the 16.38 critical value for a 10% maximal size
distortion, and under-identification is rejected. The 2SLS coefficient stays positive and significant. It is smaller
than the fixed-effects estimate: on the default panel that is expected, since the structural model contains a
time-varying confounder that pushes the OLS estimate up and that the instrument is independent of. The lagged
specification, which rules out same-year feedback from resilience to NQP, gives a positive coefficient too.

## 2. Replaced variables

The entropy method is one choice among several. **Table 7** measures NQP by principal components (components with
eigenvalue above 1, weighted by explained variance) and by equal weights, and resilience by Martin's sensitivity index
$(g_{i,t} - g_{N,t}) / |g_{N,t}|$ from city and national real GDP growth.
`),
    code(`
const nqpInd = indicatorsFrom(study.codebook, 'nqp_indicator');
const pca = pcaIndex(panel, nqpInd, 'nqp_pca');
const alt = equalWeightsIndex(pca.data, nqpInd, 'nqp_equal');
console.log(\`PCA: \${pca.kept} components with eigenvalue > 1 explain \${(100 * pca.explained).toFixed(1)}% of the variance\`);
const r1 = feols(alt, \`resilience ~ nqp_pca + \${ctrl} \${fe}\`, v);
const r2 = feols(alt, \`resilience ~ nqp_equal + \${ctrl} \${fe}\`, v);
const r3 = feols(alt, \`resilience_martin ~ nqp + \${ctrl} \${fe}\`, v);
await show(etable([r1, r2, r3], { labels: { ...L, nqp_pca: 'NQP (principal components)', nqp_equal: 'NQP (equal weights)' }, headers: ['NQP by PCA', 'NQP equal weights', 'Resilience: Martin'], title: 'Table 7. Replaced variables' }));
`),
    md(`
All three coefficients are positive and significant. The magnitudes differ because the indices have different scales
(the Martin index is a ratio of growth rates), so compare signs and significance, not sizes.

## 3. Dropped samples

The four municipalities are administratively and economically special; 2020–2021 carry the pandemic shock; extreme
values could drive a linear fit. **Table 8** drops each in turn (winsorising the model variables at 1% / 99%).
`),
    code(`
const noMuni = panel.filter((d: any) => d.admin_level !== 'municipality');
const noCovid = panel.filter((d: any) => d.year < 2020);
const wins = winsorize(panel, ['resilience', 'nqp', ...CONTROLS]);
console.log(String(wins.report));
const d1 = feols(noMuni, \`resilience ~ nqp + \${ctrl} \${fe}\`, v);
const d2 = feols(noCovid, \`resilience ~ nqp + \${ctrl} \${fe}\`, v);
const d3 = feols(wins.data, \`resilience ~ nqp + \${ctrl} \${fe}\`, v);
await show(etable([d1, d2, d3], { labels: L, headers: ['No municipalities', '2010–2019', 'Winsorised 1%/99%'], title: 'Table 8. Dropped samples' }));
`),
    md(`
## 4. Interaction fixed effects

Provincial policies change from year to year (industrial plans, fiscal transfers). Province × year fixed effects absorb
everything common to a province in a year, so only variation between cities of the same province in the same year is
left. **Table 9.**
`),
    code(`
const p1 = feols(panel, \`resilience ~ nqp + \${ctrl} | city_code + province^year\`, v);
await show(etable([baseline, p1], { labels: L, headers: ['Baseline', 'Province × year FE'], title: 'Table 9. Interaction fixed effects' }));
`),
    md(`
## All specifications at once

**Figure 8** collects every estimate with its 95% confidence interval; the baseline is in red. The indices of
different scales (PCA, equal weights, Martin) are left out of the plot, since their coefficients are not comparable in
size.
`),
    code(`
const specs: [string, any, string][] = [
  ['Baseline (city + year FE)', baseline, 'nqp'], ['2SLS (post offices × internet)', iv, 'nqp'], ['Lagged NQP', lag, 'l(nqp, 1)'],
  ['No municipalities', d1, 'nqp'], ['2010–2019', d2, 'nqp'], ['Winsorised', d3, 'nqp'], ['Province × year FE', p1, 'nqp'],
];
const rowsPlot = specs.map(([label, m, term], i) => { const c = m.coefficients.find((r: any) => r.term === term); return { label, estimate: c.estimate, low: c.conf_low, high: c.conf_high, highlight: i === 0 }; });
await show(coefPlot(rowsPlot, { title: 'Figure 8. The NQP coefficient across specifications (95% CI)', xTitle: 'Effect of NQP on resilience' }));
`),
    md(`
## Claims check

Each robustness claim of the paper against this run: the claim holds if the coefficient is positive with $p < 0.05$.
`),
    code(`
const claims = [
  ...specs.map(([label, m, term]) => [label, m.coefficients.find((r: any) => r.term === term)] as const),
  ['NQP by principal components', r1.coefficients.find((r) => r.term === 'nqp_pca')!] as const,
  ['NQP by equal weights', r2.coefficients.find((r) => r.term === 'nqp_equal')!] as const,
  ["Resilience by Martin's index", r3.coefficients.find((r) => r.term === 'nqp')!] as const,
];
await show(simpleTable(claims.map(([label, c]) => ({ specification: label, claim: 'NQP raises resilience', estimate: c.estimate, p_value: c.p_value, holds: c.estimate > 0 && c.p_value < 0.05 ? 'yes' : 'NO' })), { title: 'Table 10. The paper\\'s robustness claims, this run' }));
`),
    md(`
## Try it

- Use the instrument's national series without the lag (a new column \`post1984 * internet_nat_lag\` shifted by a year)
  and compare the first-stage F. Why do papers lag the national series?
- Cluster by province (\`CLUSTER = 'province'\`): the Kleibergen–Paap F falls. Which Stock–Yogo caveat in Table 6 matters
  more then?
- Drop 2015 instead of 2020–2021: is one shock year doing the work?
`),
  ],

  mechanisms: [
    md(`
# 4 · Mechanisms: through which channels does NQP raise resilience?

The paper (its Table 6) proposes three channels: **industrial-structure upgrading**, **talent aggregation** and
**technological innovation**. For each it runs the stepwise procedure (total effect; NQP → mediator; resilience on NQP and
the mediator) with the baseline's fixed effects, reports Sobel tests, and finds each channel significant. We expect
positive indirect effects, each a modest share of the total.
`),
    SETTINGS(`
const MEDIATORS = ['indus', 'talent_lq', 'innov'];
const REPS = 1000;   // bootstrap replications`),
    code(`
import { studyPanel, labels, mediation, etable, show, simpleTable, pathDiagram, drawHistogram, progressBar, loadTruth } from 'nqp-resilience';
`),
    LOAD,
    md(`
## The three steps

$$\\text{(1)}\\ Y_{it} = c\\,\\text{NQP}_{it} + \\gamma'X_{it} + \\mu_i + \\lambda_t + \\varepsilon_{it}\\qquad
\\text{(2)}\\ M_{it} = a\\,\\text{NQP}_{it} + \\gamma'X_{it} + \\mu_i + \\lambda_t + u_{it}\\qquad
\\text{(3)}\\ Y_{it} = c'\\,\\text{NQP}_{it} + b\\,M_{it} + \\gamma'X_{it} + \\mu_i + \\lambda_t + e_{it}$$

The indirect effect is $ab$; the Sobel test divides it by $\\sqrt{b^2 s_a^2 + a^2 s_b^2}$ (Aroian adds $s_a^2 s_b^2$).
Both assume $ab$ is normal, which it is not in small samples, so we also bootstrap: cities are drawn with replacement
(all years of a city together, as the clustering requires), the models re-estimated, {REPS} times, with the seed above.
`.replace('{REPS}', '1,000')),
    code(`
const med = await mediation(panel, { x: 'nqp', y: 'resilience', mediators: MEDIATORS, controls: CONTROLS, unit: CLUSTER, reps: REPS, seed: SEED, onProgress: progressBar('cluster bootstrap') });
console.log(\`\${med.nObs} city-years, \${med.clusters} cities; bootstrap \${med.bootstrap.reps} draws, seed \${med.bootstrap.seed}, \${med.bootstrap.failed} failed\`);
`),
    md(`**Table 11** shows the steps as the paper prints them: the total effect, then for each mediator the first path and the second-stage model.`),
    code(`
const L = { ...lab, nqp: 'New quality productivity', city_code: 'City', year: 'Year' };
const cols = [med.totalModel, ...MEDIATORS.flatMap((m) => [med.models[m].a, med.models[m].b])];
await show(etable(cols, { labels: L, keep: ['nqp', ...MEDIATORS], headers: ['Resilience', ...MEDIATORS.flatMap((m) => [lab[m].split(' (')[0], 'Resilience'])], title: 'Table 11. Mechanism tests (stepwise)' }));
`),
    md(`**Table 12** gives the indirect effects with the three tests and the bootstrap intervals.`),
    code(`
await show(simpleTable(med.mediators.map((r) => ({
  mediator: lab[r.mediator], a: r.a.estimate, b: r.b.estimate, 'indirect ab': r.indirect,
  'Sobel p': r.sobel.p, 'Aroian p': r.aroian.p,
  '95% CI percentile': \`[\${r.percentileCI[0].toFixed(4)}, \${r.percentileCI[1].toFixed(4)}]\`,
  '95% CI bias-corrected': \`[\${r.biasCorrectedCI[0].toFixed(4)}, \${r.biasCorrectedCI[1].toFixed(4)}]\`,
  'share of total': r.proportion,
})), { title: 'Table 12. Indirect effects of NQP on resilience', notes: [\`Total effect c = \${med.total.estimate.toFixed(4)} (SE \${med.total.std_error.toFixed(4)}). Bootstrap: \${REPS} city-cluster draws, seed \${SEED}.\`] }));
`),
    md(`
All three indirect effects are positive; Sobel, Aroian and both bootstrap intervals agree that none is zero. Each
carries a modest share of the total, and the direct effect $c'$ stays large: most of the effect runs through other
paths than these three.

**Figure 9** draws the paths for each mediator; **Figure 10** the bootstrap distributions with their percentile
intervals.
`),
    code(`
for (const r of med.mediators) {
  await show(pathDiagram({ x: 'NQP', m: lab[r.mediator].split(' (')[0], y: 'Resilience', a: r.a.estimate.toFixed(3), b: r.b.estimate.toFixed(3), c: r.direct.estimate.toFixed(3), indirect: r.indirect.toFixed(4), title: \`Figure 9. Path diagram: \${lab[r.mediator].split(' (')[0]} (ab = \${r.indirect.toFixed(4)})\` }));
}
`),
    code(`
for (const r of med.mediators) {
  await show(drawHistogram(med.bootstrap.draws[r.mediator], [{ label: 'estimate ab', value: r.indirect }, { label: '2.5%', value: r.percentileCI[0] }, { label: '97.5%', value: r.percentileCI[1] }], { title: \`Figure 10. Bootstrap distribution of ab: \${lab[r.mediator].split(' (')[0]}\`, xTitle: 'Indirect effect ab' }));
}
`),
    md(`
## What the truth says

On the default panel the structural model fixes each mediator's share of the total effect (\`data/truth.json\`). The
observed mediators are noisy, nonlinear transforms of the latent ones and the indices are not the latent variables, so
the estimated shares need not match exactly; the ranking and the order of magnitude should.
`),
    code(`
const truth = loadTruth();
await show(simpleTable(med.mediators.map((r) => ({ mediator: lab[r.mediator], 'estimated share': r.proportion, 'true share (latent)': truth.indirect_shares[r.mediator] })), { title: 'Table 13. Estimated and true shares of the total effect' }));
`),
    md(`
The estimated shares are smaller than the true latent ones: measurement error in the observed mediators attenuates
$b$, a known weakness of the stepwise method with proxies. The ranking (industrial upgrading first) is recovered.

## Two readings of a mechanism

The stepwise table rests on step (3), regressing the outcome on a mediator that is itself an outcome of NQP; if anything
unobserved moves both the mediator and resilience, $b$ and hence $ab$ are biased, and the Sobel test does not help.
Recent methodological work in Chinese economics (Jiang Ting, 2022) therefore recommends a **two-step reading**: show that
NQP moves the mediator (step 2, which is as well identified as the baseline) and argue from theory and prior evidence
that the mediator matters for resilience. Read that way, Table 11's second column of each pair establishes
"NQP raises industrial upgrading / talent / innovation"; the shares in Table 12 are suggestive, not causal.

## Try it

- Set \`REPS = 200\`: how much do the interval ends move? Re-run with the same seed: they do not move at all.
- Add a fourth candidate mediator, e.g. \`fin\` (financial development), and remove it from the controls. Is it a channel?
- Replace the outcome by \`resilience_martin\`: which channels survive?
`),
  ],

  heterogeneity: [
    md(`
# 5 · Heterogeneity: where does NQP matter more?

The paper (its Table 7) splits the sample three ways and finds a larger effect of NQP in **non-resource-based cities**,
in cities with **high government participation**, and in cities of **high administrative level** (municipalities,
sub-provincial cities, provincial capitals). We test each difference three ways: an interaction term, a SUEST-style
test of the two subsample coefficients, and Fisher's permutation test, the "empirical p-value" Chinese papers report.
`),
    SETTINGS(`
const REPS = 1000;   // permutation draws`),
    code(`
import { studyPanel, labels, groupDiff, cityMedianSplit, etable, show, simpleTable, coefPlot, drawHistogram, progressBar } from 'nqp-resilience';
`),
    LOAD,
    md(`
## The three splits

- **Resource-based**: the 2013 national plan's list of resource-based cities (\`data/cities.csv\`); 1 = resource-based.
- **Government participation**: fiscal expenditure over GDP. We split at the median of each city's mean over 2010–2021,
  not year by year: a city then stays in one group for the whole period, its group cannot respond to that year's
  resilience, and the permutation test can reshuffle whole cities.
- **Administrative level**: municipalities, sub-provincial cities and provincial capitals against other prefecture-level
  cities.
`),
    code(`
const split = cityMedianSplit(panel, 'gov');
console.log(\`government participation: median of city means \${split.median.toFixed(4)}; \${split.above} cities above, \${split.below} below\`);
const data = split.data.derive({ non_resource: (d: any) => 1 - d.resource_based });
const tests = [
  { group: 'non_resource', labels: ['Non-resource-based', 'Resource-based'], claim: 'larger in non-resource-based cities' },
  { group: 'high_gov', labels: ['High government participation', 'Low government participation'], claim: 'larger with high government participation' },
  { group: 'high_admin', labels: ['High administrative level', 'Other prefecture-level'], claim: 'larger in cities of high administrative level' },
] as const;
`),
    code(`
const results = [];
for (const t of tests) {
  results.push(await groupDiff(data, { x: 'nqp', y: 'resilience', group: t.group, labels: [t.labels[0], t.labels[1]], controls: CONTROLS, unit: CLUSTER, reps: REPS, seed: SEED, onProgress: progressBar(\`permutations: \${t.group}\`) }));
}
`),
    md(`**Table 14** shows the six subsample regressions side by side, each pair with its group in the header.`),
    code(`
await show(etable(results.flatMap((r) => r.models), { labels: { ...lab, nqp: 'New quality productivity', city_code: 'City', year: 'Year' }, keep: ['nqp', ...CONTROLS], headers: results.flatMap((r) => r.labels), title: 'Table 14. Heterogeneity: subsample regressions' }));
`),
    md(`**Table 15** tests each difference $\\beta_{\\text{first}} - \\beta_{\\text{second}}$ three ways.`),
    code(`
await show(simpleTable(results.map((r) => ({
  split: \`\${r.labels[0]} vs \${r.labels[1]}\`, difference: r.difference,
  'interaction (SE)': \`\${r.interaction.estimate.toFixed(4)} (\${r.interaction.std_error.toFixed(4)})\`, 'interaction p': r.interaction.p_value,
  'SUEST χ²': r.suest.chi2, 'SUEST p': r.suest.p_value,
  'permutation p (one-sided)': r.permutation.pOneSided, 'permutation p (two-sided)': r.permutation.pTwoSided,
})), { title: 'Table 15. Tests of the coefficient difference', notes: [\`Permutation: \${REPS} reshuffles of group labels across cities, seed \${SEED}; p = (1 + #draws at least as extreme) / (1 + draws).\`] }));
`),
    md(`
The interaction coefficient and the SUEST difference estimate the same contrast in two ways (a common vs. separate
control coefficients), so they differ slightly. All three tests agree on the resource and administrative splits; the
government-participation difference is smaller, and there the tests can disagree at the 5% level. **Figure 11** shows
the subsample coefficients; **Figure 12** the permutation distributions with the observed differences.
`),
    code(`
const rowsPlot = results.flatMap((r) => r.coefs.map((c, k) => ({ label: r.labels[k], estimate: c.estimate, low: c.conf_low, high: c.conf_high, highlight: k === 0 })));
await show(coefPlot(rowsPlot, { title: 'Figure 11. Effect of NQP by group (95% CI)', xTitle: 'Effect of NQP on resilience' }));
`),
    code(`
for (const r of results) {
  await show(drawHistogram(r.permutation.draws, [{ label: 'observed difference', value: r.difference }], { title: \`Figure 12. Permutation distribution: \${r.labels[0]} − \${r.labels[1]}\`, xTitle: 'Difference under reshuffled labels' }));
}
`),
    md(`## Claims check`),
    code(`
await show(simpleTable(results.map((r, i) => ({ claim: \`The effect is \${tests[i].claim}\`, difference: r.difference, 'permutation p': r.permutation.pOneSided, 'SUEST p': r.suest.p_value, holds: r.difference > 0 && r.permutation.pOneSided < 0.05 ? 'yes' : 'NO' })), { title: 'Table 16. The paper\\'s heterogeneity claims, this run' }));
`),
    md(`
## Try it

- Split government participation year by year (\`cityMedianSplit\` per year is not offered: why would \`groupDiff\`
  refuse it?) and compare with the interaction test alone.
- Set \`REPS = 99\`: what is the smallest p-value the permutation test can then report?
- Split by region (east vs the rest) with a new 0/1 column: is the paper's administrative-level result a coastal one?
`),
  ],
};

const dir = process.argv[2] ?? join(__dirname, '..', 'notebooks');
for (const [name, cells] of Object.entries(notebooks)) {
  const nb = {
    cells: cells.map((c, i) => ({
      cell_type: c.cell_type,
      id: `${name}-${i}`,
      metadata: {},
      source: c.source.split('\n').map((l, k, a) => (k < a.length - 1 ? l + '\n' : l)),
      ...(c.cell_type === 'code' ? { execution_count: null, outputs: [] } : {}),
    })),
    metadata: {
      kernelspec: { name: 'nqp-tslab', display_name: 'TypeScript (nqp-resilience)', language: 'typescript' },
      language_info: { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(join(dir, `${name}.ipynb`), JSON.stringify(nb, null, 1) + '\n');
}
console.log(`wrote ${Object.keys(notebooks).length} notebooks to ${dir}`);
