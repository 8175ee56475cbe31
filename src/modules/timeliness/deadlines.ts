import { sql } from 'drizzle-orm';
import type { Ctx } from '../../floor/context.js';
import { getRuleSet } from '../../floor/rule-sets.js';
import { addTimer, cancelTimers } from '../../floor/timers.js';
import { type ChainUnit, desiredDeadlines, reportingChain } from './chain.js';
import type { TimelinessRuleSet } from './rules.js';
import { deadlineStatus } from './status.js';

export type DeadlineRow = {
  id: string;
  event_id: string | null;
  from_unit_id: string;
  to_unit_id: string | null;
  channel: 'phone' | 'written';
  rule_row: string;
  rule_version: number;
  limit_minutes: number;
  basis: string;
  base_at: Date | null;
  due_at: Date | null;
  missed_at: Date | null;
  met_at: Date | null;
  met_by_report_id: string | null;
  created_at: Date;
  superseded_at: Date | null;
  superseded_reason: string | null;
  history: Array<Record<string, unknown>>;
  kind: string;
};

const MIN = 60_000;

export async function loadChainUnits(ctx: Ctx, unitId: string): Promise<Map<string, ChainUnit>> {
  const r = await ctx.tx.execute<any>(sql`
    select id, kind, level, parent_id, path from units
    where id in (select unnest(path) from units where id = ${unitId})`);
  return new Map(
    r.rows.map((u) => [
      u.id,
      { id: u.id, kind: u.kind, level: u.level, parentId: u.parent_id, path: u.path },
    ]),
  );
}

export async function activeDeadlines(ctx: Ctx, eventId: string): Promise<DeadlineRow[]> {
  const r = await ctx.tx.execute<DeadlineRow>(sql`
    select * from deadlines where event_id = ${eventId} and superseded_at is null order by created_at, channel desc`);
  return r.rows;
}

/** Reminders at 50 % / 80 % (only those still ahead), the overdue escalation at the limit, and the 漏报 line. */
async function scheduleDeadlineTimers(ctx: Ctx, d: DeadlineRow, rs: TimelinessRuleSet) {
  await cancelTimers(ctx, d.id);
  if (d.met_at || !d.due_at || !d.base_at) return;
  const now = ctx.clock.now().getTime();
  const base = d.base_at.getTime();
  const due = d.due_at.getTime();
  for (const f of rs.reminderFractions) {
    const at = base + (due - base) * f;
    if (at > now) await addTimer(ctx, 'deadline.remind', d.id, new Date(at), { fraction: f });
  }
  await addTimer(ctx, 'deadline.overdue', d.id, d.due_at);
  if (d.missed_at) await addTimer(ctx, 'deadline.missed', d.id, d.missed_at);
}

/** Earliest report of `unitId` on this channel already there (a deadline that comes into being late may be met). */
async function existingMeeting(ctx: Ctx, eventId: string, unitId: string, channel: 'phone' | 'written') {
  const r = await ctx.tx.execute<{ id: string; at: Date }>(
    channel === 'phone'
      ? sql`select id, called_at as at from reports where event_id = ${eventId} and unit_id = ${unitId} and kind = 'phone' and status = 'recorded' order by called_at limit 1`
      : sql`select id, sent_at as at from reports where event_id = ${eventId} and unit_id = ${unitId} and kind <> 'phone' and status = 'sent' order by sent_at limit 1`,
  );
  return r.rows[0] ?? null;
}

export interface RecomputeInput {
  eventId: string;
  reason: string;
  /** at registration all limits count from occurrence; later ones from the moment they come into being */
  initial: boolean;
}

/**
 * Bring an event's deadlines in line with its level, time of occurrence, responsible unit and must-report
 * status, under the event's frozen rule-set version. Open deadlines are recomputed; new ones are created;
 * open ones no longer owed are superseded (kept as history); met ones stay as they were.
 */
