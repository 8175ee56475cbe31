import chineseDays from 'chinese-days';
import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import type { Ctx } from '../../floor/context.js';
import { conflict, notFound } from '../../floor/errors.js';
import { authorize, can, canMany } from '../../floor/policy.js';
import { beijingParts } from '../../floor/working-hours.js';
import { notify } from '../notify/notify.js';
import {
  addDays,
  DutyError,
  type DutySettings,
  type DutyUnit,
  dayStr,
  getSettings,
  iso,
  loadUnit,
  peopleByIds,
  requireAssignable,
  type ShiftTemplate,
  shiftBounds,
} from './common.js';
import { dutyPolicy } from './policy.js';

const { getDayDetail } = chineseDays;

export async function saveSettings(
  ctx: Ctx,
  unitId: string,
  b: { shifts: ShiftTemplate[]; publishLeadDays?: number; spotCheckMinutes?: number },
): Promise<DutySettings> {
  const unit = await loadUnit(ctx, unitId);
  authorize(ctx.actor, dutyPolicy, 'edit', unit);
  const codes = new Set(b.shifts.map((s) => s.code));
  if (codes.size !== b.shifts.length) throw new DutyError(400, 'duty_shift_codes');
  const cur = await getSettings(ctx, unitId);
  await ctx.tx.execute(sql`
    insert into duty_settings (unit_id, shifts, publish_lead_days, spot_check_minutes, updated_at, updated_by)
    values (${unitId}, ${JSON.stringify(b.shifts)}::jsonb, ${b.publishLeadDays ?? cur.publishLeadDays},
            ${b.spotCheckMinutes ?? cur.spotCheckMinutes}, ${ctx.clock.now().toISOString()}, ${ctx.actor!.id})
    on conflict (unit_id) do update set shifts = excluded.shifts, publish_lead_days = excluded.publish_lead_days,
      spot_check_minutes = excluded.spot_check_minutes, updated_at = excluded.updated_at, updated_by = excluded.updated_by`);
  await audit(ctx, {
    stream: `duty:${unitId}`,
    action: 'duty_settings_changed',
    entityType: 'duty_settings',
    entityId: unitId,
    unitId,
    data: b as any,
  });
  return getSettings(ctx, unitId);
}

async function ensureSettings(ctx: Ctx, unitId: string) {
  const s = await getSettings(ctx, unitId);
  if (s.isDefault)
    await ctx.tx.execute(sql`insert into duty_settings (unit_id, shifts, updated_at)
      values (${unitId}, ${JSON.stringify(s.shifts)}::jsonb, ${ctx.clock.now().toISOString()}) on conflict do nothing`);
  return s;
}

/** One person on two overlapping shifts (of any unit) is refused. */
async function requireNoOverlap(
  ctx: Ctx,
  userId: string,
  startsAt: Date,
  endsAt: Date,
  exceptShiftId: string | null,
) {
  const r = await ctx.tx.execute<any>(sql`
    select s.id, s.day, s.shift_name, s.unit_id, un.name as unit_name, u.name as person
    from duty_shifts s join units un on un.id = s.unit_id join users u on u.id = ${userId}
    where (s.officer_id = ${userId} or s.leader_id = ${userId})
      and s.starts_at < ${endsAt.toISOString()} and s.ends_at > ${startsAt.toISOString()}
      ${exceptShiftId ? sql`and s.id <> ${exceptShiftId}` : sql``}
    limit 1`);
  const c = r.rows[0];
  if (c)
    throw conflict('duty_conflict', {
      userId,
      person: c.person,
      shiftId: c.id,
      unit: c.unit_name,
      day: dayStr(c.day),
      shift: c.shift_name,
    });
}

export interface ShiftInput {
  day: string;
  shiftCode: string;
  officerId?: string | null;
  leaderId?: string | null;
}

