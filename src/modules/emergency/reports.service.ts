import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import { deferWrite } from '../../floor/batch.js';
import { type Actor, type Ctx, hasRole, isOfficeKind } from '../../floor/context.js';
import { AppError, badRequest, conflict, forbidden, notFound, unprocessable } from '../../floor/errors.js';
import { intakeAudience, publish, unitAudience } from '../../floor/outbox.js';
import { getRuleSet } from '../../floor/rule-sets.js';
import { addTimer, cancelTimers } from '../../floor/timers.js';
import { FUTURE_SKEW_MS } from '../../floor/times.js';
import { isWorkingTime } from '../../floor/working-hours.js';
import { onDutyUsers } from '../duty/on-duty.js';
import { notify, notifyMany, usersActingFor, usersActingForMany } from '../notify/notify.js';
import { meetDeadline } from '../timeliness/deadlines.js';
import type { TimelinessRuleSet } from '../timeliness/rules.js';
import { actingUnitIdOf, areaIdOf } from '../units/acting.js';
import { type ApprovalStep, nextApproval, requiredSteps, versionStillCurrent } from './approvals.js';
import { pairIncomingCall, recordOutgoingCall } from './calls.js';
import {
  ELEMENT_LABELS,
  ELEMENT_NAMES,
  type Elements,
  findContradictions,
  missingElements,
} from './elements.js';
import {
  type EventRow,
  getReport,
  getVisibleEvent,
  type ReportRow,
  unitRow,
  unitsWithParents,
} from './emergency.repo.js';
import { LEVEL_ZH, reportLabel, STATUS_ZH } from './messages.js';
import { answerRequests } from './report-requests.js';

/** An arrival not signed for within this time escalates to the receiving level's leaders. */
export const UNSIGNED_ESCALATION_MINUTES = 10;

export const WRITTEN_KINDS = ['initial', 'followup', 'verification', 'final'] as const;

function validateElements(kind: string, elements: Elements, pending: Record<string, string>) {
  for (const [k, v] of Object.entries(pending ?? {})) {
    if (!(ELEMENT_NAMES as readonly string[]).includes(k) || typeof v !== 'string' || !v.trim())
      throw badRequest('bad_pending_element', { element: k });
  }
  const { missing, empty } = missingElements(kind, elements, pending ?? {});
  if (missing.length)
    throw new AppError(
      422,
      'missing_elements',
      { missing },
      {
        missing: missing.map((m) => ELEMENT_LABELS[m].zh).join('、'),
        missingEn: missing.map((m) => ELEMENT_LABELS[m].en).join(', '),
      },
    );
  if (empty) throw unprocessable('empty_followup');
}

async function earlierReports(ctx: Ctx, eventId: string, exceptId?: string) {
  const r = await ctx.tx.execute<{ id: string; elements: Elements }>(sql`select id, elements from reports
    where event_id = ${eventId} and status in ('sent', 'recorded') ${exceptId ? sql`and id <> ${exceptId}` : sql``}
    order by coalesce(sent_at, called_at, created_at)`);
  return r.rows;
}

