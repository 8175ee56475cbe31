import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import type { Ctx } from '../../floor/context.js';
import { notFound } from '../../floor/errors.js';
import { publish, unitAudience } from '../../floor/outbox.js';
import { authorize } from '../../floor/policy.js';
import { subtreeScope } from '../auth/policy.js';
import { notify } from '../notify/notify.js';
import { DUTY_UNIT_COND, DutyError, dayStr, iso, loadUnit, peopleByIds } from './common.js';
import { shiftsAt } from './on-duty.js';
import { dutyPolicy } from './policy.js';
import { presentShift } from './roster.js';

export const LOG_KINDS = ['call_in', 'call_out', 'visitor', 'instruction', 'event', 'other'] as const;
const EARLY_MS = 30 * 60_000;
const LATE_CHECKIN_MS = 15 * 60_000;

async function shiftWithUnit(ctx: Ctx, id: string, lock = false) {
  const r = await ctx.tx.execute<any>(
    sql`select * from duty_shifts where id = ${id} ${lock ? sql`for update` : sql``}`,
  );
  if (!r.rows[0]) throw notFound();
  const unit = await loadUnit(ctx, r.rows[0].unit_id);
  return { shift: r.rows[0], unit };
}

/** 到岗: the officer (or the leader on duty) checks in; the time is recorded, and lateness. */
export async function checkIn(ctx: Ctx, shiftId: string) {
  const { shift, unit } = await shiftWithUnit(ctx, shiftId, true);
  authorize(ctx.actor, dutyPolicy, 'checkIn', shift);
  const now = ctx.clock.now();
  const start = new Date(shift.starts_at);
  if (now.getTime() < start.getTime() - EARLY_MS || now >= new Date(shift.ends_at))
    throw new DutyError(409, 'duty_checkin_window');
  const asOfficer = shift.officer_id === ctx.actor!.id;
  const late = now.getTime() > start.getTime() + LATE_CHECKIN_MS;
  if (asOfficer && !shift.checked_in_at)
    await ctx.tx.execute(
      sql`update duty_shifts set checked_in_at = ${now.toISOString()}, checked_in_by = ${ctx.actor!.id} where id = ${shiftId}`,
    );
  await ctx.tx.execute(sql`
    insert into duty_log_entries (unit_id, shift_id, kind, at, counterpart, content, user_id, created_at)
    values (${unit.id}, ${shiftId}, 'other', ${now.toISOString()}, ${ctx.actor!.name},
            ${`${asOfficer ? '值班员' : '带班领导'}到岗${late ? '（迟到）' : ''}`}, ${ctx.actor!.id}, ${now.toISOString()})`);
  await audit(ctx, {
    stream: `duty:${unit.id}`,
    action: 'duty_checked_in',
    entityType: 'duty_shift',
    entityId: shiftId,
    unitId: unit.id,
    data: { role: asOfficer ? 'officer' : 'leader', late, startsAt: start.toISOString() },
  });
  await publish(ctx, [unitAudience(unit.id)], 'duty.checked_in', { shiftId, userId: ctx.actor!.id, late });
  return shiftDetail(ctx, shiftId);
}

function presentEntry(e: any) {
  return {
    id: e.id as string,
    shiftId: e.shift_id as string,
    kind: e.kind as (typeof LOG_KINDS)[number],
    at: iso(e.at)!,
    counterpart: e.counterpart as string,
    phone: (e.phone ?? null) as string | null,
    content: e.content as string,
    open: !!e.open,
    closedAt: iso(e.closed_at),
    closeNote: (e.close_note ?? null) as string | null,
    eventId: (e.event_id ?? null) as string | null,
    userId: e.user_id as string,
  };
}

/** 值班日志: a call in or out, a visitor, an instruction or an event during the shift. */
export async function addLogEntry(
  ctx: Ctx,
  shiftId: string,
  b: {
    kind: (typeof LOG_KINDS)[number];
    at?: string;
    counterpart?: string;
    phone?: string | null;
    content: string;
    open?: boolean;
    eventId?: string | null;
  },
) {
  const { shift, unit } = await shiftWithUnit(ctx, shiftId);
  authorize(ctx.actor, dutyPolicy, 'log', { shift, unit });
  const now = ctx.clock.now();
  const at = b.at ? new Date(b.at) : now;
  if (at > now) throw new DutyError(400, 'duty_log_future');
  if (at.getTime() < new Date(shift.starts_at).getTime() - EARLY_MS || at > new Date(shift.ends_at))
    throw new DutyError(400, 'duty_log_outside_shift');
  const r = await ctx.tx.execute<any>(sql`
    insert into duty_log_entries (unit_id, shift_id, kind, at, counterpart, phone, content, open, event_id, user_id, created_at)
    values (${unit.id}, ${shiftId}, ${b.kind}, ${at.toISOString()}, ${b.counterpart ?? ''}, ${b.phone ?? null},
            ${b.content}, ${!!b.open}, ${b.eventId ?? null}, ${ctx.actor!.id}, ${now.toISOString()})
    returning *`);
  await audit(ctx, {
    stream: `duty:${unit.id}`,
    action: 'duty_logged',
    entityType: 'duty_log_entry',
    entityId: r.rows[0].id,
    unitId: unit.id,
    data: { shiftId, kind: b.kind, at: at.toISOString(), content: b.content, open: !!b.open },
  });
  await publish(ctx, [unitAudience(unit.id)], 'duty.logged', { shiftId, entryId: r.rows[0].id });
  return presentEntry(r.rows[0]);
}

