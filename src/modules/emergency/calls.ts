import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import { type Actor, type Ctx, isOfficeKind, type Role } from '../../floor/context.js';
import { AppError, badRequest, notFound } from '../../floor/errors.js';
import { registerMessages } from '../../floor/i18n.js';
import { intakeAudience, publish, unitAudience } from '../../floor/outbox.js';
import { canMany, definePolicy } from '../../floor/policy.js';
import { getRuleSet } from '../../floor/rule-sets.js';
import { addTimers, cancelTimers } from '../../floor/timers.js';
import { FUTURE_SKEW_MS } from '../../floor/times.js';
import { isWorkingTime } from '../../floor/working-hours.js';
import { notify, usersActingFor } from '../notify/notify.js';
import { activeDeadlines, type DeadlineRow, deadlineTimers, meetDeadline } from '../timeliness/deadlines.js';
import type { TimelinessRuleSet } from '../timeliness/rules.js';
import { deadlineStatus } from '../timeliness/status.js';
import {
  type CallRecord,
  type Confirmation,
  callTargetArea,
  confirmableUntil,
  decideConfirmation,
  expectedCallTarget,
  findSameCall,
  isRecordedLate,
  replacementMeeting,
} from './call-rules.js';
import { type Elements, findContradictions } from './elements.js';
import {
  type EventRow,
  getEvent,
  getReport,
  getVisibleEvent,
  type ReportRow,
  unitRow,
} from './emergency.repo.js';
import { LEVEL_ZH } from './messages.js';
import { canSeeReport } from './policy.js';
import { answerRequests } from './report-requests.js';

/**
 * Phone both ways (电话双向登记, API contract "Outgoing calls"): the calling unit records its own call; the called
 * area's offices confirm or dispute it. The rules are in call-rules.ts; this file loads, writes and logs.
 */

registerMessages(
  {
    'error.call_wrong_recipient':
      '去电对象不对：本单位的电话报告应打给{expected}（或其党委办、政府办、值班室、机要局），请选择正确的单位。',
    'error.outgoing_call_caller':
      '记录本单位的去电时不填来电单位（callerUnitId）：去电单位就是您所在的单位。',
    'error.direction_phone_only': '只有电话报告才分来电、去电。',
    'error.not_an_outgoing_call': '只有对方自行记录的去电需要确认；书面报告请签收。',
    'error.not_receiving_office':
      '只有被呼叫区域的党委办、政府办、值班室、机要局人员可以确认这次电话或提出异议。',
    'error.call_already_confirmed': '这次电话已经确认，不能再提出异议。',
    'error.call_already_disputed': '这次电话已被提出异议，不能再确认。',
    'error.confirmation_closed': '确认期限已过（通话后 24 小时，或事件已终报结束）。',
    // approve what you read (issue #11 point 5)
    'error.report_changed':
      '您阅读后报告已被修改（您阅读的是第 {readVersion} 版，现在是第 {currentVersion} 版）。请重新阅读后再审签。',
  },
  {
    'error.call_wrong_recipient':
      "Wrong recipient: your unit's phone report goes to {expected} (or one of its offices). Choose that unit.",
    'error.outgoing_call_caller':
      'An outgoing call is recorded by the calling unit itself: leave out callerUnitId (it is your unit).',
    'error.direction_phone_only': 'Only phone reports have a direction (incoming or outgoing).',
    'error.not_an_outgoing_call':
      'Only calls recorded by their caller need confirming; written reports are signed for.',
    'error.not_receiving_office':
      "Only users of the called area's party office, government office, duty room or confidential bureau may confirm or dispute this call.",
    'error.call_already_confirmed': 'This call is already confirmed; it cannot be disputed.',
    'error.call_already_disputed': 'This call is already disputed; it cannot be confirmed.',
    'error.confirmation_closed':
      'Too late to confirm or dispute (24 hours after the call, or the event is closed).',
    'error.report_changed':
      'The report changed after you read it (you read version {readVersion}; it is now version {currentVersion}). Read it again before approving.',
  },
);

/** Roles that may confirm or dispute a call for their office's area (the intake's people). */
const CONFIRM_ROLES: readonly Role[] = [
  'reporter',
  'editor',
  'duty_officer',
  'duty_leader',
  'approver',
  'principal',
  'leader',
];

/** A user of an office (or of the area itself): they act for the area. */
const officeUser = (a: Actor) => isOfficeKind(a.unit.kind) || a.unit.kind === 'area';