/** The receiving office records a phone report for the caller's unit (no approval: `recorded`). */
export async function insertPhoneReport(
  ctx: Ctx,
  ev: EventRow,
  p: {
    callerUnit: any;
    callerName: string;
    callerPhone: string;
    callerPost: string | null;
    calledAt: Date;
    toldLeaders: string | null;
    elements: Elements;
    pendingElements: Record<string, string>;
  },
): Promise<ReportRow> {
  const actor = ctx.actor!;
  const now = ctx.clock.now();
  const unitId = actingUnitIdOf({
    id: p.callerUnit.id,
    kind: p.callerUnit.kind,
    parentId: p.callerUnit.parent_id,
  });
  const contradictions = findContradictions(p.elements, await earlierReports(ctx, ev.id));
  const recArea = areaIdOf({ id: actor.acting.id, kind: actor.acting.kind, parentId: actor.acting.parentId });
  // an incoming call: confirmed by being recorded by the receiving office (calls.ts)
  const r =
    await ctx.tx.execute<ReportRow>(sql`insert into reports (event_id, unit_id, kind, status, elements,
      pending_elements, level, created_by, created_at, submitted_at, called_at, caller_name, caller_phone, caller_post,
      caller_unit_id, told_leaders, contradictions, direction, to_unit_id, to_area_id, confirmation)
    values (${ev.id}, ${unitId}, 'phone', 'recorded', ${JSON.stringify(p.elements)}::jsonb,
      ${JSON.stringify(p.pendingElements)}::jsonb, ${ev.level}, ${actor.id}, ${now.toISOString()}, ${now.toISOString()},
      ${p.calledAt.toISOString()}, ${p.callerName}, ${p.callerPhone}, ${p.callerPost}, ${p.callerUnit.id}, ${p.toldLeaders},
      ${JSON.stringify(contradictions)}::jsonb, 'incoming', ${recArea}, ${recArea}, 'confirmed')
    returning *`);
  const rep = r.rows[0];
  await ctx.tx.execute(sql`insert into report_versions (report_id, version, elements, pending_elements, at, user_id, note)
    values (${rep.id}, 1, ${JSON.stringify(p.elements)}::jsonb, ${JSON.stringify(p.pendingElements)}::jsonb,
      ${now.toISOString()}, ${actor.id}, 'recorded')`);
  // the caller recorded the same call already: linked, confirmed, and it arrives only once
  const twin = await pairIncomingCall(ctx, ev, rep, recArea);
  if (twin) rep.same_call_as = twin.id;
  // it arrived by phone at the recording office's level, signed for on the spot
  if (!twin)
    await ctx.tx.execute(sql`insert into report_deliveries (report_id, event_id, from_unit_id, to_unit_id, via, arrived_at,
      signed_at, signed_by) values (${rep.id}, ${ev.id}, ${unitId}, ${recArea}, 'phone', ${p.calledAt.toISOString()},
      ${now.toISOString()}, ${actor.id}) on conflict do nothing`);
  await ctx.tx.execute(
    sql`insert into event_units (event_id, unit_id, reason) values (${ev.id}, ${unitId}, 'caller') on conflict do nothing`,
  );
  await meetDeadline(ctx, ev.id, unitId, 'phone', p.calledAt, rep.id);
  await answerRequests(ctx, ev.id, unitId, rep.id);
  await audit(ctx, {
    stream: `event:${ev.id}`,
    action: 'phone_recorded',
    entityType: 'report',
    entityId: rep.id,
    unitId,
    data: {
      callerUnitId: p.callerUnit.id,
      callerName: p.callerName,
      callerPhone: p.callerPhone,
      calledAt: p.calledAt.toISOString(),
      recordedBy: actor.id,
      elements: p.elements,
    },
  });
  await publish(ctx, [unitAudience(unitId), intakeAudience(recArea)], 'report.updated', {
    reportId: rep.id,
    eventId: ev.id,
    status: 'recorded',
  });
  return rep;
}

export interface CreateReportInput {
  kind: 'phone' | 'initial' | 'followup' | 'verification' | 'final';
  elements: Elements;
  pendingElements?: Record<string, string> | null;
  fastTrack?: boolean;
  sourceReportIds?: string[] | null;
  callerUnitId?: string | null;
  callerName?: string | null;
  callerPhone?: string | null;
  callerPost?: string | null;
  calledAt?: string | null;
  toldLeaders?: string | null;
  recipients?: string[] | null;
  /** phone: `outgoing` when the calling unit records its own call (calls.ts); default `incoming` */
  direction?: 'incoming' | 'outgoing' | null;
  toUnitId?: string | null;
  answeredBy?: string | null;
  /** a field report: when it was recorded on the device, shown as 现场记录于; never meets a deadline */
  capturedAt?: string | null;
}

const REPORT_ROLES = ['reporter', 'editor', 'duty_officer', 'duty_leader', 'approver', 'principal'] as const;

