/**
 * What a table says about its own making: rows derived from the models (which carry the controls) and the
 * provenance line (data file, hash, N, settings) that heads its notes in every output format.
 */
import { latestSource, provenanceLine, type Provenance } from '../data/provenance';
import type { FeolsResult } from '../estimate';
import { say } from '../lang';

/** Terms a model was given: its coefficients and the terms it dropped (collinear, absorbed). */
function termsOf(m: FeolsResult): Set<string> {
  return new Set([...m.coefficients.map((c) => c.term), ...m.droppedTerms.map((t) => t.term)]);
}

/**
 * The "Controls" row, read from each model's terms: Yes (all of `controls`), No (none), Some (k/n) otherwise.
 * @example etable([m1, m2], { controls: CONTROLS })   // Controls: No, Yes
 */
export function controlsRow(models: FeolsResult[], controls: string[]): string[] {
  return models.map((m) => {
    const t = termsOf(m);
    const k = controls.filter((c) => t.has(c)).length;
    return k === 0 ? 'No' : k === controls.length ? 'Yes' : `Some (${k}/${controls.length})`;
  });
}

/** The sources of a set of models (one per distinct file and settings), else the session's latest study. */
export function sourcesOf(models: FeolsResult[]): Provenance[] {
  const seen = new Map<string, Provenance>();
  for (const m of models) if (m.provenance) seen.set(JSON.stringify({ ...m.provenance, builtBy: '' }), m.provenance);
  if (!seen.size) {
    const l = latestSource();
    return l ? [l] : [];
  }
  return [...seen.values()];
}

/** One provenance line per source: file, hash, the models' N, the settings, the SE types. */
export function modelStamp(models: FeolsResult[]): string[] {
  const vcovs = [...new Set(models.map((m) => m.spec.vcov))];
  return sourcesOf(models).map((p) =>
    provenanceLine(p, { n: models.map((m) => m.fit.nObs), extra: [`${say('vcov: ', '标准误：')}${vcovs.join(', ')}`] }),
  );
}

/** The provenance line of a table built from the session's latest study (descriptive and small tables). */
export function sessionStamp(extra: string[] = []): string[] {
  const l = latestSource();
  return l ? [provenanceLine(l, { extra })] : [];
}
