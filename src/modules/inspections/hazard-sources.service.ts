import { audit } from '../../floor/audit.js';
import type { Actor, Ctx, UserCtx } from '../../floor/context.js';
import { notFound, unprocessable } from '../../floor/errors.js';
import { publish, unitAudience } from '../../floor/outbox.js';
import { authorize, canMany } from '../../floor/policy.js';
import { addTimers, cancelTimers, type TimerHandlers, type TimerRow } from '../../floor/timers.js';
import { checkHappenedAt } from '../../floor/times.js';
import { notify, onDutyUsers, usersActingFor } from '../notify/notify.js';
import {
  type CheckRow,
  countyAreaOf,
  getSource,
  insertCheck,
  insertReading,
  insertSource,
  lockSources,
  markChecked,
  markMissed,
  type ReadingRow,
  type SourceRow,
} from './hazard-sources.repo.js';
import { missApplies, nextCheckBy, nextJudgment, timerAfterCheck, watchOf } from './hazard-sources.rules.js';
import { loadUnits, usersOf } from './inspections.repo.js';
import './messages.js';
import { inspectionsPolicy, SOURCE_ACTIONS, type SourceRef } from './policy.js';

/** The one timer kind of a source: its next check is due (no check within the schedule's interval). */
export const SOURCE_CHECK_TIMER = 'hazard_source.check';

const MIN = 60_000;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const sourceRef = (s: SourceRow): SourceRef => ({ unitId: s.unit_id, unitPath: s.unit_path });

const dueOf = (s: Pick<SourceRow, 'last_check_at' | 'created_at' | 'check_every_minutes'>) =>
  nextCheckBy(s.last_check_at, s.created_at, s.check_every_minutes);

/** A source as the API answers it: its watch status derived from the clock, and what the caller may do. */
export function presentSource(s: SourceRow, actor: Actor, now: Date) {
  const due = dueOf(s);
  return {
    id: s.id,
    name: s.name,
    unitId: s.unit_id,
    unitName: s.unit_name,
    areaId: s.area_id,
    areaName: s.area_name,
    place: s.place,
    lng: s.lng,
    lat: s.lat,
    level: s.level,
    description: s.description,
    checkEveryMinutes: s.check_every_minutes,
    lastCheckAt: iso(s.last_check_at),
    nextCheckBy: due.toISOString(),
    /** `missed`: no check within the interval (the responsible unit's duty room has an urgent notice) */
    watch: watchOf(due, now),
    missedCount: s.missed_count,
    createdAt: s.created_at.toISOString(),
    can: canMany(actor, inspectionsPolicy, SOURCE_ACTIONS, sourceRef(s)),
  };
}

export const presentCheck = (c: CheckRow) => ({
  id: c.id,
  at: c.at.toISOString(),
  note: c.note,
  abnormal: c.abnormal,
  userName: c.user_name,
  photoUrl: c.has_photo ? `/api/resources/hazard-source-checks/${c.id}/photo` : null,
});

export const presentReading = (r: ReadingRow) => ({
  id: r.id,
  metric: r.metric,
  value: r.value,
  unit: r.unit,
  at: r.at.toISOString(),
  alarm: r.alarm,
});

export interface SourceInput {
  name: string;
  unitId: string;
  place: string;
  lng?: number | null;
  lat?: number | null;
  level?: string | null;
  description?: string | null;
  checkEveryMinutes: number;
}