/** Put a duty officer and a leader on duty on one shift (creating it from the unit's shift template). */
export async function assignShift(ctx: Ctx, unitId: string, i: ShiftInput) {
  const unit = await loadUnit(ctx, unitId);
  authorize(ctx.actor, dutyPolicy, 'edit', unit);
  const settings = await ensureSettings(ctx, unitId);
  const tpl = settings.shifts.find((s) => s.code === i.shiftCode);
  if (!tpl) throw new DutyError(400, 'duty_unknown_shift', { shiftCode: i.shiftCode });
  const { startsAt, endsAt } = shiftBounds(i.day, tpl);
  const existing = await ctx.tx.execute<any>(
    sql`select * from duty_shifts where unit_id = ${unitId} and day = ${i.day} and shift_code = ${i.shiftCode} for update`,
  );
  const prev = existing.rows[0];
  const officerId = i.officerId === undefined ? (prev?.officer_id ?? null) : i.officerId;
  const leaderId = i.leaderId === undefined ? (prev?.leader_id ?? null) : i.leaderId;
  for (const uid of [officerId, leaderId]) {
    if (!uid) continue;
    await requireAssignable(ctx, unit, uid);
    await requireNoOverlap(ctx, uid, startsAt, endsAt, prev?.id ?? null);
  }
  const now = ctx.clock.now().toISOString();
  const r = await ctx.tx.execute<any>(sql`
    insert into duty_shifts (unit_id, day, shift_code, shift_name, starts_at, ends_at, officer_id, leader_id,
                             created_at, updated_at, updated_by)
    values (${unitId}, ${i.day}, ${tpl.code}, ${tpl.name}, ${startsAt.toISOString()}, ${endsAt.toISOString()},
            ${officerId}, ${leaderId}, ${now}, ${now}, ${ctx.actor!.id})
    on conflict (unit_id, day, shift_code) do update set officer_id = excluded.officer_id,
      leader_id = excluded.leader_id, updated_at = excluded.updated_at, updated_by = excluded.updated_by
    returning *`);
  const s = r.rows[0];
  await audit(ctx, {
    stream: `duty:${unitId}`,
    action: 'duty_roster_changed',
    entityType: 'duty_shift',
    entityId: s.id,
    unitId,
    data: {
      day: i.day,
      shift: tpl.code,
      officerId,
      leaderId,
      previous: prev ? { officerId: prev.officer_id, leaderId: prev.leader_id } : null,
    },
  });
  return presentShift(s, await peopleByIds(ctx, [s.officer_id, s.leader_id]));
}

export function presentShift(
  s: any,
  people: Map<string, { id: string; name: string; phone: string | null }>,
) {
  return {
    id: s.id as string,
    unitId: s.unit_id as string,
    day: dayStr(s.day),
    shiftCode: s.shift_code as string,
    shiftName: s.shift_name as string,
    startsAt: iso(s.starts_at)!,
    endsAt: iso(s.ends_at)!,
    officer: s.officer_id ? (people.get(s.officer_id) ?? null) : null,
    leader: s.leader_id ? (people.get(s.leader_id) ?? null) : null,
    checkedInAt: iso(s.checked_in_at),
    gap: !s.officer_id || !s.leader_id,
  };
}

export function holidayOf(day: string): { name: string; work: boolean } | null {
  const d = getDayDetail(day);
  const parts = d.name.split(',');
  if (parts.length < 2) return null;
  return { name: parts[1], work: d.work };
}

/** 月视图: every day of the month with its shifts (gaps shown: a template shift nobody is on). */
export async function monthView(ctx: Ctx, unitId: string, month: string) {
  const unit = await loadUnit(ctx, unitId);
  const settings = await getSettings(ctx, unitId);
  const first = `${month}-01`;
  const [y, m] = month.split('-').map(Number);
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const last = addDays(first, days - 1);
  const r = await ctx.tx.execute<any>(sql`
    select * from duty_shifts where unit_id = ${unitId} and day between ${first} and ${last} order by starts_at`);
  const people = await peopleByIds(
    ctx,
    r.rows.flatMap((s) => [s.officer_id, s.leader_id]),
  );
  const byKey = new Map(r.rows.map((s) => [`${dayStr(s.day)}|${s.shift_code}`, s]));
  let gaps = 0;
  const out = [];
  for (let i = 0; i < days; i++) {
    const day = addDays(first, i);
    const shifts = settings.shifts.map((tpl) => {
      const s = byKey.get(`${day}|${tpl.code}`);
      if (s) {
        const p = presentShift(s, people);
        if (p.gap) gaps++;
        return p;
      }
      gaps++;
      const b = shiftBounds(day, tpl);
      return {
        id: null,
        unitId,
        day,
        shiftCode: tpl.code,
        shiftName: tpl.name,
        startsAt: b.startsAt.toISOString(),
        endsAt: b.endsAt.toISOString(),
        officer: null,
        leader: null,
        checkedInAt: null,
        gap: true,
      };
    });
    // shifts of templates since removed stay visible
    for (const s of r.rows.filter(
      (x) => dayStr(x.day) === day && !settings.shifts.some((t) => t.code === x.shift_code),
    ))
      shifts.push(presentShift(s, people));
    out.push({
      day,
      weekday: new Date(`${day}T00:00:00Z`).getUTCDay() || 7,
      holiday: holidayOf(day),
      shifts,
    });
  }
  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind },
    month,
    settings,
    gaps,
    days: out,
    /** what the caller may do with this roster (the buttons the web shows) */
    can: canMany(ctx.actor, dutyPolicy, ['edit', 'publish', 'decideSwap'], unit),
  };
}

