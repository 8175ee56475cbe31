import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../../floor/context.js';
import { getRuleSet } from '../../floor/rule-sets.js';
import { addTimers, cancelTimers } from '../../floor/timers.js';
import { type ChainUnit, type DesiredDeadline, desiredDeadlines, reportingChain } from './chain.js';
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

/** A timer of a deadline: what `deadlineTimers` decides and `addTimers` writes. */
export interface DeadlineTimer {
  kind: 'deadline.remind' | 'deadline.overdue' | 'deadline.missed';
  refId: string;
  dueAt: Date;
  payload: Record<string, unknown>;
}

/**
 * The steps of an open deadline, in time order: reminders at 50 % / 80 % (only those still ahead of `now`), the
 * overdue escalation at the limit, and the 漏报 line. None for a met deadline.
 */
export function deadlineSteps(
  d: Pick<DeadlineRow, 'id' | 'met_at' | 'due_at' | 'base_at' | 'missed_at'>,
  rs: Pick<TimelinessRuleSet, 'reminderFractions'>,
  now: Date,
): DeadlineTimer[] {
  if (d.met_at || !d.due_at || !d.base_at) return [];
  const base = new Date(d.base_at).getTime();
  const due = new Date(d.due_at).getTime();
  const out: DeadlineTimer[] = [];
  for (const f of rs.reminderFractions) {
    const at = base + (due - base) * f;
    if (at > now.getTime())
      out.push({ kind: 'deadline.remind', refId: d.id, dueAt: new Date(at), payload: { fraction: f } });
  }
  out.push({ kind: 'deadline.overdue', refId: d.id, dueAt: new Date(due), payload: {} });
  if (d.missed_at)
    out.push({ kind: 'deadline.missed', refId: d.id, dueAt: new Date(d.missed_at), payload: {} });
  return out.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/**
 * The one pending timer of an open deadline: its next step (issue 10: one row per deadline, not four). When a
 * step fires, its handler schedules the step after it (`nextDeadlineTimer`), so after downtime every step that
 * fell due still fires, in order, once each.
 */
export function deadlineTimers(
  d: Pick<DeadlineRow, 'id' | 'met_at' | 'due_at' | 'base_at' | 'missed_at'>,
  rs: Pick<TimelinessRuleSet, 'reminderFractions'>,
  now: Date,
): DeadlineTimer[] {
  return deadlineSteps(d, rs, now).slice(0, 1);
}

/** The step after the one that fell due at `fired` (null after the last). */
export function nextDeadlineTimer(
  d: Pick<DeadlineRow, 'id' | 'met_at' | 'due_at' | 'base_at' | 'missed_at'>,
  rs: Pick<TimelinessRuleSet, 'reminderFractions'>,
  fired: Date,
): DeadlineTimer | null {
  return deadlineSteps(d, rs, fired).find((t) => t.dueAt.getTime() > fired.getTime()) ?? null;
}

/** Reschedule an existing deadline's timers (a brand-new deadline has none to cancel: use `deadlineTimers`). */
async function scheduleDeadlineTimers(ctx: Ctx, d: DeadlineRow, rs: TimelinessRuleSet) {
  await cancelTimers(ctx, d.id);
  await addTimers(ctx, deadlineTimers(d, rs, ctx.clock.now()));
}

/**
 * The deadlines of an event registered now (every limit counts from occurrence unless its row says
 * otherwise, as `recomputeDeadlines` with `initial` does), decided without the database: the event has no
 * report yet, so none is met. Ids are made here so the rows can be written in the event's own statement.
 */
export function initialDeadlines(p: {
  eventId: string;
  occurredAt: Date;
  now: Date;
  timelinessVersion: number;
  rs: Pick<TimelinessRuleSet, 'missedAfterMinutes'>;
  desired: DesiredDeadline[];
  newId?: () => string;
}): DeadlineRow[] {
  const newId = p.newId ?? randomUUID;
  const missedAfter = p.rs.missedAfterMinutes * MIN;
  return p.desired.map((d) => {
    const fromOccurrence = d.basis === 'occurrence';
    const baseAt = fromOccurrence ? p.occurredAt : p.now;
    return {
      id: newId(),
      event_id: p.eventId,
      kind: 'report',
      from_unit_id: d.fromUnitId,
      to_unit_id: d.toUnitId,
      channel: d.channel,
      rule_row: d.ruleRow,
      rule_version: p.timelinessVersion,
      limit_minutes: d.limitMinutes,
      basis: fromOccurrence ? 'occurrence' : 'created',
      base_at: baseAt,
      due_at: new Date(baseAt.getTime() + d.limitMinutes * MIN),
      missed_at: new Date(Math.max(p.occurredAt.getTime(), baseAt.getTime()) + missedAfter),
      met_at: null,
      met_by_report_id: null,
      created_at: p.now,
      superseded_at: null,
      superseded_reason: null,
      history: [],
    };
  });
}

/** The insert of new deadline rows (ids included), for a command's write statement. */
export function insertDeadlinesSql(rows: DeadlineRow[]): SQL {
  return sql`insert into deadlines (id, event_id, from_unit_id, to_unit_id, channel, rule_row, rule_version,
    limit_minutes, basis, base_at, due_at, missed_at, met_at, met_by_report_id, created_at) values ${sql.join(
      rows.map(
        (d) => sql`(${d.id}, ${d.event_id}, ${d.from_unit_id}, ${d.to_unit_id}, ${d.channel}, ${d.rule_row},
          ${d.rule_version}, ${d.limit_minutes}, ${d.basis}, ${d.base_at?.toISOString() ?? null},
          ${d.due_at?.toISOString() ?? null}, ${d.missed_at?.toISOString() ?? null}, ${d.met_at?.toISOString() ?? null},
          ${d.met_by_report_id}, ${d.created_at.toISOString()})`,
      ),
      sql`, `,
    )}`;
}

/** Active deadlines in the order `activeDeadlines` reads them (created, then written before phone). */
export function activeOrder(rows: DeadlineRow[]): DeadlineRow[] {
  return [...rows]
    .filter((d) => !d.superseded_at)
    .sort(
      (a, b) => +a.created_at - +b.created_at || (a.channel < b.channel ? 1 : a.channel > b.channel ? -1 : 0),
    );
}

/**
 * Earliest report of `unitId` on this channel already there (a deadline that comes into being late may be met);
 * a disputed call counts as not made.
 */
async function existingMeeting(ctx: Ctx, eventId: string, unitId: string, channel: 'phone' | 'written') {
  const r = await ctx.tx.execute<{ id: string; at: Date }>(
    channel === 'phone'
      ? sql`select id, called_at as at from reports where event_id = ${eventId} and unit_id = ${unitId} and kind = 'phone' and status = 'recorded' and coalesce(confirmation, 'confirmed') <> 'disputed' order by called_at limit 1`
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
    // a brand-new deadline has no timers to cancel
    await addTimers(ctx, deadlineTimers(r.rows[0], rs, now));
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