export async function recomputeDeadlines(ctx: Ctx, input: RecomputeInput): Promise<void> {
  const ev = (
    await ctx.tx.execute<any>(sql`select id, level, category_code, occurred_at, responsible_unit_id, must_report,
      timeliness_version from events where id = ${input.eventId}`)
  ).rows[0];
  const rs = (await getRuleSet<TimelinessRuleSet>(ctx.tx, 'timeliness', ev.timeliness_version)).body;
  const now = ctx.clock.now();
  const occurred: Date = ev.occurred_at;
  const units = await loadChainUnits(ctx, ev.responsible_unit_id);
  const desired = ev.must_report?.required
    ? desiredDeadlines(
        reportingChain(units.get(ev.responsible_unit_id)!, units, rs, ev.level, ev.category_code),
      )
    : [];
  const active = await activeDeadlines(ctx, input.eventId);
  const key = (from: string, channel: string) => `${from}:${channel}`;
  const activeByKey = new Map(active.map((d) => [key(d.from_unit_id, d.channel), d]));
  const desiredKeys = new Set(desired.map((d) => key(d.fromUnitId, d.channel)));
  const missedAfter = rs.missedAfterMinutes * MIN;

  for (const d of desired) {
    const cur = activeByKey.get(key(d.fromUnitId, d.channel));
    if (cur) {
      if (cur.met_at) continue; // met deadlines stay as they were
      const baseAt = cur.basis === 'occurrence' ? occurred : (cur.base_at ?? now);
      const dueAt = new Date(baseAt.getTime() + d.limitMinutes * MIN);
      const missedAt = new Date(Math.max(occurred.getTime(), baseAt.getTime()) + missedAfter);
      const changed =
        cur.due_at?.getTime() !== dueAt.getTime() ||
        cur.to_unit_id !== d.toUnitId ||
        cur.limit_minutes !== d.limitMinutes;
      if (!changed) continue;
      const history = [
        ...(cur.history ?? []),
        {
          at: now.toISOString(),
          reason: input.reason,
          dueAt: cur.due_at,
          limitMinutes: cur.limit_minutes,
          ruleRow: cur.rule_row,
        },
      ];
      const r = await ctx.tx.execute<DeadlineRow>(sql`update deadlines set to_unit_id = ${d.toUnitId},
        limit_minutes = ${d.limitMinutes}, rule_row = ${d.ruleRow}, base_at = ${baseAt.toISOString()},
        due_at = ${dueAt.toISOString()}, missed_at = ${missedAt.toISOString()}, history = ${JSON.stringify(history)}::jsonb
        where id = ${cur.id} returning *`);
      await scheduleDeadlineTimers(ctx, r.rows[0], rs);
      continue;
    }
    const fromOccurrence = input.initial && d.basis === 'occurrence';
    const baseAt = fromOccurrence ? occurred : now;
    const dueAt = new Date(baseAt.getTime() + d.limitMinutes * MIN);
    const missedAt = new Date(Math.max(occurred.getTime(), baseAt.getTime()) + missedAfter);
    const meeting = await existingMeeting(ctx, input.eventId, d.fromUnitId, d.channel);
    const r =
      await ctx.tx.execute<DeadlineRow>(sql`insert into deadlines (event_id, from_unit_id, to_unit_id, channel,
        rule_row, rule_version, limit_minutes, basis, base_at, due_at, missed_at, met_at, met_by_report_id, created_at)
      values (${input.eventId}, ${d.fromUnitId}, ${d.toUnitId}, ${d.channel}, ${d.ruleRow}, ${ev.timeliness_version},
        ${d.limitMinutes}, ${fromOccurrence ? 'occurrence' : 'created'}, ${baseAt.toISOString()}, ${dueAt.toISOString()},
        ${missedAt.toISOString()}, ${meeting ? new Date(meeting.at).toISOString() : null}, ${meeting?.id ?? null}, ${now.toISOString()})
      returning *`);
    await scheduleDeadlineTimers(ctx, r.rows[0], rs);
  }
  for (const cur of active) {
    if (desiredKeys.has(key(cur.from_unit_id, cur.channel)) || cur.met_at) continue;
    await ctx.tx.execute(sql`update deadlines set superseded_at = ${now.toISOString()}, superseded_reason = ${input.reason}
      where id = ${cur.id}`);
    await cancelTimers(ctx, cur.id);
  }
}

/** A sent written report / a recorded phone report meets the unit's open deadline on that channel. */
export async function meetDeadline(
  ctx: Ctx,
  eventId: string,
  unitId: string,
  channel: 'phone' | 'written',
  at: Date,
  reportId: string,
): Promise<DeadlineRow | null> {
  const r =
    await ctx.tx.execute<DeadlineRow>(sql`update deadlines set met_at = ${at.toISOString()}, met_by_report_id = ${reportId}
    where event_id = ${eventId} and from_unit_id = ${unitId} and channel = ${channel} and superseded_at is null
      and met_at is null returning *`);
  const d = r.rows[0] ?? null;
  if (d) await cancelTimers(ctx, d.id);
  return d;
}

export function presentDeadline(d: DeadlineRow, now: Date) {
  return {
    id: d.id,
    fromUnitId: d.from_unit_id,
    toUnitId: d.to_unit_id,
    channel: d.channel,
    dueAt: d.due_at,
    metAt: d.met_at,
    status: deadlineStatus({ dueAt: d.due_at, metAt: d.met_at, missedAt: d.missed_at }, now),
    limitMinutes: d.limit_minutes,
    ruleRow: d.rule_row,
    ruleSetVersion: d.rule_version,
    countsFrom: d.basis,
    baseAt: d.base_at,
    missedAt: d.missed_at,
    metByReportId: d.met_by_report_id,
    history: d.history ?? [],
  };
}

export async function supersededDeadlines(ctx: Ctx, eventId: string): Promise<DeadlineRow[]> {
  const r = await ctx.tx.execute<DeadlineRow>(
    sql`select * from deadlines where event_id = ${eventId} and superseded_at is not null order by superseded_at`,
  );
  return r.rows;
}
