import type { Ctx } from '../../floor/context.js';
import { currentRuleSet, getRuleSet, type RuleSet } from '../../floor/rule-sets.js';
import type { ScoringRuleSet } from '../../floor/rule-sets.scoring.js';
import { actingUnitIdOf } from '../units/acting.js';
import { type UnitLite, unitById } from './affairs.repo.js';

export const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** The scoring rule set in force (its version is frozen on each adoption, instruction and commission). */
export const scoringNow = (ctx: Ctx): Promise<RuleSet<ScoringRuleSet>> =>
  currentRuleSet<ScoringRuleSet>(ctx.tx, 'scoring');
export const scoringAt = (ctx: Ctx, version: number): Promise<RuleSet<ScoringRuleSet>> =>
  getRuleSet<ScoringRuleSet>(ctx.tx, 'scoring', version);

/** A unit as the one it acts for: an office id means its area (API contract). Null when unknown or disabled. */
export async function actingUnit(ctx: Ctx, id: string): Promise<UnitLite | null> {
  const u = await unitById(ctx, id);
  if (!u) return null;
  const acting = actingUnitIdOf({ id: u.id, kind: u.kind, parentId: u.parent_id });
  return acting === u.id ? u : unitById(ctx, acting);
}

/** The area whose general offices receive a unit's pieces: an area's parent area; another unit's own area. */
export const receivingAreaOf = (u: { parentId: string | null }) => u.parentId;