/** 重大危险源登记: the register entry, its first check due one interval from now, the registration-log entry. */
export async function registerSource(ctx: UserCtx, input: SourceInput): Promise<string> {
  const unit = (await loadUnits(ctx, [input.unitId])).get(input.unitId);
  if (!unit) throw unprocessable('unit_unknown', { field: 'unitId' });
  authorize(ctx.actor, inspectionsPolicy, 'registerSource', { unitId: unit.id, unitPath: unit.path });
  if ((input.lng == null) !== (input.lat == null)) throw unprocessable('source_lng_lat', { field: 'lat' });
  const areaId = (await countyAreaOf(ctx, unit.id)) ?? unit.id;
  const id = await insertSource(ctx, {
    name: input.name,
    unitId: unit.id,
    areaId,
    place: input.place,
    lng: input.lng ?? null,
    lat: input.lat ?? null,
    level: input.level || null,
    description: input.description || null,
    checkEveryMinutes: input.checkEveryMinutes,
  });
  const now = ctx.clock.now();
  await addTimers(ctx, [
    {
      kind: SOURCE_CHECK_TIMER,
      refId: id,
      dueAt: new Date(now.getTime() + input.checkEveryMinutes * MIN),
      payload: { since: now.toISOString() },
    },
  ]);
  await audit(ctx, {
    stream: `hazard_source:${id}`,
    action: 'hazard_source_registered',
    entityType: 'hazard_source',
    entityId: id,
    unitId: unit.id,
    data: {
      name: input.name,
      unitId: unit.id,
      place: input.place,
      level: input.level || null,
      checkEveryMinutes: input.checkEveryMinutes,
    },
  });
  return id;
}

export async function visibleSource(ctx: UserCtx, id: string, lock = false): Promise<SourceRow> {
  const s = await getSource(ctx, id, ctx.actor, lock);
  if (!s) throw notFound('hazard_source_not_found');
  return s;
}

/**
 * 巡查打卡: a check-in of the responsible unit (with an optional photo, its type decided from the bytes; `at` for a
 * check on paper entered later). The watch clock starts again from the latest check.
 */
export async function checkIn(
  ctx: UserCtx,
  id: string,
  input: {
    at?: string | null;
    note?: string | null;
    abnormal?: boolean;
    photo?: { filename: string; mime: string; data: Buffer } | null;
  },
): Promise<string> {
  const s = await visibleSource(ctx, id, true);
  authorize(ctx.actor, inspectionsPolicy, 'checkSource', sourceRef(s));
  const now = ctx.clock.now();
  const at = input.at ? new Date(input.at) : now;
  checkHappenedAt(now, 'at', at);
  const checkId = await insertCheck(ctx, {
    sourceId: s.id,
    at,
    note: input.note || null,
    abnormal: !!input.abnormal,
    photo: input.photo ?? null,
  });
  const last = await markChecked(ctx, s.id, at);
  await cancelTimers(ctx, s.id, { kind: SOURCE_CHECK_TIMER });
  await addTimers(ctx, [
    {
      kind: SOURCE_CHECK_TIMER,
      refId: s.id,
      // a check entered so late that the next one is already due: the miss is judged at once
      dueAt: timerAfterCheck(last, s.check_every_minutes, now),
      payload: { since: last.toISOString() },
    },
  ]);
  await audit(ctx, {
    stream: `hazard_source:${s.id}`,
    action: 'hazard_source_checked',
    entityType: 'hazard_source_check',
    entityId: checkId,
    unitId: s.unit_id,
    data: {
      sourceId: s.id,
      at: at.toISOString(),
      note: input.note || null,
      abnormal: !!input.abnormal,
      photo: input.photo ? { filename: input.photo.filename, mime: input.photo.mime } : null,
    },
  });
  await publish(ctx, [unitAudience(s.unit_id)], 'hazard_source.checked', { sourceId: s.id });
  if (input.abnormal) await alarm(ctx, s, `巡查发现异常：${input.note || '（未填写）'}`, checkId);
  return checkId;
}

/** A reading from a monitoring system (an API client's account); `alarm: true` is an urgent notice too. */
export async function postReading(
  ctx: UserCtx,
  id: string,
  input: { metric: string; value: number; unit?: string | null; at?: string | null; alarm?: boolean },
): Promise<string> {
  const s = await visibleSource(ctx, id);
  authorize(ctx.actor, inspectionsPolicy, 'postReading', sourceRef(s));
  const now = ctx.clock.now();
  const at = input.at ? new Date(input.at) : now;
  checkHappenedAt(now, 'at', at);
  const readingId = await insertReading(ctx, {
    sourceId: s.id,
    metric: input.metric,
    value: input.value,
    unit: input.unit || null,
    at,
    alarm: !!input.alarm,
  });
  await audit(ctx, {
    stream: `hazard_source:${s.id}`,
    action: 'hazard_source_reading',
    entityType: 'hazard_source_reading',
    entityId: readingId,
    unitId: s.unit_id,
    data: { metric: input.metric, value: input.value, unit: input.unit || null, at: at.toISOString() },
  });
  if (input.alarm)
    await alarm(ctx, s, `监测报警：${input.metric} = ${input.value}${input.unit ?? ''}`, readingId);
  return readingId;
}

