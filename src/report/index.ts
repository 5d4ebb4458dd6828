export { etable, describe, simpleTable, tidy, type EtableOptions, type Rendered } from './tables';
export { summary, summaryHtml, seLabel, isFeolsResult } from './model';
export { escapeHtml, fmtNum } from './format';
export { significance, describeCoef, compareCoef, againstCritical, provenance } from './narrate';
export {
  robustnessClaims,
  mechanismClaims,
  heterogeneityClaims,
  channelType,
  type Claims,
  type Specification,
  type GroupClaim,
  type ChannelType,
} from './claims';
export { cellMeans, type CellMeans } from './means';
export { controlsRow, modelStamp, sessionStamp, sourcesOf } from './stamp';