export async function createReport(ctx: Ctx, eventId: string, input: CreateReportInput): Promise<ReportRow> {
  const actor = ctx.actor!;
  if (!hasRole(actor, ...REPORT_ROLES)) throw forbidden('cannot_register_events');
  const ev = await getVisibleEvent(ctx, eventId, true);
  if (!ev) throw notFound();
  const now = ctx.clock.now();
  const pending = input.pendingElements ?? {};
  if (input.direction === 'outgoing') {
    if (input.kind !== 'phone') throw badRequest('direction_phone_only');
    validateElements('phone', input.elements, pending);
    return recordOutgoingCall(ctx, ev, { ...input, pendingElements: pending });
  }
  if (input.kind === 'phone') {
    if (!isOfficeKind(actor.unit.kind) && actor.unit.kind !== 'area')
      throw forbidden('phone_report_by_office');
    const missing = (['callerUnitId', 'callerName', 'callerPhone'] as const).filter(
      (k) => !input[k]?.toString().trim(),
    );
    if (missing.length) throw badRequest('caller_required', { missing });
    const callerUnit = await unitRow(ctx, input.callerUnitId!);
    if (!callerUnit) throw badRequest('unknown_unit', { unitId: input.callerUnitId });
    const calledAt = input.calledAt ? new Date(input.calledAt) : now;
    if (calledAt.getTime() > now.getTime() + FUTURE_SKEW_MS || calledAt < ev.occurred_at)
      throw badRequest('called_at_invalid');
    validateElements('phone', input.elements, pending);
    return insertPhoneReport(ctx, ev, {
      callerUnit,
      callerName: input.callerName!.trim(),
      callerPhone: input.callerPhone!.trim(),
      callerPost: input.callerPost ?? null,
      calledAt,
      toldLeaders: input.toldLeaders ?? null,
      elements: input.elements,
      pendingElements: pending,
    });
  }
  validateElements(input.kind, input.elements, pending);
  const unitId = actor.acting.id;
  const sources = [...new Set(input.sourceReportIds ?? [])];
  if (sources.length) {
    const r = await ctx.tx.execute<{ n: number }>(sql`select count(distinct r.id)::int as n from reports r
      left join report_deliveries d on d.report_id = r.id and d.to_unit_id = ${unitId}
      where r.event_id = ${eventId} and r.id in (${sql.join(
        sources.map((s) => sql`${s}`),
        sql`, `,
      )}) and (d.id is not null or r.unit_id = ${unitId})`);
    if (r.rows[0].n !== sources.length) throw badRequest('source_reports_invalid');
  }
  const recipients = [...new Set(input.recipients ?? [])];
  for (const rid of recipients)
    if (!(await unitRow(ctx, rid))) throw badRequest('unknown_unit', { unitId: rid });
  let seq = 0;
  if (input.kind === 'followup') {
    const r = await ctx.tx.execute<{ n: number }>(sql`select coalesce(max(seq), 0)::int as n from reports
      where event_id = ${eventId} and unit_id = ${unitId} and kind = 'followup'`);
    seq = r.rows[0].n + 1;
  }
  const contradictions = findContradictions(input.elements, await earlierReports(ctx, eventId));
  // the device's clock may be wrong and the report may have waited offline: kept as told, shown, never used for
  // a deadline; a time ahead of our clock (a device clock running fast) is dropped rather than refusing the report
  const told = input.capturedAt ? new Date(input.capturedAt) : null;
  const capturedAt = told && told.getTime() <= now.getTime() + FUTURE_SKEW_MS ? told : null;
  const r =
    await ctx.tx.execute<ReportRow>(sql`insert into reports (event_id, unit_id, kind, seq, status, elements,
      pending_elements, fast_track, level, recipients, source_report_ids, created_by, created_at, contradictions,
      captured_at)
    values (${eventId}, ${unitId}, ${input.kind}, ${seq}, 'draft', ${JSON.stringify(input.elements)}::jsonb,
      ${JSON.stringify(pending)}::jsonb, ${!!input.fastTrack}, ${ev.level},
      ${sql.raw(`array[${recipients.map((x) => `'${x}'`).join(',')}]::uuid[]`)},
      ${sql.raw(`array[${sources.map((x) => `'${x}'`).join(',')}]::uuid[]`)}, ${actor.id}, ${now.toISOString()},
      ${JSON.stringify(contradictions)}::jsonb, ${capturedAt?.toISOString() ?? null})
    returning *`);
  const rep = r.rows[0];
  // nothing in this command reads these back: written with its batch
  await deferWrite(
    ctx,
    sql`insert into report_versions (report_id, version, elements, pending_elements, at, user_id, note)
    values (${rep.id}, 1, ${JSON.stringify(input.elements)}::jsonb, ${JSON.stringify(pending)}::jsonb, ${now.toISOString()}::timestamptz,
      ${actor.id}::uuid, 'drafted')`,
  );
  await deferWrite(
    ctx,
    sql`insert into event_units (event_id, unit_id, reason) values (${eventId}::uuid, ${unitId}::uuid, 'reporter') on conflict do nothing`,
  );
  await audit(ctx, {
    stream: `event:${eventId}`,
    action: 'report_drafted',
    entityType: 'report',
    entityId: rep.id,
    data: {
      kind: rep.kind,
      seq,
      pendingElements: pending,
      sourceReportIds: sources,
      recipients,
      contradictions,
      ...(capturedAt ? { capturedAt: capturedAt.toISOString() } : {}),
    },
  });
  await publish(ctx, [unitAudience(unitId)], 'report.updated', {
    reportId: rep.id,
    eventId,
    status: 'draft',
  });
  return rep;
}

async function loadOwnReport(ctx: Ctx, id: string) {
  const rep = await getReport(ctx, id, true);
  if (!rep) throw notFound();
  const ev = await getVisibleEvent(ctx, rep.event_id);
  if (!ev) throw notFound();
  if (rep.unit_id !== ctx.actor!.acting.id) throw forbidden('not_your_unit');
  return { rep, ev };
}

export interface UpdateReportInput {
  elements?: Elements;
  pendingElements?: Record<string, string>;
  fastTrack?: boolean;
  recipients?: string[];
  note?: string;
}

