export { etable, describe, simpleTable, tidy, type EtableOptions, type Rendered } from './tables';
export { summary, summaryHtml, seLabel, isFeolsResult } from './model';
export { escapeHtml, fmtNum } from './format';
export { significance, describeCoef, compareCoef, againstCritical, provenance } from './narrate';