/** Gaps (shifts with nobody) of a unit between two days, inclusive. */
export async function gapsBetween(ctx: Ctx, unitId: string, from: string, to: string) {
  const settings = await getSettings(ctx, unitId);
  const r = await ctx.tx.execute<any>(
    sql`select day, shift_code, officer_id, leader_id from duty_shifts where unit_id = ${unitId} and day between ${from} and ${to}`,
  );
  const have = new Map(r.rows.map((s) => [`${dayStr(s.day)}|${s.shift_code}`, s]));
  const gaps: { day: string; shiftCode: string; missing: string[] }[] = [];
  for (let d = from; d <= to; d = addDays(d, 1))
    for (const tpl of settings.shifts) {
      const s = have.get(`${d}|${tpl.code}`);
      const missing = [!s?.officer_id ? 'officer' : null, !s?.leader_id ? 'leader' : null].filter(
        (x): x is string => !!x,
      );
      if (missing.length) gaps.push({ day: d, shiftCode: tpl.code, missing });
    }
  return gaps;
}

// ---- swaps ---------------------------------------------------------------------------------------------

export function presentSwap(s: any) {
  return {
    id: s.id as string,
    shiftId: s.shift_id as string,
    unitId: s.unit_id as string,
    role: s.role as 'officer' | 'leader',
    fromUserId: (s.from_user_id ?? null) as string | null,
    toUserId: s.to_user_id as string,
    reason: s.reason as string,
    status: s.status as 'requested' | 'approved' | 'rejected',
    requestedBy: s.requested_by as string,
    requestedAt: iso(s.requested_at)!,
    decidedBy: (s.decided_by ?? null) as string | null,
    decidedAt: iso(s.decided_at),
    decisionNote: (s.decision_note ?? null) as string | null,
  };
}

async function loadShift(ctx: Ctx, id: string, lock = false) {
  const r = await ctx.tx.execute<any>(
    sql`select * from duty_shifts where id = ${id} ${lock ? sql`for update` : sql``}`,
  );
  if (!r.rows[0]) throw notFound();
  const unit = await loadUnit(ctx, r.rows[0].unit_id);
  return { shift: r.rows[0], unit };
}

async function dutyLeadersOf(ctx: Ctx, unit: DutyUnit): Promise<string[]> {
  const r = await ctx.tx.execute<{ id: string }>(sql`
    select id from users where unit_id = ${unit.id} and not disabled
      and roles && array['duty_leader','principal']::text[]`);
  return r.rows.map((x) => x.id);
}