type CallResource = {
  direction: string | null;
  confirmation: string | null;
  toAreaId: string | null;
  open: boolean;
};
const mayAnswer = (a: Actor, c: CallResource) =>
  c.direction === 'outgoing' &&
  c.confirmation === 'pending' &&
  c.open &&
  officeUser(a) &&
  a.acting.id === c.toAreaId;

export const callsPolicy = definePolicy('calls', {
  confirm: { roles: CONFIRM_ROLES, allow: mayAnswer },
  dispute: { roles: CONFIRM_ROLES, allow: mayAnswer },
});

/** The call fields of a report answer (null / false for written reports). */
export function presentCall(r: ReportRow) {
  const phone = r.kind === 'phone';
  return {
    direction: phone ? ((r.direction ?? 'incoming') as 'incoming' | 'outgoing') : null,
    toUnitId: r.to_unit_id ?? null,
    answeredBy: r.answered_by ?? null,
    confirmation: phone ? ((r.confirmation ?? 'confirmed') as Confirmation) : null,
    confirmedAt: r.confirmed_at ?? null,
    confirmedBy: r.confirmed_by ?? null,
    disputeReason: r.dispute_reason ?? null,
    sameCallAs: r.same_call_as ?? null,
    recordedLate:
      phone && r.called_at ? isRecordedLate(new Date(r.called_at), new Date(r.created_at)) : false,
  };
}

/** What the person may do with the call now (`can` of the answer), given the event's closing. */
export function callAbilities(actor: Actor | null, r: ReportRow, eventClosedAt: Date | null, now: Date) {
  const open =
    !!r.called_at && now.getTime() <= confirmableUntil(new Date(r.called_at), eventClosedAt).getTime();
  return canMany(actor, callsPolicy, ['confirm', 'dispute'], {
    direction: r.direction ?? null,
    confirmation: r.confirmation ?? null,
    toAreaId: r.to_area_id ?? null,
    open,
  });
}

const asCall = (r: any): CallRecord & { created_by: string; unit_id: string } => ({
  id: r.id,
  calledAt: new Date(r.called_at),
  direction: r.direction ?? 'incoming',
  confirmation: r.confirmation ?? 'confirmed',
  sameCallAs: r.same_call_as ?? null,
  created_by: r.created_by,
  unit_id: r.unit_id,
});

/** The calls of one caller on one event, received by one area (candidates for pairing), locked. */
async function callsOf(ctx: Ctx, eventId: string, callerUnitId: string, toAreaId?: string) {
  const r =
    await ctx.tx.execute<any>(sql`select id, called_at, direction, confirmation, same_call_as, created_by,
      unit_id, to_area_id from reports
    where event_id = ${eventId} and unit_id = ${callerUnitId} and kind = 'phone' and status = 'recorded'
      ${toAreaId ? sql`and to_area_id = ${toAreaId}` : sql``}
    order by called_at for update`);
  return r.rows.map(asCall);
}

export interface OutgoingCallInput {
  toUnitId?: string | null;
  callerUnitId?: string | null;
  callerName?: string | null;
  callerPhone?: string | null;
  callerPost?: string | null;
  calledAt?: string | null;
  answeredBy?: string | null;
  toldLeaders?: string | null;
  elements: Elements;
  pendingElements: Record<string, string>;
}

/**
 * 去电登记: the calling unit records its own call. It meets the unit's phone deadline at `calledAt` and is
 * `pending` until an office of the called area confirms or disputes it; when the called office already recorded
 * the same call (within 10 minutes) the two are linked, it is confirmed, and nothing arrives or is met twice.
 */