export async function closeLogEntry(ctx: Ctx, id: string, note?: string | null) {
  const r = await ctx.tx.execute<any>(sql`select * from duty_log_entries where id = ${id} for update`);
  const e = r.rows[0];
  if (!e) throw notFound();
  const unit = await loadUnit(ctx, e.unit_id);
  authorize(ctx.actor, dutyPolicy, 'closeItem', unit);
  if (!e.open || e.closed_at) throw new DutyError(409, 'duty_item_not_open');
  const u = await ctx.tx.execute<any>(sql`
    update duty_log_entries set closed_at = ${ctx.clock.now().toISOString()}, closed_by = ${ctx.actor!.id},
      close_note = ${note ?? null} where id = ${id} returning *`);
  await audit(ctx, {
    stream: `duty:${unit.id}`,
    action: 'duty_item_closed',
    entityType: 'duty_log_entry',
    entityId: id,
    unitId: unit.id,
    data: { note: note ?? null },
  });
  return presentEntry(u.rows[0]);
}

async function openItems(ctx: Ctx, unitId: string) {
  const r = await ctx.tx.execute<any>(sql`
    select * from duty_log_entries where unit_id = ${unitId} and open and closed_at is null order by at`);
  return r.rows.map(presentEntry);
}

function presentHandover(h: any) {
  return {
    id: h.id as string,
    fromShiftId: h.from_shift_id as string,
    toShiftId: h.to_shift_id as string,
    fromUserId: h.from_user_id as string,
    toUserId: (h.to_user_id ?? null) as string | null,
    notes: h.notes as string,
    openItemIds: (h.open_item_ids ?? []) as string[],
    createdAt: iso(h.created_at)!,
    confirmedAt: iso(h.confirmed_at),
    confirmedBy: (h.confirmed_by ?? null) as string | null,
  };
}

/** A shift with its log, its handovers (in and out) and the unit's open items. */
export async function shiftDetail(ctx: Ctx, shiftId: string) {
  const { shift, unit } = await shiftWithUnit(ctx, shiftId);
  const people = await peopleByIds(ctx, [shift.officer_id, shift.leader_id]);
  const log = await ctx.tx.execute<any>(
    sql`select * from duty_log_entries where shift_id = ${shiftId} order by at, created_at`,
  );
  const hs = await ctx.tx.execute<any>(
    sql`select * from duty_handovers where from_shift_id = ${shiftId} or to_shift_id = ${shiftId}`,
  );
  const out = hs.rows.find((h) => h.from_shift_id === shiftId);
  const inn = hs.rows.find((h) => h.to_shift_id === shiftId);
  return {
    shift: presentShift(shift, people),
    unit: { id: unit.id, name: unit.name },
    log: log.rows.map(presentEntry),
    openItems: await openItems(ctx, unit.id),
    handoverOut: out ? presentHandover(out) : null,
    handoverIn: inn ? presentHandover(inn) : null,
  };
}

/** 交接班: the outgoing officer hands over to the next shift; every open item goes with it. */
export async function handOver(ctx: Ctx, shiftId: string, b: { notes?: string; toShiftId?: string | null }) {
  const { shift, unit } = await shiftWithUnit(ctx, shiftId, true);
  authorize(ctx.actor, dutyPolicy, 'handOver', { shift, unit });
  const exists = await ctx.tx.execute(sql`select 1 from duty_handovers where from_shift_id = ${shiftId}`);
  if (exists.rowCount) throw new DutyError(409, 'duty_handover_exists');
  const next = b.toShiftId
    ? await ctx.tx.execute<any>(
        sql`select * from duty_shifts where id = ${b.toShiftId} and unit_id = ${unit.id}`,
      )
    : await ctx.tx.execute<any>(sql`
        select * from duty_shifts where unit_id = ${unit.id} and starts_at >= ${shift.starts_at}
          and id <> ${shiftId} order by starts_at limit 1`);
  const to = next.rows[0];
  if (!to) throw new DutyError(409, 'duty_no_next_shift');
  const items = await openItems(ctx, unit.id);
  const now = ctx.clock.now().toISOString();
  const r = await ctx.tx.execute<any>(sql`
    insert into duty_handovers (unit_id, from_shift_id, to_shift_id, from_user_id, to_user_id, notes, open_item_ids, created_at)
    values (${unit.id}, ${shiftId}, ${to.id}, ${ctx.actor!.id}, ${to.officer_id}, ${b.notes ?? ''},
            ${`{${items.map((i) => i.id).join(',')}}`}::uuid[], ${now}) returning *`);
  const h = r.rows[0];
  await audit(ctx, {
    stream: `duty:${unit.id}`,
    action: 'duty_handed_over',
    entityType: 'duty_handover',
    entityId: h.id,
    unitId: unit.id,
    data: { fromShiftId: shiftId, toShiftId: to.id, openItems: items.length, notes: b.notes ?? '' },
  });
  if (to.officer_id)
    await notify(ctx, {
      userIds: [to.officer_id],
      kind: 'duty.handover',
      title: `交班待确认：${dayStr(to.day)} ${to.shift_name}`,
      body: `${ctx.actor!.name} 已交班，遗留事项 ${items.length} 项。${b.notes ? `\n${b.notes}` : ''}`,
      data: { handoverId: h.id, shiftId: to.id, unitId: unit.id },
      watchers: [ctx.actor!.id],
    });
  return presentHandover(h);
}

