/**
 * Each student's own structural model: the default model with the NQP effect, the active channels and the sign
 * and size of the resource-based group difference drawn per student, from ranges that keep every exercise
 * meaningful (an effect large enough to find, at least one channel on and one off, a group gap that is never ~0).
 */
import { Rng } from '../math/rng';
import { TRUTH, type ModelTruth } from '../simulate';

/** A student's seed: the class seed and the student id, hashed (FNV-1a), so roster order does not matter. */
export function studentSeed(classSeed: number, id: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${classSeed}/${id}`) {
    h ^= ch.codePointAt(0) as number;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return 1 + (h % 2_000_000_000);
}

export const MEDIATOR_NAMES = ['indus', 'talent_lq', 'innov'] as const;

/** What was drawn, in words a teacher reads (written beside the full truth). */
export interface StudentDraw {
  seed: number;
  beta_direct: number;
  active_channels: string[];
  inactive_channels: string[];
  /** Effect in non-resource-based minus resource-based cities, in latent units (the heterogeneity notebook's sign). */
  resource_gap: number;
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** Draw a student's model from their seed. */
export function drawModel(seed: number): { model: ModelTruth; draw: StudentDraw } {
  const rng = new Rng(seed ^ 0x5eed);
  const beta = round(0.15 + 0.25 * rng.uniform());
  // Each channel on with probability 0.6, then forced to at least one on and one off.
  const on = MEDIATOR_NAMES.map(() => rng.uniform() < 0.6);
  if (on.every(Boolean)) on[Math.floor(rng.uniform() * 3)] = false;
  if (!on.some(Boolean)) on[Math.floor(rng.uniform() * 3)] = true;
  const mediators = { ...TRUTH.mediators };
  MEDIATOR_NAMES.forEach((k, i) => {
    mediators[k] = { delta: round(0.4 + 0.3 * rng.uniform()), theta: on[i] ? round(0.08 + 0.08 * rng.uniform()) : 0 };
  });
  // resource_based is the effect shift of resource-based cities; the gap non-resource − resource is its negative.
  const sign = rng.uniform() < 0.5 ? -1 : 1;
  const shift = sign * round(0.15 + 0.15 * rng.uniform());
  const model: ModelTruth = {
    ...TRUTH,
    seed,
    beta_direct: beta,
    mediators,
    heterogeneity: { ...TRUTH.heterogeneity, resource_based: shift },
  };
  return {
    model,
    draw: {
      seed,
      beta_direct: beta,
      active_channels: MEDIATOR_NAMES.filter((_, i) => on[i]),
      inactive_channels: MEDIATOR_NAMES.filter((_, i) => !on[i]),
      resource_gap: -shift,
    },
  };
}
