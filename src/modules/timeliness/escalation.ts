import { sql } from 'drizzle-orm';
import { type AuditEntry, audit, auditMany } from '../../floor/audit.js';
import type { Ctx } from '../../floor/context.js';
import { intakeAudience, publishMany, unitAudience } from '../../floor/outbox.js';
import { getRuleSet } from '../../floor/rule-sets.js';
import { arrayParam } from '../../floor/sql-arrays.js';
import { addTimers, type TimerHandler, type TimerRow } from '../../floor/timers.js';
import { formatDurationZh } from '../../floor/working-hours.js';
import { LEVEL_ZH, reportLabel } from '../emergency/messages.js';
import { type NotifyInput, notify, notifyMany, usersActingForMany } from '../notify/notify.js';
import { type DeadlineTimer, nextDeadlineTimer } from './deadlines.js';
import type { TimelinessRuleSet } from './rules.js';

/** What this module's timers do when they fall due (composed by the server; see floor/timers.ts). */
export const escalationTimers = new Map<string, TimerHandler>();

const CHANNEL_ZH = { phone: '电话报告', written: '书面报告' } as const;

const fmt = (d: Date) =>
  new Date(d.getTime() + 8 * 3600_000)
    .toISOString()
    .slice(5, 16)
    .replace('T', ' ')
    .replace('-', '月')
    .replace(' ', '日 ');

async function openDeadlines(ctx: Ctx, timers: TimerRow[]) {
  const r =
    await ctx.tx.execute<any>(sql`select d.*, e.title, e.level, fu.name as from_name, fu.kind as from_kind,
      tu.name as to_name
    from deadlines d join events e on e.id = d.event_id join units fu on fu.id = d.from_unit_id
    left join units tu on tu.id = d.to_unit_id
    where d.id = any(${arrayParam(timers.map((t) => t.ref_id))}::uuid[]) and d.met_at is null and d.superseded_at is null and e.status = 'open'`);
  return r.rows;
}

/**
 * Each deadline keeps one pending timer, its next step: when a step fires for a deadline still open, the step
 * after it is scheduled (already due after downtime: the same sweep fires it next, in order).
 */
async function scheduleNextSteps(ctx: Ctx, rows: any[], timers: TimerRow[]) {
  const firedAt = new Map(timers.map((t) => [t.ref_id, new Date(t.due_at)]));
  const next: DeadlineTimer[] = [];
  for (const d of rows) {
    const rs = (await getRuleSet<TimelinessRuleSet>(ctx.tx, 'timeliness', d.rule_version)).body;
    const n = nextDeadlineTimer(d, rs, firedAt.get(d.id) ?? ctx.clock.now());
    if (n) next.push(n);
  }
  await addTimers(ctx, next);
}

/** 50 % / 80 % of a limit: remind the unit's information officers and leader in charge. */
escalationTimers.set('deadline.remind', async (ctx, timers) => {
  const byId = new Map(timers.map((t) => [t.ref_id, t]));
  const rows = await openDeadlines(ctx, timers);
  const people = await usersActingForMany(
    ctx,
    rows.map((d) => d.from_unit_id),
  );
  const notes: NotifyInput[] = [];
  const live: Array<{ audiences: string[]; type: string; data: Record<string, unknown> }> = [];
  for (const d of rows) {
    const fraction = Number(byId.get(d.id)?.payload?.fraction ?? 0.5);
    const users = people(d.from_unit_id, ['reporter', 'approver']);
    const left = Math.max(0, (new Date(d.due_at).getTime() - ctx.clock.now().getTime()) / 1000);
    notes.push({
      userIds: users,
      kind: 'deadline.warning',
      title: `【时限提醒】${d.title}：${CHANNEL_ZH[d.channel as 'phone' | 'written']}还剩${formatDurationZh(left)}`,
      body: `${d.from_name}应于 ${fmt(new Date(d.due_at))} 前向${d.to_name ?? '上级'}${CHANNEL_ZH[d.channel as 'phone' | 'written']}（时限已过 ${Math.round(fraction * 100)}%）。`,
      data: { eventId: d.event_id, deadlineId: d.id, fraction },
      eventId: d.event_id,
    });
    live.push({
      audiences: [unitAudience(d.from_unit_id)],
      type: 'deadline.warning',
      data: {
        eventId: d.event_id,
        deadlineId: d.id,
        fromUnitId: d.from_unit_id,
        channel: d.channel,
        dueAt: d.due_at,
        fraction,
      },
    });
  }
  await notifyMany(ctx, notes);
  await publishMany(ctx, live);
  await scheduleNextSteps(ctx, rows, timers);
});