/** The incoming officer confirms the handover: the open items are now theirs. */
export async function confirmHandover(ctx: Ctx, id: string) {
  const r = await ctx.tx.execute<any>(sql`select * from duty_handovers where id = ${id} for update`);
  const h = r.rows[0];
  if (!h) throw notFound();
  const { shift: to, unit } = await shiftWithUnit(ctx, h.to_shift_id);
  authorize(ctx.actor, dutyPolicy, 'confirmHandover', to);
  if (h.confirmed_at) return presentHandover(h);
  const u = await ctx.tx.execute<any>(sql`
    update duty_handovers set confirmed_at = ${ctx.clock.now().toISOString()}, confirmed_by = ${ctx.actor!.id},
      to_user_id = coalesce(to_user_id, ${ctx.actor!.id}) where id = ${id} returning *`);
  await audit(ctx, {
    stream: `duty:${unit.id}`,
    action: 'duty_handover_confirmed',
    entityType: 'duty_handover',
    entityId: id,
    unitId: unit.id,
    data: {
      fromShiftId: h.from_shift_id,
      toShiftId: h.to_shift_id,
      openItems: (h.open_item_ids ?? []).length,
    },
  });
  await notify(ctx, {
    userIds: [h.from_user_id],
    kind: 'duty.handover_confirmed',
    title: '接班已确认',
    body: `${ctx.actor!.name} 已确认接班。`,
    data: { handoverId: id, unitId: unit.id },
  });
  return presentHandover(u.rows[0]);
}

/** My shifts now and in the next 24 hours (the page a duty officer opens). */
export async function myShifts(ctx: Ctx) {
  const now = ctx.clock.now();
  const r = await ctx.tx.execute<any>(sql`
    select s.*, u.name as unit_name from duty_shifts s join units u on u.id = s.unit_id
    where (s.officer_id = ${ctx.actor!.id} or s.leader_id = ${ctx.actor!.id})
      and s.ends_at > ${now.toISOString()} and s.starts_at < ${new Date(now.getTime() + 86400_000).toISOString()}
    order by s.starts_at`);
  const people = await peopleByIds(
    ctx,
    r.rows.flatMap((s) => [s.officer_id, s.leader_id]),
  );
  return r.rows.map((s) => ({ ...presentShift(s, people), unitName: s.unit_name as string }));
}

/** 在岗情况: who is on duty now at every duty unit of the caller's subtree. */
export async function onDutyBoard(ctx: Ctx) {
  const now = ctx.clock.now();
  const units = await ctx.tx.execute<any>(sql`
    select u.id, u.name, u.kind, u.parent_id, u.duty_phone, p.name as area_name
    from units u left join units p on p.id = u.parent_id
    where not u.disabled and ${DUTY_UNIT_COND} and ${subtreeScope(ctx.actor!, 'u')}
    order by array_length(u.path, 1), u.name limit 2000`);
  const shifts = await shiftsAt(
    ctx,
    units.rows.map((u) => u.id),
    now,
  );
  const people = await peopleByIds(
    ctx,
    shifts.flatMap((s) => [s.officerId, s.leaderId]),
  );
  return units.rows.map((u) => {
    const mine = shifts.filter((s) => s.unitId === u.id);
    const status =
      mine.length === 0
        ? 'no_roster'
        : mine.some((s) => !s.officerId)
          ? 'gap'
          : mine.every((s) => s.checkedInAt)
            ? 'on_duty'
            : 'not_checked_in';
    return {
      unit: {
        id: u.id as string,
        name: u.name as string,
        kind: u.kind as string,
        areaName: (u.area_name ?? null) as string | null,
      },
      dutyPhone: (u.duty_phone ?? null) as string | null,
      status: status as 'no_roster' | 'gap' | 'on_duty' | 'not_checked_in',
      shifts: mine.map((s) => ({
        shiftId: s.shiftId,
        shiftName: s.shiftName,
        startsAt: s.startsAt.toISOString(),
        endsAt: s.endsAt.toISOString(),
        officer: s.officerId ? (people.get(s.officerId) ?? null) : null,
        leader: s.leaderId ? (people.get(s.leaderId) ?? null) : null,
        checkedInAt: iso(s.checkedInAt),
      })),
    };
  });
}