/**
 * Who must hear about a source at once: the responsible unit's duty room — for an area, whoever is on duty for it
 * (its duty room, or a township's 党政办); for a department or enterprise, its duty officers and leaders; and where
 * nobody holds those, every user of the unit (a message must reach a named person).
 */
async function dutyRoomOf(ctx: Ctx, s: SourceRow): Promise<string[]> {
  const now = ctx.clock.now();
  const onDuty =
    s.unit_kind === 'area'
      ? await onDutyUsers(ctx, s.unit_id, now)
      : await usersActingFor(ctx, s.unit_id, ['duty_officer', 'duty_leader']);
  return onDuty.length ? onDuty : usersOf(ctx, [s.unit_id], null);
}

async function alarm(ctx: Ctx, s: SourceRow, what: string, ref: string) {
  await notify(ctx, {
    userIds: await dutyRoomOf(ctx, s),
    kind: 'hazard_source.alarm',
    title: `【重大危险源报警】${s.name}（${s.place}）`,
    body: what,
    data: { sourceId: s.id, path: `/inspections/sources/${s.id}` },
    urgent: true,
    dedupeKey: `hazard_source.alarm:${ref}`,
  });
}

const bj = (d: Date) =>
  d.toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
    dateStyle: 'short',
    timeStyle: 'short',
  });

/**
 * A check is due and none came since the one the timer was set from (`payload.since`): an urgent notice to the
 * responsible unit's duty room (acknowledged, else escalated by the notification rules), the miss logged, and the
 * next judgment one interval later. After a downtime the miss fires once, now — no burst of stale notices.
 */
async function fireMissed(ctx: Ctx, timers: TimerRow[]): Promise<void> {
  const sources = await lockSources(ctx, [...new Set(timers.map((t) => t.ref_id))]);
  const now = ctx.clock.now();
  for (const t of timers) {
    const s = sources.get(t.ref_id);
    if (!s) continue;
    const since = (s.last_check_at ?? s.created_at).toISOString();
    // a check came after this timer was set: it no longer applies (its own timer is pending)
    if (!missApplies(t.payload?.since, s.last_check_at)) continue;
    await markMissed(ctx, s.id, t.due_at);
    await notify(ctx, {
      userIds: await dutyRoomOf(ctx, s),
      kind: 'hazard_source.missed',
      title: `【重大危险源漏检】${s.name}（${s.place}）超过${s.check_every_minutes}分钟未巡查打卡`,
      body: `${s.unit_name}：上次巡查${s.last_check_at ? bj(s.last_check_at) : '无'}，应于${bj(t.due_at)}前巡查。请立即安排巡查并确认收到。`,
      data: { sourceId: s.id, path: `/inspections/sources/${s.id}` },
      urgent: true,
      dedupeKey: `hazard_source.missed:${s.id}:${t.due_at.toISOString()}`,
    });
    await audit(ctx, {
      stream: `hazard_source:${s.id}`,
      action: 'hazard_source_check_missed',
      entityType: 'hazard_source',
      entityId: s.id,
      unitId: s.unit_id,
      data: { dueAt: t.due_at.toISOString(), lastCheckAt: iso(s.last_check_at) },
    });
    await addTimers(ctx, [
      {
        kind: SOURCE_CHECK_TIMER,
        refId: s.id,
        dueAt: nextJudgment(t.due_at, now, s.check_every_minutes),
        payload: { since },
      },
    ]);
  }
}

export const sourceTimers: TimerHandlers = new Map([[SOURCE_CHECK_TIMER, fireMissed]]);