export async function recordOutgoingCall(
  ctx: Ctx,
  ev: EventRow,
  input: OutgoingCallInput,
): Promise<ReportRow> {
  const actor = ctx.actor!;
  const now = ctx.clock.now();
  const caller = actor.acting;
  if (input.callerUnitId && input.callerUnitId !== caller.id && input.callerUnitId !== actor.unit.id)
    throw new AppError(422, 'outgoing_call_caller', { callerUnitId: input.callerUnitId });
  const deadlines = await activeDeadlines(ctx, ev.id);
  const expected = expectedCallTarget(
    { id: caller.id, kind: caller.kind, parentId: caller.parentId },
    deadlines.map((d) => ({ fromUnitId: d.from_unit_id, toUnitId: d.to_unit_id, channel: d.channel })),
  );
  const given = input.toUnitId ? await unitRow(ctx, input.toUnitId) : null;
  const toArea = callTargetArea(
    given ? { id: given.id, kind: given.kind, parentId: given.parent_id } : null,
    expected,
  );
  if (!toArea) {
    const exp = expected ? await unitRow(ctx, expected) : null;
    throw new AppError(
      422,
      'call_wrong_recipient',
      { toUnitId: input.toUnitId ?? null, expectedUnitId: expected },
      { expected: exp?.name ?? '—' },
    );
  }
  const calledAt = input.calledAt ? new Date(input.calledAt) : now;
  if (calledAt.getTime() > now.getTime() + FUTURE_SKEW_MS || calledAt < ev.occurred_at)
    throw badRequest('called_at_invalid');

  const twin = findSameCall(await callsOf(ctx, ev.id, caller.id, toArea), 'outgoing', calledAt);
  const earlier = await ctx.tx.execute<{
    id: string;
    elements: Elements;
  }>(sql`select id, elements from reports
    where event_id = ${ev.id} and status in ('sent', 'recorded') order by coalesce(sent_at, called_at, created_at)`);
  const contradictions = findContradictions(input.elements, earlier.rows);
  const recordedLate = isRecordedLate(calledAt, now);
  const rep = (
    await ctx.tx.execute<ReportRow>(sql`insert into reports (event_id, unit_id, kind, status, elements,
      pending_elements, level, created_by, created_at, submitted_at, called_at, caller_name, caller_phone, caller_post,
      caller_unit_id, told_leaders, contradictions, direction, to_unit_id, to_area_id, answered_by, confirmation,
      confirmed_at, confirmed_by, same_call_as)
    values (${ev.id}, ${caller.id}, 'phone', 'recorded', ${JSON.stringify(input.elements)}::jsonb,
      ${JSON.stringify(input.pendingElements)}::jsonb, ${ev.level}, ${actor.id}, ${now.toISOString()},
      ${now.toISOString()}, ${calledAt.toISOString()}, ${input.callerName?.trim() || actor.name},
      ${input.callerPhone?.trim() || null}, ${input.callerPost ?? null}, ${caller.id}, ${input.toldLeaders ?? null},
      ${JSON.stringify(contradictions)}::jsonb, 'outgoing', ${given.id}, ${toArea}, ${input.answeredBy?.trim() || null},
      ${twin ? 'confirmed' : 'pending'}, ${twin ? now.toISOString() : null}, ${twin ? twin.created_by : null},
      ${twin?.id ?? null})
    returning *`)
  ).rows[0];
  await ctx.tx.execute(sql`insert into report_versions (report_id, version, elements, pending_elements, at, user_id, note)
    values (${rep.id}, 1, ${JSON.stringify(input.elements)}::jsonb, ${JSON.stringify(input.pendingElements)}::jsonb,
      ${now.toISOString()}, ${actor.id}, 'call recorded by the caller')`);
  await ctx.tx.execute(sql`insert into event_units (event_id, unit_id, reason) values (${ev.id}, ${caller.id}, 'caller')
    on conflict do nothing`);
  if (twin) {
    // the called office recorded this call already: one call, one arrival, one meeting
    await ctx.tx.execute(sql`update reports set same_call_as = ${rep.id} where id = ${twin.id}`);
  } else {
    // it arrived by phone in the called area's intake, answered at the time of the call; it awaits confirmation
    const area = await unitRow(ctx, toArea);
    const offHours = !isWorkingTime(area?.working_hours ?? null, calledAt);
    await ctx.tx.execute(sql`insert into report_deliveries (report_id, event_id, from_unit_id, to_unit_id, via,
        arrived_at, signed_at, off_hours)
      values (${rep.id}, ${ev.id}, ${caller.id}, ${toArea}, 'call', ${calledAt.toISOString()}, ${calledAt.toISOString()},
        ${offHours}) on conflict do nothing`);
    await ctx.tx.execute(sql`insert into event_units (event_id, unit_id, reason) values (${ev.id}, ${toArea}, 'delivery')
      on conflict do nothing`);
  }
  const met = await meetDeadline(ctx, ev.id, caller.id, 'phone', calledAt, rep.id);
  await answerRequests(ctx, ev.id, caller.id, rep.id);
  await audit(ctx, {
    stream: `event:${ev.id}`,
    action: 'call_recorded',
    entityType: 'report',
    entityId: rep.id,
    unitId: caller.id,
    data: {
      direction: 'outgoing',
      toUnitId: given.id,
      toAreaId: toArea,
      calledAt: calledAt.toISOString(),
      answeredBy: rep.answered_by,
      recordedLate,
      sameCallAs: twin?.id ?? null,
      deadlineMet: met?.id ?? null,
      elements: input.elements,
    },
  });
  await publish(
    ctx,
    [unitAudience(caller.id), intakeAudience(toArea)],
    twin ? 'report.updated' : 'report.arrived',
    {
      reportId: rep.id,
      eventId: ev.id,
      fromUnitId: caller.id,
      fromUnitName: caller.name,
      toUnitId: toArea,
      kind: 'phone',
      via: 'call',
      confirmation: rep.confirmation,
      level: ev.level,
      title: ev.title,
      arrivedAt: calledAt.toISOString(),
    },
  );
  if (!twin) {
    const users = await usersActingFor(ctx, toArea, ['editor', 'duty_officer']);
    await notify(ctx, {
      userIds: users,
      kind: 'call.to_confirm',
      title: `【待确认】${caller.name}来电：${ev.title}`,
      body: `${caller.name}记录了一次对本级的电话报告（${ev.level ? LEVEL_ZH[ev.level] : '未分级'}，接听人：${rep.answered_by ?? '未填'}），请在接报队列中确认或提出异议。`,
      data: { eventId: ev.id, reportId: rep.id },
      eventId: ev.id,
    });
  }
  return rep;
}