/** Edit a draft or returned report; a change to a sent report is a new version, never an overwrite. */
export async function updateReport(ctx: Ctx, id: string, input: UpdateReportInput) {
  const actor = ctx.actor!;
  if (!hasRole(actor, ...REPORT_ROLES)) throw forbidden('cannot_register_events');
  const { rep } = await loadOwnReport(ctx, id);
  if (rep.status === 'awaiting_approval') throw conflict('invalid_state', { status: STATUS_ZH[rep.status] });
  const elements = input.elements ?? rep.elements;
  const pending = input.pendingElements ?? rep.pending_elements;
  validateElements(rep.kind, elements, pending);
  const version = rep.version + 1;
  const now = ctx.clock.now();
  const contradictions = findContradictions(elements, await earlierReports(ctx, rep.event_id, rep.id));
  await ctx.tx.execute(sql`update reports set elements = ${JSON.stringify(elements)}::jsonb,
    pending_elements = ${JSON.stringify(pending)}::jsonb, version = ${version},
    fast_track = ${input.fastTrack ?? rep.fast_track}, contradictions = ${JSON.stringify(contradictions)}::jsonb
    ${input.recipients ? sql`, recipients = ${sql.raw(`array[${input.recipients.map((x) => `'${x}'`).join(',')}]::uuid[]`)}` : sql``}
    where id = ${id}`);
  await ctx.tx.execute(sql`insert into report_versions (report_id, version, elements, pending_elements, at, user_id, note)
    values (${id}, ${version}, ${JSON.stringify(elements)}::jsonb, ${JSON.stringify(pending)}::jsonb, ${now.toISOString()},
      ${actor.id}, ${input.note ?? (rep.status === 'sent' ? 'amended after sending' : 'edited')})`);
  await audit(ctx, {
    stream: `event:${rep.event_id}`,
    action: rep.status === 'sent' || rep.status === 'recorded' ? 'report_amended' : 'report_edited',
    entityType: 'report',
    entityId: id,
    data: { version, elements, pendingElements: pending, note: input.note ?? null },
  });
  return (await getReport(ctx, id))!;
}

function isOffHours(unit: any, at: Date) {
  return !isWorkingTime(unit?.working_hours ?? null, at);
}

/** 报出: submit; fast track sends at once and leaves the skipped approvals as countersignatures owed. */
export async function submitReport(ctx: Ctx, id: string, input: { fastTrack?: boolean } = {}) {
  const actor = ctx.actor!;
  if (!hasRole(actor, ...REPORT_ROLES)) throw forbidden('cannot_register_events');
  const { rep, ev } = await loadOwnReport(ctx, id);
  if (rep.kind === 'phone' || (rep.status !== 'draft' && rep.status !== 'returned'))
    throw conflict('invalid_state', { status: STATUS_ZH[rep.status] ?? rep.status });
  validateElements(rep.kind, rep.elements, rep.pending_elements);
  const now = ctx.clock.now();
  const fastTrack = input.fastTrack ?? rep.fast_track;
  const steps = requiredSteps(ev.level);
  await ctx.tx.execute(sql`delete from report_approvals where report_id = ${id}`);
  // the submitter's own leadership roles count: a principal completes every step, an approver its own
  const own = new Set<ApprovalStep>();
  if (actor.roles.includes('principal')) for (const s of steps) own.add(s);
  else if (actor.roles.includes('approver') && steps.includes('approver')) own.add('approver');
  const remaining = steps.filter((s) => !own.has(s));
  // every step in one statement
  const rows = steps.map((step, i) => {
    const mine = own.has(step);
    const status = mine ? 'approved' : fastTrack ? 'skipped' : 'pending';
    return sql`(${id}, ${step}, ${i}, ${status}, ${mine ? actor.id : null}::uuid,
        ${mine ? now.toISOString() : null}::timestamptz,
        ${mine ? (actor.roles.includes('principal') ? 'principal' : 'approver') : null},
        ${status === 'skipped' ? 'outstanding' : 'none'})`;
  });
  if (rows.length)
    await ctx.tx.execute(sql`insert into report_approvals (report_id, step, ord, status, user_id, at, as_role, countersign)
      values ${sql.join(rows, sql`, `)}`);
  await ctx.tx.execute(sql`update reports set status = 'awaiting_approval', submitted_at = ${now.toISOString()},
    fast_track = ${fastTrack}, level = ${ev.level}, return_reason = null where id = ${id}`);
  if (rep.status === 'returned') await newVersion(ctx, rep, 'resubmitted');
  await audit(ctx, {
    stream: `event:${ev.id}`,
    action: 'report_submitted',
    entityType: 'report',
    entityId: id,
    data: { fastTrack, steps, selfApproved: [...own], level: ev.level },
  });
  const label = reportLabel(rep.kind, rep.seq);
  if (remaining.length && fastTrack) {
    // who acts for the unit is looked up once for every step owed, and the requests go out in one batch
    const acting = await usersActingForMany(ctx, [rep.unit_id]);
    await notifyMany(
      ctx,
      remaining.map((step) => ({
        userIds: acting(rep.unit_id, [step]),
        kind: 'countersign.needed',
        title: `【请补签】${ev.title}（${label}）已越过审签直接报出`,
        body: `${actor.name}按减环节程序直接报出了${label}，请尽快补签。`,
        data: { eventId: ev.id, reportId: id, step },
        urgent: true,
        eventId: ev.id,
      })),
    );
  }
  if (remaining.length && !fastTrack) {
    await askForApproval(ctx, ev, { ...rep, status: 'awaiting_approval' }, remaining[0]);
    return (await getReport(ctx, id))!;
  }
  return sendReport(ctx, ev, id);
}

