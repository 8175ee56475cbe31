import { sql } from 'drizzle-orm';
import type { Ctx } from '../../floor/context.js';
import { arrayParam } from '../../floor/sql-arrays.js';
import type { StepChannel } from './channels.js';

/** One step of a person's notification rule. */
export interface RuleStep {
  afterMinutes: number;
  channel: StepChannel;
  endpointId?: string | null;
  /** only for notifications that need an acknowledgement */
  urgentOnly?: boolean;
}

export interface PersonRule {
  userId: string;
  name: string;
  email: string | null;
  phone: string | null;
  deputyUserId: string | null;
  steps: RuleStep[];
  isDefault: boolean;
}

/**
 * The default chain: in-app at once; an urgent notification nobody acknowledged goes out by SMS after
 * 2 minutes, by voice call after 5 and to the deputy after 10.
 */
export const DEFAULT_STEPS: RuleStep[] = [
  { afterMinutes: 0, channel: 'in_app' },
  { afterMinutes: 2, channel: 'sms', urgentOnly: true },
  { afterMinutes: 5, channel: 'voice', urgentOnly: true },
  { afterMinutes: 10, channel: 'deputy', urgentOnly: true },
];

/** Rules of several people at once (the default chain for anyone without their own). */
export async function loadRules(ctx: Ctx, userIds: string[]): Promise<Map<string, PersonRule>> {
  const out = new Map<string, PersonRule>();
  if (userIds.length === 0) return out;
  const r = await ctx.tx.execute<any>(sql`
    select u.id, u.name, u.email as u_email, u.phone as u_phone,
           r.email, r.phone, r.deputy_user_id, r.steps
    from users u left join notification_rules r on r.user_id = u.id
    where u.id = any(${arrayParam([...new Set(userIds)])}::uuid[])`);
  for (const row of r.rows) {
    out.set(row.id, {
      userId: row.id,
      name: row.name,
      email: row.email || row.u_email || null,
      phone: row.phone || row.u_phone || null,
      deputyUserId: row.deputy_user_id ?? null,
      steps: (row.steps as RuleStep[] | null) ?? DEFAULT_STEPS,
      isDefault: !row.steps,
    });
  }
  return out;
}

/** The steps that apply to one notification (urgent or not), in the order they fire. */
export function stepsFor(rule: PersonRule, urgent: boolean): RuleStep[] {
  return rule.steps
    .filter((s) => urgent || (!s.urgentOnly && s.channel !== 'deputy'))
    .sort((a, b) => a.afterMinutes - b.afterMinutes);
}