/**
 * An incoming call just recorded by the receiving office: when the caller recorded the same call (within 10
 * minutes), link the two and confirm the caller's record. Returns the caller's record (then the incoming one
 * adds no arrival of its own), or null.
 */
export async function pairIncomingCall(
  ctx: Ctx,
  ev: EventRow,
  rep: ReportRow,
  recArea: string,
): Promise<ReportRow | null> {
  const twin = findSameCall(
    (await callsOf(ctx, ev.id, rep.unit_id, recArea)).filter((c) => c.id !== rep.id),
    'incoming',
    new Date(rep.called_at!),
  );
  if (!twin) return null;
  const now = ctx.clock.now();
  const actor = ctx.actor!;
  await ctx.tx.execute(sql`update reports set same_call_as = ${twin.id} where id = ${rep.id}`);
  const r = await ctx.tx.execute<ReportRow>(sql`update reports set same_call_as = ${rep.id},
      confirmation = case when confirmation = 'pending' then 'confirmed' else confirmation end,
      confirmed_at = case when confirmation = 'pending' then ${now.toISOString()}::timestamptz else confirmed_at end,
      confirmed_by = case when confirmation = 'pending' then ${actor.id}::uuid else confirmed_by end
    where id = ${twin.id} returning *`);
  if (twin.confirmation === 'pending')
    await audit(ctx, {
      stream: `event:${ev.id}`,
      action: 'call_confirmed',
      entityType: 'report',
      entityId: twin.id,
      unitId: recArea,
      data: { by: 'recorded', incomingReportId: rep.id },
    });
  await publish(ctx, [unitAudience(twin.unit_id), intakeAudience(recArea)], 'report.updated', {
    reportId: twin.id,
    eventId: ev.id,
    confirmation: 'confirmed',
  });
  return r.rows[0];
}

/** Load a call for confirming or disputing: 404 when the person may not see it. */
async function loadCall(ctx: Ctx, id: string) {
  const rep = await getReport(ctx, id, true);
  if (!rep) throw notFound();
  const ev = await getVisibleEvent(ctx, rep.event_id);
  if (!ev || !canSeeReport(ctx.actor!, rep)) throw notFound();
  return { rep, ev };
}

function decide(ctx: Ctx, action: 'confirm' | 'dispute', rep: ReportRow, ev: EventRow) {
  const actor = ctx.actor!;
  const out = decideConfirmation({
    action,
    call: {
      direction: rep.direction ?? null,
      confirmation: rep.confirmation ?? null,
      toAreaId: rep.to_area_id ?? null,
    },
    actor: { officeUser: officeUser(actor), actingAreaId: actor.acting.id },
    now: ctx.clock.now(),
    until: confirmableUntil(
      new Date(rep.called_at ?? rep.created_at),
      ev.closed_at ? new Date(ev.closed_at) : null,
    ),
  });
  if (!out.ok) throw new AppError(out.status, out.code);
  return out.change;
}