async function askForApproval(ctx: Ctx, ev: EventRow, rep: ReportRow, step: ApprovalStep) {
  const unit = await unitRow(ctx, rep.unit_id);
  const roles: string[] = [step, 'principal'];
  if (step === 'approver' && isOffHours(unit, ctx.clock.now())) roles.push('duty_leader');
  const users = await usersActingFor(ctx, rep.unit_id, roles);
  await notify(ctx, {
    userIds: users,
    kind: 'approval.needed',
    title: `【待审签】${ev.title}（${reportLabel(rep.kind, rep.seq)}）`,
    body: `${ev.level ? LEVEL_ZH[ev.level] : '未分级'}事件报告等待审签，目标 5 分钟内完成。`,
    data: { eventId: ev.id, reportId: rep.id, step },
    urgent: ev.level === 'I' || ev.level === 'II',
    eventId: ev.id,
  });
  await cancelTimers(ctx, rep.id);
  await addTimer(ctx, 'approval.dwell', rep.id, new Date(ctx.clock.now().getTime() + 5 * 60_000), { step });
  await publish(ctx, [unitAudience(rep.unit_id)], 'report.updated', {
    reportId: rep.id,
    eventId: ev.id,
    status: 'awaiting_approval',
  });
}

/**
 * A new version number for a return or a resubmission (edits number their own): an approver who read an earlier
 * version is refused (409 `report_changed`); the content is kept as it is, in `report_versions`.
 */
async function newVersion(ctx: Ctx, rep: ReportRow, note: string) {
  const r = await ctx.tx.execute<{ version: number; elements: unknown; pending_elements: unknown }>(
    sql`update reports set version = version + 1 where id = ${rep.id} returning version, elements, pending_elements`,
  );
  const v = r.rows[0];
  await ctx.tx.execute(sql`insert into report_versions (report_id, version, elements, pending_elements, at, user_id, note)
    values (${rep.id}, ${v.version}, ${JSON.stringify(v.elements)}::jsonb, ${JSON.stringify(v.pending_elements)}::jsonb,
      ${ctx.clock.now().toISOString()}, ${ctx.actor!.id}, ${note})`);
}

/** 审签 */
export async function approveReport(
  ctx: Ctx,
  id: string,
  input: { comment?: string | null; version?: number | null } = {},
) {
  const actor = ctx.actor!;
  const { rep, ev } = await loadOwnReport(ctx, id);
  // approve what you read: the version the approver read must still be the report's
  if (!versionStillCurrent(input.version, rep.version))
    throw conflict('report_changed', { readVersion: input.version!, currentVersion: rep.version });
  if (rep.status !== 'awaiting_approval')
    throw conflict('invalid_state', { status: STATUS_ZH[rep.status] ?? rep.status });
  const approvals = (
    await ctx.tx.execute<any>(
      sql`select * from report_approvals where report_id = ${id} order by ord for update`,
    )
  ).rows;
  const unit = await unitRow(ctx, rep.unit_id);
  const decision = nextApproval(
    approvals.map((a) => ({ step: a.step, status: a.status })),
    actor.roles,
    isOffHours(unit, ctx.clock.now()),
  );
  if (!decision) throw forbidden('cannot_approve');
  const now = ctx.clock.now();
  for (const step of decision.completes) {
    await ctx.tx.execute(sql`update report_approvals set status = 'approved', user_id = ${actor.id}, at = ${now.toISOString()},
      comment = ${input.comment ?? null}, as_role = ${decision.asRole} where report_id = ${id} and step = ${step}`);
  }
  await audit(ctx, {
    stream: `event:${ev.id}`,
    action: 'report_approved',
    entityType: 'report',
    entityId: id,
    data: { steps: decision.completes, asRole: decision.asRole, comment: input.comment ?? null },
  });
  const left = approvals.filter((a) => a.status === 'pending' && !decision.completes.includes(a.step));
  if (left.length) {
    await askForApproval(ctx, ev, rep, left[0].step);
    return (await getReport(ctx, id))!;
  }
  await cancelTimers(ctx, id);
  return sendReport(ctx, ev, id);
}