/** The limit passed: 迟报 — escalate to the unit's principal and tell the receiving office. */
escalationTimers.set('deadline.overdue', async (ctx, timers) => {
  const rows = await openDeadlines(ctx, timers);
  const people = await usersActingForMany(ctx, [
    ...rows.map((d) => d.from_unit_id),
    ...rows.flatMap((d) => (d.to_unit_id ? [d.to_unit_id] : [])),
  ]);
  const notes: NotifyInput[] = [];
  const entries: AuditEntry[] = [];
  const live: Array<{ audiences: string[]; type: string; data: Record<string, unknown> }> = [];
  for (const d of rows) {
    const own = people(d.from_unit_id, ['principal', 'approver', 'reporter']);
    const receiving = d.to_unit_id ? people(d.to_unit_id, ['editor', 'duty_officer']) : [];
    const level = d.level ? LEVEL_ZH[d.level] : '未分级';
    notes.push({
      userIds: [...own, ...receiving],
      kind: 'deadline.overdue',
      title: `【已超时】${d.from_name}${CHANNEL_ZH[d.channel as 'phone' | 'written']}超时：${d.title}`,
      body: `${level}事件，${CHANNEL_ZH[d.channel as 'phone' | 'written']}时限 ${d.limit_minutes} 分钟，应于 ${fmt(new Date(d.due_at))} 前报${d.to_name ?? '上级'}，至今未报。`,
      data: { eventId: d.event_id, deadlineId: d.id },
      urgent: true,
      eventId: d.event_id,
    });
    entries.push({
      stream: `event:${d.event_id}`,
      action: 'deadline_overdue',
      entityType: 'deadline',
      entityId: d.id,
      unitId: d.from_unit_id,
      data: {
        channel: d.channel,
        dueAt: d.due_at,
        limitMinutes: d.limit_minutes,
        ruleVersion: d.rule_version,
      },
    });
    live.push({
      audiences: d.to_unit_id
        ? [unitAudience(d.from_unit_id), intakeAudience(d.to_unit_id)]
        : [unitAudience(d.from_unit_id)],
      type: 'deadline.overdue',
      data: {
        eventId: d.event_id,
        deadlineId: d.id,
        fromUnitId: d.from_unit_id,
        toUnitId: d.to_unit_id,
        channel: d.channel,
        dueAt: d.due_at,
      },
    });
  }
  await auditMany(ctx, entries);
  await notifyMany(ctx, notes);
  await publishMany(ctx, live);
  await scheduleNextSteps(ctx, rows, timers);
});

/** 24 h after occurrence and still not reported: 漏报. */
escalationTimers.set('deadline.missed', async (ctx, timers) => {
  const rows = await openDeadlines(ctx, timers);
  const people = await usersActingForMany(ctx, [
    ...rows.map((d) => d.from_unit_id),
    ...rows.flatMap((d) => (d.to_unit_id ? [d.to_unit_id] : [])),
  ]);
  const notes: NotifyInput[] = [];
  const entries: AuditEntry[] = [];
  for (const d of rows) {
    const users = people(d.from_unit_id, ['principal']);
    const receiving = d.to_unit_id ? people(d.to_unit_id, ['editor', 'leader']) : [];
    notes.push({
      userIds: [...users, ...receiving],
      kind: 'deadline.missed',
      title: `【漏报】${d.from_name}未报告：${d.title}`,
      body: `事发超过 24 小时，${d.from_name}仍未${CHANNEL_ZH[d.channel as 'phone' | 'written']}，记为漏报。`,
      data: { eventId: d.event_id, deadlineId: d.id },
      urgent: true,
      eventId: d.event_id,
    });
    entries.push({
      stream: `event:${d.event_id}`,
      action: 'deadline_missed',
      entityType: 'deadline',
      entityId: d.id,
      unitId: d.from_unit_id,
      data: { channel: d.channel, missedAt: d.missed_at },
    });
  }
  await auditMany(ctx, entries);
  await notifyMany(ctx, notes);
  await scheduleNextSteps(ctx, rows, timers);
});

/** An arrival nobody signed for: escalate to the receiving level's leaders on duty. */
escalationTimers.set('delivery.unsigned', async (ctx, timers) => {
  const r = await ctx.tx.execute<any>(sql`select d.*, e.title, e.level, fu.name as from_name, r.kind, r.seq
    from report_deliveries d join events e on e.id = d.event_id join units fu on fu.id = d.from_unit_id
    join reports r on r.id = d.report_id
    where d.id = any(${arrayParam(timers.map((t) => t.ref_id))}::uuid[]) and d.signed_at is null`);
  const people = await usersActingForMany(
    ctx,
    r.rows.map((d) => d.to_unit_id),
  );
  const notes: NotifyInput[] = [];
  for (const d of r.rows) {
    notes.push({
      userIds: people(d.to_unit_id, ['duty_leader', 'principal', 'editor']),
      kind: 'delivery.unsigned',
      title: `【未签收】${d.from_name}：${d.title}（${reportLabel(d.kind, d.seq)}）`,
      body: '报告到达接报口已超过 10 分钟无人签收，请立即处理。',
      data: { eventId: d.event_id, reportId: d.report_id, deliveryId: d.id },
      urgent: true,
      eventId: d.event_id,
    });
  }
  await notifyMany(ctx, notes);
});