/** 确认: an office of the called area confirms the caller's record of the call (not a 签收 of any report). */
export async function confirmCall(ctx: Ctx, id: string): Promise<ReportRow> {
  const { rep, ev } = await loadCall(ctx, id);
  if (!decide(ctx, 'confirm', rep, ev)) return rep;
  const now = ctx.clock.now();
  const actor = ctx.actor!;
  const r = await ctx.tx.execute<ReportRow>(sql`update reports set confirmation = 'confirmed',
      confirmed_at = ${now.toISOString()}, confirmed_by = ${actor.id} where id = ${id} returning *`);
  await audit(ctx, {
    stream: `event:${ev.id}`,
    action: 'call_confirmed',
    entityType: 'report',
    entityId: id,
    unitId: actor.acting.id,
    data: { by: 'confirm', callerUnitId: rep.unit_id, calledAt: rep.called_at },
  });
  await publish(ctx, [unitAudience(rep.unit_id), intakeAudience(rep.to_area_id!)], 'report.updated', {
    reportId: id,
    eventId: ev.id,
    confirmation: 'confirmed',
  });
  return r.rows[0];
}

/**
 * 有异议: an office of the called area says the call was not made as recorded. It counts as not made: a deadline
 * it met is met by the caller's next valid call, or open again (judged late or missed by the clock, its
 * escalations scheduled again) — logged.
 */
export async function disputeCall(ctx: Ctx, id: string, input: { reason: string }): Promise<ReportRow> {
  const { rep, ev } = await loadCall(ctx, id);
  const reason = input.reason?.trim();
  if (!reason) throw badRequest('reason_required');
  if (!decide(ctx, 'dispute', rep, ev)) return rep;
  const now = ctx.clock.now();
  const actor = ctx.actor!;
  const r = await ctx.tx.execute<ReportRow>(sql`update reports set confirmation = 'disputed',
      confirmed_at = ${now.toISOString()}, confirmed_by = ${actor.id}, dispute_reason = ${reason}
    where id = ${id} returning *`);
  await audit(ctx, {
    stream: `event:${ev.id}`,
    action: 'call_disputed',
    entityType: 'report',
    entityId: id,
    unitId: actor.acting.id,
    data: { reason, callerUnitId: rep.unit_id, calledAt: rep.called_at },
  });
  await reopenDeadlineMetBy(ctx, ev, rep);
  await publish(ctx, [unitAudience(rep.unit_id), intakeAudience(rep.to_area_id!)], 'report.updated', {
    reportId: id,
    eventId: ev.id,
    confirmation: 'disputed',
  });
  const users = await usersActingFor(ctx, rep.unit_id, ['reporter', 'approver', 'principal']);
  await notify(ctx, {
    userIds: users,
    kind: 'call.disputed',
    title: `【电话报告有异议】${actor.acting.name}：${ev.title}`,
    body: `${actor.acting.name}${actor.name}对贵单位记录的电话报告提出异议：${reason}。该电话不计入报告时限，请立即重新报告。`,
    data: { eventId: ev.id, reportId: id },
    urgent: true,
    eventId: ev.id,
  });
  return r.rows[0];
}

async function reopenDeadlineMetBy(ctx: Ctx, ev: EventRow, rep: ReportRow) {
  const d = (
    await ctx.tx.execute<DeadlineRow>(
      sql`select * from deadlines where met_by_report_id = ${rep.id} and superseded_at is null for update`,
    )
  ).rows[0];
  if (!d) return;
  const now = ctx.clock.now();
  const instead = replacementMeeting(await callsOf(ctx, ev.id, rep.unit_id), rep.id);
  const updated = (
    await ctx.tx.execute<DeadlineRow>(sql`update deadlines set met_at = ${instead ? instead.calledAt.toISOString() : null},
      met_by_report_id = ${instead?.id ?? null} where id = ${d.id} returning *`)
  ).rows[0];
  await cancelTimers(ctx, d.id);
  if (!instead) {
    const rs = (await getRuleSet<TimelinessRuleSet>(ctx.tx, 'timeliness', ev.timeliness_version)).body;
    await addTimers(ctx, deadlineTimers(updated, rs, now));
  }
  const status = deadlineStatus(
    { dueAt: updated.due_at, metAt: updated.met_at, missedAt: updated.missed_at },
    now,
  );
  await audit(ctx, {
    stream: `event:${ev.id}`,
    action: 'deadline_reopened',
    entityType: 'deadline',
    entityId: d.id,
    unitId: d.from_unit_id,
    data: {
      reason: 'call_disputed',
      reportId: rep.id,
      channel: d.channel,
      wasMetAt: d.met_at,
      metAt: updated.met_at,
      metByReportId: updated.met_by_report_id,
      status,
    },
  });
}

/** The event's closing, for a call's confirmation window. */
export async function eventClosedAt(ctx: Ctx, eventId: string): Promise<Date | null> {
  const e = await getEvent(ctx, eventId);
  return e?.closed_at ? new Date(e.closed_at) : null;
}