export async function returnReport(ctx: Ctx, id: string, input: { reason: string }) {
  const actor = ctx.actor!;
  const { rep, ev } = await loadOwnReport(ctx, id);
  if (rep.status !== 'awaiting_approval')
    throw conflict('invalid_state', { status: STATUS_ZH[rep.status] ?? rep.status });
  const unit = await unitRow(ctx, rep.unit_id);
  const canLead =
    hasRole(actor, 'approver', 'principal') ||
    (hasRole(actor, 'duty_leader') && isOffHours(unit, ctx.clock.now()));
  if (!canLead) throw forbidden('cannot_approve');
  if (!input.reason?.trim()) throw badRequest('reason_required');
  await ctx.tx.execute(
    sql`update reports set status = 'returned', return_reason = ${input.reason.trim()} where id = ${id}`,
  );
  await newVersion(ctx, rep, `returned: ${input.reason.trim()}`);
  await ctx.tx.execute(sql`delete from report_approvals where report_id = ${id}`);
  await cancelTimers(ctx, id);
  await audit(ctx, {
    stream: `event:${ev.id}`,
    action: 'report_returned',
    entityType: 'report',
    entityId: id,
    data: { reason: input.reason.trim() },
  });
  await notify(ctx, {
    userIds: [rep.created_by],
    kind: 'report.returned',
    title: `【已退回】${ev.title}（${reportLabel(rep.kind, rep.seq)}）`,
    body: `${actor.name}：${input.reason.trim()}`,
    data: { eventId: ev.id, reportId: id },
    eventId: ev.id,
  });
  await publish(ctx, [unitAudience(rep.unit_id)], 'report.updated', {
    reportId: id,
    eventId: ev.id,
    status: 'returned',
  });
  return (await getReport(ctx, id))!;
}

/** 补签 */
export async function countersignReport(ctx: Ctx, id: string) {
  const actor = ctx.actor!;
  const { rep, ev } = await loadOwnReport(ctx, id);
  const owed = (
    await ctx.tx.execute<any>(
      sql`select * from report_approvals where report_id = ${id} and countersign = 'outstanding' order by ord for update`,
    )
  ).rows.filter((a) => actor.roles.includes(a.step) || actor.roles.includes('principal'));
  if (owed.length === 0) throw conflict('nothing_to_countersign');
  const now = ctx.clock.now();
  // one person signs once per role they hold; a principal may sign for every step owed
  const mine = owed.filter((a) => actor.roles.includes(a.step));
  const signs = mine.length ? [mine[0]] : owed;
  for (const a of signs) {
    await ctx.tx.execute(sql`update report_approvals set countersign = 'done', countersigned_by = ${actor.id},
      countersigned_at = ${now.toISOString()} where id = ${a.id}`);
  }
  await audit(ctx, {
    stream: `event:${ev.id}`,
    action: 'report_countersigned',
    entityType: 'report',
    entityId: id,
    data: { steps: signs.map((a) => a.step) },
  });
  await publish(ctx, [unitAudience(rep.unit_id)], 'report.updated', {
    reportId: id,
    eventId: ev.id,
    status: rep.status,
  });
  return (await getReport(ctx, id))!;
}

/** Where a sent report goes: its area's intake (a non-area unit) or the parent area's (an area), plus recipients. */
async function destinations(
  ctx: Ctx,
  rep: ReportRow,
): Promise<{ from: any; dests: Array<{ unit: any; via: string }> }> {
  // the sender, the recipients and the parents of both, in one statement
  const units = await unitsWithParents(ctx, [rep.unit_id, ...(rep.recipients ?? [])]);
  const from = units.get(rep.unit_id);
  const out: Array<{ unit: any; via: string }> = [];
  if (from.parent_id) out.push({ unit: units.get(from.parent_id), via: 'chain' });
  for (const rid of rep.recipients ?? []) {
    const u = units.get(rid);
    if (!u) continue;
    const target = isOfficeKind(u.kind) ? units.get(u.parent_id) : u;
    if (!out.some((o) => o.unit.id === target.id)) out.push({ unit: target, via: 'recipient' });
  }
  // 三同时: whatever else it is addressed to, a department's report reaches its own area's party office
  const area = areaIdOf({ id: from.id, kind: from.kind, parentId: from.parent_id });
  if (area !== from.id && !out.some((o) => o.unit.id === area))
    out.push({ unit: units.get(area) ?? (await unitRow(ctx, area)), via: 'copy' });
  return { from, dests: out };
}

