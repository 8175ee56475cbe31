import { sql } from 'drizzle-orm';
import type { Ctx } from '../../floor/context.js';
import type { TimerHandlers, TimerRow } from '../../floor/timers.js';
import { notify } from '../notify/notify.js';
import { type HazardRow, usersOf } from './inspections.repo.js';
import { HAZARD_TIMERS, timerApplies } from './rules.js';

const bj = (d: Date) =>
  d.toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
    dateStyle: 'short',
    timeStyle: 'short',
  });

const SEVERITY_ZH = { general: '一般隐患', major: '重大隐患' } as const;

async function loadHazards(ctx: Ctx, timers: TimerRow[]): Promise<Map<string, HazardRow>> {
  const r = await ctx.tx.execute<HazardRow>(sql`select h.*, ru.name as responsible_unit_name
    from hazards h join units ru on ru.id = h.responsible_unit_id
    where h.id in (${sql.join(
      timers.map((t) => sql`${t.ref_id}`),
      sql`, `,
    )}) for update of h`);
  return new Map(r.rows.map((h) => [h.id, h]));
}

/** One handler for every hazard timer kind: a step that no longer applies (reported, closed, moved) does nothing. */
async function fire(ctx: Ctx, timers: TimerRow[]): Promise<void> {
  const hazards = await loadHazards(ctx, timers);
  for (const t of timers) {
    const h = hazards.get(t.ref_id);
    if (
      !h ||
      !timerApplies(t.kind, t.payload, {
        status: h.status,
        rectifyBy: h.rectify_by,
        reportedAt: h.reported_at,
      })
    )
      continue;
    const what = `${SEVERITY_ZH[h.severity]}「${h.place}」`;
    const data = { hazardId: h.id, path: `/inspections/hazards/${h.id}` };
    const dedupeKey = `${t.kind}:${h.id}:${t.due_at.toISOString()}`;
    if (t.kind === HAZARD_TIMERS.remind50 || t.kind === HAZARD_TIMERS.remind80) {
      await notify(ctx, {
        userIds: await usersOf(ctx, [h.responsible_unit_id], null),
        kind: 'hazard.reminder',
        title: `【隐患整改提醒】${what}须于${bj(h.rectify_by)}前整改完毕`,
        body: h.description,
        data,
        dedupeKey,
      });
    } else if (t.kind === HAZARD_TIMERS.overdue) {
      // at the deadline: the responsible unit's principal(s) and the recording unit
      const principals = await usersOf(ctx, [h.responsible_unit_id], ['principal']);
      const recorders = await usersOf(ctx, [h.recording_unit_id], null);
      await notify(ctx, {
        userIds: [...principals, ...recorders],
        kind: 'hazard.overdue',
        title: `【隐患整改逾期】${h.responsible_unit_name}未按期整改${what}（期限${bj(h.rectify_by)}）`,
        body: h.description,
        data,
        urgent: true,
        dedupeKey,
      });
    } else if (t.kind === HAZARD_TIMERS.verify) {
      // a reported rectification waiting for verification: the verifier, never the responsible unit
      await notify(ctx, {
        userIds: await usersOf(ctx, [h.recording_unit_id, h.lead_unit_id], null),
        kind: 'hazard.verify_due',
        title: `【隐患待验收】${h.responsible_unit_name}已报告整改${what}，请尽快验收`,
        body: h.rectification_text ?? '',
        data,
        dedupeKey,
      });
    }
  }
}

export const inspectionTimers: TimerHandlers = new Map(Object.values(HAZARD_TIMERS).map((k) => [k, fire]));
