import type { Ctx } from '../../floor/context.js';
import { definePolicy } from '../../floor/policy.js';
import { loadObligations, type ObligationRow } from './obligations.repo.js';
import { intakeUnitsOf, UNSIGNED_ESCALATION_MINUTES } from './reports.service.js';

/** The next step is always on screen: what the caller's unit still owes, the earliest due first. */
export const obligationsPolicy = definePolicy('obligations', {
  list: { roles: 'signed-in' },
});

export type ObligationKind = ObligationRow['kind'];

/** The action that discharges an obligation: what the button says and where it leads (web) or posts (API). */
const ACTIONS: Record<
  ObligationKind,
  (r: ObligationRow) => { verb: string; href: string; method?: 'POST'; path?: string }
> = {
  deadline: (r) => ({ verb: r.channel === 'phone' ? 'call' : 'report', href: `/events/${r.event_id}` }),
  followup: (r) => ({ verb: 'followup', href: `/events/${r.event_id}` }),
  countersign: (r) => ({
    verb: 'countersign',
    href: `/events/${r.event_id}`,
    method: 'POST',
    path: `/api/reports/${r.ref_id}/countersign`,
  }),
  approval: (r) => ({
    verb: 'approve',
    href: `/events/${r.event_id}`,
    method: 'POST',
    path: `/api/reports/${r.ref_id}/approve`,
  }),
  instruction: (r) => ({ verb: 'feedback', href: `/events/${r.event_id}` }),
  unsigned: (r) => ({ verb: 'sign', href: '/intake', method: 'POST', path: `/api/reports/${r.ref_id}/sign` }),
  request: (r) => ({ verb: 'answer', href: `/events/${r.event_id}` }),
};

const hasCasualties = (c: Record<string, number> | null) =>
  !!c && Object.values(c).some((n) => typeof n === 'number' && n > 0);

/** Pure: present and order (overdue and earliest due first; undated last; Ⅰ–Ⅲ and casualties stand out). */
export function presentObligations(rows: ObligationRow[], now: Date) {
  const items = rows.map((r) => {
    const dueAt = r.due_at ? new Date(r.due_at) : null;
    return {
      kind: r.kind,
      eventId: r.event_id,
      eventTitle: r.title,
      level: r.level,
      dueAt,
      overdue: !!dueAt && dueAt.getTime() <= now.getTime(),
      secondsLeft: dueAt ? Math.round((dueAt.getTime() - now.getTime()) / 1000) : null,
      prominent: r.level === 'I' || r.level === 'II' || r.level === 'III' || hasCasualties(r.casualties),
      refId: r.ref_id,
      ...(r.channel ? { channel: r.channel } : {}),
      ...(r.to_unit_id ? { toUnitId: r.to_unit_id } : {}),
      ...(r.step ? { step: r.step } : {}),
      action: ACTIONS[r.kind](r),
    };
  });
  items.sort((a, b) => {
    if (!a.dueAt || !b.dueAt) return a.dueAt ? -1 : b.dueAt ? 1 : 0;
    return a.dueAt.getTime() - b.dueAt.getTime();
  });
  return items;
}

/** GET /api/obligations: what the unit the caller acts for still owes, with the next one first. */
export async function listObligations(ctx: Ctx) {
  const a = ctx.actor!;
  const rows = await loadObligations(ctx, a.acting.id, intakeUnitsOf(a), UNSIGNED_ESCALATION_MINUTES);
  const now = ctx.clock.now();
  const items = presentObligations(rows, now);
  return { unitId: a.acting.id, now, next: items[0] ?? null, items, nextCursor: null };
}