/** The report leaves the unit: arrivals in the receiving intakes, the deadline met, the event moved on. */
export async function sendReport(ctx: Ctx, ev: EventRow, id: string): Promise<ReportRow> {
  const now = ctx.clock.now();
  const r = await ctx.tx.execute<ReportRow>(
    sql`update reports set status = 'sent', sent_at = ${now.toISOString()} where id = ${id} returning *`,
  );
  const rep = r.rows[0];
  const { from: fromUnit, dests } = await destinations(ctx, rep);
  const label = reportLabel(rep.kind, rep.seq);
  for (const d of dests) {
    const offHours = d.unit.kind === 'area' && isOffHours(d.unit, now);
    const ins = await ctx.tx.execute<{
      id: string;
    }>(sql`insert into report_deliveries (report_id, event_id, from_unit_id,
        to_unit_id, via, arrived_at, off_hours)
      values (${id}, ${ev.id}, ${rep.unit_id}, ${d.unit.id}, ${d.via}, ${now.toISOString()}, ${offHours})
      on conflict do nothing returning id`);
    if (!ins.rows[0]) continue;
    const deliveryId = ins.rows[0].id;
    await ctx.tx.execute(
      sql`insert into event_units (event_id, unit_id, reason) values (${ev.id}, ${d.unit.id}, 'delivery') on conflict do nothing`,
    );
    await audit(ctx, {
      stream: `event:${ev.id}`,
      action: 'report_arrived',
      entityType: 'delivery',
      entityId: deliveryId,
      unitId: d.unit.id,
      data: { reportId: id, fromUnitId: rep.unit_id, toUnitId: d.unit.id, via: d.via, offHours },
    });
    await addTimer(
      ctx,
      'delivery.unsigned',
      deliveryId,
      new Date(now.getTime() + UNSIGNED_ESCALATION_MINUTES * 60_000),
    );
    const audience = d.unit.kind === 'area' ? intakeAudience(d.unit.id) : unitAudience(d.unit.id);
    await publish(ctx, [audience], 'report.arrived', {
      reportId: id,
      eventId: ev.id,
      deliveryId,
      fromUnitId: rep.unit_id,
      fromUnitName: fromUnit.name,
      toUnitId: d.unit.id,
      kind: rep.kind,
      label,
      level: ev.level,
      title: ev.title,
      arrivedAt: now.toISOString(),
      offHours,
    });
    // off-hours: the duty room is alerted and a named person of the information section must acknowledge
    // working hours: the information section; off-hours: whoever is on duty (roster) and the section's
    // editors; Ⅱ and above: the principals (秘书长) at once
    const roles = offHours ? ['editor'] : ['editor', 'duty_officer'];
    if (ev.level === 'I' || ev.level === 'II') roles.push('principal');
    const users = [
      ...(offHours && d.unit.kind === 'area' ? await onDutyUsers(ctx, d.unit.id, now) : []),
      ...(await usersActingFor(ctx, d.unit.id, roles)),
    ];
    await notify(ctx, {
      userIds: users,
      kind: 'report.arrived',
      title: `【${ev.level ? LEVEL_ZH[ev.level] : '未分级'}】${fromUnit.name}：${ev.title}（${label}）`,
      body: offHours
        ? '非工作时间来报，请值班人员立即通知信息科负责人并确认。'
        : '新报告已到达接报口，请及时签收。',
      data: { eventId: ev.id, reportId: id, deliveryId },
      urgent: offHours || ev.level === 'I' || ev.level === 'II',
      eventId: ev.id,
    });
  }
  await meetDeadline(ctx, ev.id, rep.unit_id, 'written', now, id);
  await answerRequests(ctx, ev.id, rep.unit_id, id);
  if (rep.kind === 'final') {
    await ctx.tx.execute(
      sql`update events set status = 'closed', closed_at = ${now.toISOString()} where id = ${ev.id}`,
    );
    await cancelTimers(ctx, ev.id);
  } else {
    await scheduleFollowUp(ctx, ev, now);
  }
  await audit(ctx, {
    stream: `event:${ev.id}`,
    action: 'report_sent',
    entityType: 'report',
    entityId: id,
    data: {
      kind: rep.kind,
      seq: rep.seq,
      destinations: dests.map((d) => d.unit.id),
      fastTrack: rep.fast_track,
    },
  });
  await publish(ctx, [unitAudience(rep.unit_id)], 'report.updated', {
    reportId: id,
    eventId: ev.id,
    status: 'sent',
  });
  return rep;
}

/** Ongoing events get follow-ups at an agreed interval (Ⅰ/Ⅱ 12 h, Ⅲ daily, 2 h in an active response). */
async function scheduleFollowUp(ctx: Ctx, ev: EventRow, from: Date) {
  const rs = (await getRuleSet<TimelinessRuleSet>(ctx.tx, 'timeliness', ev.timeliness_version)).body;
  // `ev` was read in this transaction: its response state is current
  const minutes = ev.active_response
    ? rs.followUpMinutes.activeResponse
    : ev.level === 'I' || ev.level === 'II'
      ? rs.followUpMinutes.I
      : ev.level === 'III'
        ? rs.followUpMinutes.III
        : null;
  await ctx.tx.execute(sql`update timers set cancelled_at = ${from.toISOString()} where ref_id = ${ev.id}
    and kind = 'event.followup' and fired_at is null and cancelled_at is null`);
  if (minutes)
    await addTimer(ctx, 'event.followup', ev.id, new Date(from.getTime() + minutes * 60_000), { minutes });
}

/** The intake units of an actor: an office's area; a department / emergency office / enterprise itself. */
export function intakeUnitsOf(a: Actor): string[] {
  const out = new Set<string>([a.acting.id]);
  if (!isOfficeKind(a.unit.kind)) out.add(a.unit.id);
  return [...out];
}