/** 换班申请: the person on the shift (or a roster keeper) asks to put someone else in their place. */
export async function requestSwap(
  ctx: Ctx,
  b: { shiftId: string; role: 'officer' | 'leader'; toUserId: string; reason?: string },
) {
  const a = ctx.actor!;
  const { shift, unit } = await loadShift(ctx, b.shiftId);
  const current = b.role === 'officer' ? shift.officer_id : shift.leader_id;
  authorize(a, dutyPolicy, 'requestSwap', { currentId: current });
  if (new Date(shift.ends_at) <= ctx.clock.now()) throw new DutyError(409, 'duty_shift_over');
  await requireAssignable(ctx, unit, b.toUserId);
  await requireNoOverlap(ctx, b.toUserId, new Date(shift.starts_at), new Date(shift.ends_at), shift.id);
  const r = await ctx.tx.execute<any>(sql`
    insert into duty_swaps (shift_id, unit_id, role, from_user_id, to_user_id, reason, status, requested_by, requested_at)
    values (${shift.id}, ${unit.id}, ${b.role}, ${current}, ${b.toUserId}, ${b.reason ?? ''}, 'requested', ${a.id},
            ${ctx.clock.now().toISOString()}) returning *`);
  const swap = r.rows[0];
  await audit(ctx, {
    stream: `duty:${unit.id}`,
    action: 'duty_swap_requested',
    entityType: 'duty_swap',
    entityId: swap.id,
    unitId: unit.id,
    data: {
      shiftId: shift.id,
      role: b.role,
      fromUserId: current,
      toUserId: b.toUserId,
      reason: b.reason ?? '',
    },
  });
  const approvers = (await dutyLeadersOf(ctx, unit)).filter((x) => x !== a.id);
  if (approvers.length)
    await notify(ctx, {
      userIds: approvers,
      kind: 'duty.swap_requested',
      title: `换班申请：${dayStr(shift.day)} ${shift.shift_name}`,
      body: `${a.name} 申请换班${b.reason ? `，理由：${b.reason}` : ''}。`,
      data: { swapId: swap.id, shiftId: shift.id, unitId: unit.id },
    });
  return presentSwap(swap);
}

export async function decideSwap(ctx: Ctx, id: string, approve: boolean, note?: string | null) {
  const a = ctx.actor!;
  const r = await ctx.tx.execute<any>(sql`select * from duty_swaps where id = ${id} for update`);
  const swap = r.rows[0];
  if (!swap) throw notFound();
  const { shift, unit } = await loadShift(ctx, swap.shift_id, true);
  authorize(a, dutyPolicy, 'decideSwap', unit);
  if (swap.status !== 'requested') throw new DutyError(409, 'duty_swap_decided');
  if (swap.requested_by === a.id && !can(a, dutyPolicy, 'decideOwnSwap'))
    throw new DutyError(403, 'duty_swap_own');
  const now = ctx.clock.now().toISOString();
  if (approve) {
    const current = swap.role === 'officer' ? shift.officer_id : shift.leader_id;
    if (current !== swap.from_user_id) throw new DutyError(409, 'duty_swap_stale');
    await requireNoOverlap(
      ctx,
      swap.to_user_id,
      new Date(shift.starts_at),
      new Date(shift.ends_at),
      shift.id,
    );
    await ctx.tx.execute(
      swap.role === 'officer'
        ? sql`update duty_shifts set officer_id = ${swap.to_user_id}, updated_at = ${now}, updated_by = ${a.id} where id = ${shift.id}`
        : sql`update duty_shifts set leader_id = ${swap.to_user_id}, updated_at = ${now}, updated_by = ${a.id} where id = ${shift.id}`,
    );
  }
  const u = await ctx.tx.execute<any>(sql`
    update duty_swaps set status = ${approve ? 'approved' : 'rejected'}, decided_by = ${a.id}, decided_at = ${now},
      decision_note = ${note ?? null} where id = ${id} returning *`);
  await audit(ctx, {
    stream: `duty:${unit.id}`,
    action: approve ? 'duty_swap_approved' : 'duty_swap_rejected',
    entityType: 'duty_swap',
    entityId: id,
    unitId: unit.id,
    data: {
      shiftId: shift.id,
      role: swap.role,
      fromUserId: swap.from_user_id,
      toUserId: swap.to_user_id,
      note,
    },
  });
  await notify(ctx, {
    userIds: [swap.requested_by, swap.to_user_id, swap.from_user_id].filter((x) => x && x !== a.id),
    kind: 'duty.swap_decided',
    title: `换班${approve ? '已批准' : '未批准'}：${dayStr(shift.day)} ${shift.shift_name}`,
    body: note ?? '',
    data: { swapId: id, shiftId: shift.id, unitId: unit.id, approved: approve },
  });
  return presentSwap(u.rows[0]);
}

export async function listSwaps(ctx: Ctx, unitId: string, status?: string) {
  await loadUnit(ctx, unitId);
  const r = await ctx.tx.execute<any>(sql`
    select * from duty_swaps where unit_id = ${unitId} ${status ? sql`and status = ${status}` : sql``}
    order by requested_at desc limit 500`);
  return r.rows.map(presentSwap);
}

export const todayBeijing = (ctx: Ctx) => beijingParts(ctx.clock.now()).date;