/** A report waiting at an approval step beyond the 5-minute target: remind again, up to the principal. */
escalationTimers.set('approval.dwell', async (ctx, timers) => {
  const r =
    await ctx.tx.execute<any>(sql`select r.*, e.title from reports r join events e on e.id = r.event_id
    where r.id = any(${arrayParam(timers.map((t) => t.ref_id))}::uuid[]) and r.status = 'awaiting_approval'`);
  const people = await usersActingForMany(
    ctx,
    r.rows.map((rep) => rep.unit_id),
  );
  const notes: NotifyInput[] = [];
  for (const rep of r.rows) {
    notes.push({
      userIds: people(rep.unit_id, ['approver', 'principal', 'duty_leader']),
      kind: 'approval.overdue',
      title: `【审签超时】${rep.title}（${reportLabel(rep.kind, rep.seq)}）已等待超过 5 分钟`,
      body: '请立即审签，或由主要负责人直接签发。',
      data: { eventId: rep.event_id, reportId: rep.id },
      urgent: true,
      eventId: rep.event_id,
    });
  }
  await notifyMany(ctx, notes);
});

/** Ongoing events: a follow-up is due (Ⅰ/Ⅱ every 12 h, Ⅲ daily, 2 h in an active response). */
escalationTimers.set('event.followup', async (ctx, timers) => {
  const r = await ctx.tx.execute<any>(
    sql`select * from events where id = any(${arrayParam(timers.map((t) => t.ref_id))}::uuid[]) and status = 'open'`,
  );
  const people = await usersActingForMany(
    ctx,
    r.rows.map((ev) => ev.responsible_unit_id),
  );
  for (const ev of r.rows) {
    await notify(ctx, {
      userIds: people(ev.responsible_unit_id, ['reporter', 'approver']),
      kind: 'followup.due',
      title: `【续报提醒】${ev.title}`,
      body: '事件仍在处置中，请按规定时间续报最新进展；事件结束后请报送终报。',
      data: { eventId: ev.id },
      eventId: ev.id,
    });
    const t = timers.find((x) => x.ref_id === ev.id)!;
    const minutes = Number(t.payload?.minutes ?? 0);
    if (minutes > 0) {
      await ctx.tx.execute(sql`insert into timers (kind, ref_id, due_at, payload, created_at)
        values ('event.followup', ${ev.id}, ${new Date(ctx.clock.now().getTime() + minutes * 60_000).toISOString()},
          ${JSON.stringify({ minutes })}::jsonb, ${ctx.clock.now().toISOString()}) on conflict do nothing`);
    }
  }
});

/** Key items (time, place, casualties, loss) still 待核实 24 h after occurrence: 漏报 of key items (a finding). */
escalationTimers.set('event.key_items', async (ctx, timers) => {
  const { openPendingElements } = await import('../emergency/emergency.queries.js');
  const { eventReports } = await import('../emergency/emergency.repo.js');
  const { KEY_ELEMENTS } = await import('../emergency/elements.js');
  for (const t of timers) {
    const reports = await eventReports(ctx, t.ref_id);
    const pending = openPendingElements(reports).filter((p) =>
      (KEY_ELEMENTS as string[]).includes(p.element),
    );
    if (pending.length === 0) continue;
    const units = [
      ...new Set(pending.map((p) => reports.find((r) => r.id === p.reportId)?.unit_id).filter(Boolean)),
    ] as string[];
    for (const unitId of units) {
      const items = pending
        .filter((p) => reports.find((r) => r.id === p.reportId)?.unit_id === unitId)
        .map((p) => p.element);
      await ctx.tx.execute(sql`insert into findings (event_id, unit_id, kind, reason, at)
        values (${t.ref_id}, ${unitId}, 'missed', ${`关键要素事发 24 小时后仍待核实：${items.join('、')}`}, ${ctx.clock.now().toISOString()})`);
      await audit(ctx, {
        stream: `event:${t.ref_id}`,
        action: 'finding_recorded',
        entityType: 'finding',
        entityId: t.ref_id,
        unitId,
        data: { kind: 'missed', items },
      });
    }
  }
});