/**
 * The arrival of a report at the caller's intake, locked for update: 404 when the caller may not see the
 * event at all, 403 when it may but the report was not addressed to it.
 */
async function myDelivery(ctx: Ctx, reportId: string) {
  const rep = await getReport(ctx, reportId);
  if (!rep) throw notFound();
  const mine = intakeUnitsOf(ctx.actor!);
  const r = await ctx.tx.execute<any>(
    sql`select * from report_deliveries where report_id = ${reportId} and to_unit_id in (${sql.join(
      mine.map((m) => sql`${m}`),
      sql`, `,
    )}) and via <> 'phone' order by arrived_at limit 1 for update`,
  );
  const d = r.rows[0];
  if (!d) {
    if (!(await getVisibleEvent(ctx, rep.event_id))) throw notFound();
    throw forbidden('not_addressed_to_you');
  }
  return { rep, d };
}

/** 签收: the first signature of the receiving office counts. */
export async function signReport(ctx: Ctx, id: string) {
  const actor = ctx.actor!;
  const { rep, d } = await myDelivery(ctx, id);
  if (!d.signed_at) {
    const now = ctx.clock.now();
    await ctx.tx.execute(
      sql`update report_deliveries set signed_at = ${now.toISOString()}, signed_by = ${actor.id} where id = ${d.id}`,
    );
    d.signed_at = now;
    d.signed_by = actor.id;
    await audit(ctx, {
      stream: `event:${rep.event_id}`,
      action: 'signed',
      entityType: 'delivery',
      entityId: d.id,
      data: {
        reportId: id,
        dwellSeconds: Math.round((now.getTime() - new Date(d.arrived_at).getTime()) / 1000),
      },
    });
    await cancelTimers(ctx, d.id);
    await publish(
      ctx,
      [intakeAudience(d.to_unit_id), unitAudience(d.to_unit_id), unitAudience(rep.unit_id)],
      'report.updated',
      {
        reportId: id,
        eventId: rep.event_id,
        deliveryId: d.id,
        signedAt: now.toISOString(),
        signedBy: actor.id,
        signedByName: actor.name,
      },
    );
  }
  return presentDelivery(d);
}

/** Off-hours arrivals: a named person of the information section acknowledges (落实到人, 记录在案). */
export async function acknowledgeArrival(ctx: Ctx, id: string) {
  const actor = ctx.actor!;
  const { rep, d } = await myDelivery(ctx, id);
  if (!d.acked_at) {
    const now = ctx.clock.now();
    await ctx.tx.execute(
      sql`update report_deliveries set acked_at = ${now.toISOString()}, acked_by = ${actor.id} where id = ${d.id}`,
    );
    d.acked_at = now;
    d.acked_by = actor.id;
    await audit(ctx, {
      stream: `event:${rep.event_id}`,
      action: 'acknowledged',
      entityType: 'delivery',
      entityId: d.id,
      data: { reportId: id, by: actor.name },
    });
    await publish(ctx, [intakeAudience(d.to_unit_id), unitAudience(rep.unit_id)], 'report.updated', {
      reportId: id,
      eventId: rep.event_id,
      deliveryId: d.id,
      ackedAt: now.toISOString(),
      ackedByName: actor.name,
    });
  }
  return presentDelivery(d);
}

/** 核实: the receiving office records that it verified the report. */
export async function verifyArrival(ctx: Ctx, id: string, input: { note?: string | null }) {
  const actor = ctx.actor!;
  const rep = await getReport(ctx, id);
  if (!rep) throw notFound();
  const mine = intakeUnitsOf(actor);
  const r =
    await ctx.tx.execute<any>(sql`update report_deliveries set verified_at = ${ctx.clock.now().toISOString()},
    verified_by = ${actor.id} where report_id = ${id} and to_unit_id in (${sql.join(
      mine.map((m) => sql`${m}`),
      sql`, `,
    )}) returning *`);
  if (!r.rows[0]) throw forbidden('not_addressed_to_you');
  await audit(ctx, {
    stream: `event:${rep.event_id}`,
    action: 'verified',
    entityType: 'delivery',
    entityId: r.rows[0].id,
    data: { reportId: id, note: input.note ?? null },
  });
  return presentDelivery(r.rows[0]);
}

export function presentDelivery(d: any) {
  return {
    deliveryId: d.id,
    reportId: d.report_id,
    eventId: d.event_id,
    fromUnitId: d.from_unit_id,
    toUnitId: d.to_unit_id,
    via: d.via,
    arrivedAt: d.arrived_at,
    signedAt: d.signed_at ?? null,
    signedBy: d.signed_by ?? null,
    offHours: !!d.off_hours,
    ackedAt: d.acked_at ?? null,
    ackedBy: d.acked_by ?? null,
    verifiedAt: d.verified_at ?? null,
  };
}

export { AppError };
