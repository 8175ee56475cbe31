import { sql } from 'drizzle-orm';
import type { Ctx } from '../../floor/context.js';
import { badRequest, notFound } from '../../floor/errors.js';
import { activeDeadlines, presentDeadline, supersededDeadlines } from '../timeliness/deadlines.js';
import { callAbilities, eventClosedAt, presentCall } from './calls.js';
import { ELEMENT_NAMES } from './elements.js';
import {
  approvalsOf,
  deliveriesOf,
  type EventRow,
  eventReports,
  eventScope,
  getVisibleEvent,
  type ReportRow,
} from './emergency.repo.js';
import { presentRequest } from './events.service.js';
import { proposeLevel } from './level.js';
import { reportLabel } from './messages.js';
import { canSeeReport, logEntryVisibleSql } from './policy.js';
import { intakeUnitsOf, presentDelivery } from './reports.service.js';
import { presentTraceSteps } from './trail.js';

/** A list cursor from the client; anything that is not one of ours is a 400, never a 500. */
function decodeCursor<T extends Record<string, unknown>>(
  cursor: string | undefined,
  keys: string[],
): T | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (v && typeof v === 'object' && keys.every((k) => k in v)) return v as T;
  } catch {
    /* fall through */
  }
  throw badRequest('bad_cursor');
}

/** Who reads the report, for its `can` (calls: confirm / dispute). */
export type Reader = { actor: Ctx['actor']; eventClosedAt: Date | null; now: Date };

export function presentReport(r: ReportRow, approvals: any[] = [], deliveries: any[] = [], reader?: Reader) {
  return {
    id: r.id,
    eventId: r.event_id,
    unitId: r.unit_id,
    kind: r.kind,
    seq: r.seq,
    label: reportLabel(r.kind, r.seq),
    status: r.status,
    elements: r.elements,
    pendingElements: r.pending_elements,
    fastTrack: r.fast_track,
    level: r.level,
    recipients: r.recipients,
    sourceReportIds: r.source_report_ids,
    createdBy: r.created_by,
    createdAt: r.created_at,
    submittedAt: r.submitted_at,
    sentAt: r.sent_at,
    calledAt: r.called_at,
    callerUnitId: r.caller_unit_id,
    callerName: r.caller_name,
    callerPhone: r.caller_phone,
    callerPost: r.caller_post,
    toldLeaders: r.told_leaders,
    returnReason: r.return_reason,
    contradictions: r.contradictions,
    version: r.version,
    capturedAt: r.captured_at ?? null,
    ...presentCall(r),
    ...(reader && r.kind === 'phone'
      ? { can: callAbilities(reader.actor, r, reader.eventClosedAt, reader.now) }
      : {}),
    approvals: approvals
      .filter((a) => a.report_id === r.id)
      .map((a) => ({
        step: a.step,
        status: a.status,
        userId: a.user_id,
        at: a.at,
        asRole: a.as_role,
        comment: a.comment,
      })),
    countersignatures: approvals
      .filter((a) => a.report_id === r.id && a.countersign !== 'none')
      .map((a) => ({
        step: a.step,
        status: a.countersign,
        userId: a.countersigned_by,
        at: a.countersigned_at,
      })),
    deliveries: deliveries.filter((d) => d.report_id === r.id).map(presentDelivery),
  };
}

/** A draft just created has no approval steps and no arrivals yet: presented without reading them. */
export async function presentNewReport(ctx: Ctx, r: ReportRow) {
  if (r.status === 'draft' && r.kind !== 'phone') return presentReport(r, [], []);
  return presentReportById(ctx, r);
}

export async function presentReportById(ctx: Ctx, r: ReportRow) {
  const reader =
    r.kind === 'phone'
      ? { actor: ctx.actor, eventClosedAt: await eventClosedAt(ctx, r.event_id), now: ctx.clock.now() }
      : undefined;
  return presentReport(r, await approvalsOf(ctx, [r.id]), await deliveriesOf(ctx, [r.id]), reader);
}

/** Elements still 待核实: pending in a sent report and not supplied by any later report of the event. */
export function openPendingElements(reports: ReportRow[]) {
  const open = new Map<string, { reason: string; reportId: string }>();
  const ordered = reports
    .filter((r) => r.status === 'sent' || r.status === 'recorded')
    .sort(
      (a, b) => +(a.sent_at ?? a.called_at ?? a.created_at) - +(b.sent_at ?? b.called_at ?? b.created_at),
    );
  for (const r of ordered) {
    for (const n of ELEMENT_NAMES) {
      const v = r.elements?.[n];
      const has = v !== undefined && v !== null && (typeof v !== 'string' || v.trim() !== '');
      if (has) open.delete(n);
    }
    for (const [n, reason] of Object.entries(r.pending_elements ?? {}))
      open.set(n, { reason, reportId: r.id });
  }
  return [...open.entries()].map(([element, v]) => ({ element, ...v }));
}

export function presentEventCore(e: EventRow) {
  return {
    id: e.id,
    title: e.title,
    categoryCode: e.category_code,
    level: e.level,
    proposedLevel: proposeLevel(
      e.category_code,
      e.casualties ?? {},
      e.direct_loss_yuan ? Number(e.direct_loss_yuan) : null,
    ),
    occurredAt: e.occurred_at,
    learnedAt: e.learned_at,
    registeredAt: e.registered_at,
    place: e.place,
    responsibleUnitId: e.responsible_unit_id,
    registeredByUnitId: e.registered_by_unit_id,
    registeredByUserId: e.registered_by_user_id,
    source: e.source,
    summary: e.summary,
    casualties: e.casualties,
    directLossYuan: e.direct_loss_yuan === null ? null : Number(e.direct_loss_yuan),
    status: e.status,
    closedAt: e.closed_at,
    activeResponse: e.active_response,
    flags: { ...(e.flags ?? {}), invertedFlow: e.inverted_flow ?? [] },
    mustReport: e.must_report,
    ruleSetVersions: { mustReport: e.must_report_version, timeliness: e.timeliness_version },
    responsibleDepartmentIds: e.responsible_department_ids ?? [],
    requestedAt: e.requested_at,
    mergedIntoId: e.merged_into_id,
    classification: e.classification,
  };
}

/** The full event as the API contract describes it: with reports, deadlines, flags and mustReport. */
export async function presentEvent(ctx: Ctx, e: EventRow) {
  const reports = await eventReports(ctx, e.id);
  const ids = reports.map((r) => r.id);
  const approvals = await approvalsOf(ctx, ids);
  const deliveries = await deliveriesOf(ctx, ids);
  const now = ctx.clock.now();
  const deadlines = (await activeDeadlines(ctx, e.id)).map((d) => presentDeadline(d, now));
  const superseded = (await supersededDeadlines(ctx, e.id)).map((d) => ({
    ...presentDeadline(d, now),
    supersededAt: d.superseded_at,
    supersededReason: d.superseded_reason,
  }));
  const requests = (
    await ctx.tx.execute<any>(sql`select * from report_requests where event_id = ${e.id} order by at`)
  ).rows.map(presentRequest);
  const changes = (
    await ctx.tx.execute<any>(sql`select * from event_changes where event_id = ${e.id} order by at`)
  ).rows.map((c) => ({
    at: c.at,
    userId: c.user_id,
    unitId: c.unit_id,
    changes: c.changes,
    reason: c.reason,
  }));
  // a unit sees drafts of its own unit only (nobody sees a sibling unit's drafts)
  const visibleReports = reports.filter((r) => canSeeReport(ctx.actor!, r));
  return {
    ...presentEventCore(e),
    reports: visibleReports.map((r) =>
      presentReport(r, approvals, deliveries, {
        actor: ctx.actor,
        eventClosedAt: e.closed_at ? new Date(e.closed_at) : null,
        now,
      }),
    ),
    deadlines,
    supersededDeadlines: superseded,
    pendingElements: openPendingElements(reports),
    requests,
    changes,
  };
}

export async function getEventForActor(ctx: Ctx, id: string) {
  const e = await getVisibleEvent(ctx, id);
  if (!e) throw notFound();
  if (e.classification !== 'public') {
    // every read of a classified (涉密/内部) record is logged
    const { audit } = await import('../../floor/audit.js');
    await audit(ctx, {
      stream: `event:${id}`,
      action: 'classified_read',
      entityType: 'event',
      entityId: id,
      data: {},
    });
  }
  return presentEvent(ctx, e);
}

export async function listEvents(
  ctx: Ctx,
  f: {
    from?: string;
    to?: string;
    unitId?: string;
    status?: string;
    level?: string;
    q?: string;
    cursor?: string;
    limit?: number;
  },
) {
  const a = ctx.actor!;
  const limit = Math.min(f.limit ?? 50, 200);
  const cursor = decodeCursor<{ t: string; id: string }>(f.cursor, ['t', 'id']);
  const r = await ctx.tx.execute<EventRow & { overdue: number; reports_count: number }>(sql`
    select e.*,
      (select count(*)::int from deadlines d where d.event_id = e.id and d.superseded_at is null and d.met_at is null
        and d.due_at < ${ctx.clock.now().toISOString()}) as overdue,
      (select count(*)::int from reports r where r.event_id = e.id and r.status in ('sent','recorded')) as reports_count
    from events e
    where ${eventScope(a)}
      ${f.from ? sql`and e.occurred_at >= ${f.from}` : sql``}
      ${f.to ? sql`and e.occurred_at < ${f.to}` : sql``}
      ${f.status ? sql`and e.status = ${f.status}` : sql``}
      ${f.level ? (f.level === 'none' ? sql`and e.level is null` : sql`and e.level = ${f.level}`) : sql``}
      ${f.q ? sql`and e.title ilike ${`%${f.q}%`}` : sql``}
      ${f.unitId ? sql`and exists (select 1 from units ru where ru.id = e.responsible_unit_id and ru.path @> array[${f.unitId}]::uuid[])` : sql``}
      ${cursor ? sql`and (e.occurred_at, e.id) < (${cursor.t}, ${cursor.id})` : sql``}
    order by e.occurred_at desc, e.id desc
    limit ${limit + 1}`);
  const rows = r.rows.slice(0, limit);
  const next =
    r.rows.length > limit
      ? Buffer.from(
          JSON.stringify({ t: rows[rows.length - 1].occurred_at, id: rows[rows.length - 1].id }),
        ).toString('base64url')
      : null;
  return {
    items: rows.map((e) => ({
      ...presentEventCore(e),
      overdueDeadlines: e.overdue,
      reportsCount: e.reports_count,
    })),
    nextCursor: next,
  };
}

/** The caller's level's main channel: what arrived, unsigned first. */
export async function listIntake(ctx: Ctx, f: { cursor?: string; limit?: number; signed?: 'yes' | 'no' }) {
  const a = ctx.actor!;
  const mine = intakeUnitsOf(a);
  const limit = Math.min(f.limit ?? 200, 500);
  const cursor = decodeCursor<{ u: number; t: string; id: string }>(f.cursor, ['u', 't', 'id']);
  const r = await ctx.tx.execute<any>(sql`
    select d.*, r.kind, r.seq, e.level, e.title, e.category_code, e.status as event_status, fu.name as from_unit_name,
      r.direction, r.confirmation, r.answered_by, r.caller_name, r.called_at, r.to_area_id, r.created_at as recorded_at,
      r.dispute_reason, e.closed_at as event_closed_at,
      (select count(*)::int from deadlines dl where dl.event_id = e.id and dl.superseded_at is null and dl.met_at is null
        and dl.due_at < ${ctx.clock.now().toISOString()}) as overdue,
      (d.signed_at is null) as unsigned
    from report_deliveries d
    join reports r on r.id = d.report_id
    join events e on e.id = d.event_id
    join units fu on fu.id = d.from_unit_id
    where d.to_unit_id in (${sql.join(
      mine.map((m) => sql`${m}`),
      sql`, `,
    )}) and d.via <> 'phone'
      ${f.signed === 'no' ? sql`and d.signed_at is null` : f.signed === 'yes' ? sql`and d.signed_at is not null` : sql``}
      ${cursor ? sql`and ((d.signed_at is null)::int, d.arrived_at, d.id) < (${cursor.u}, ${cursor.t}, ${cursor.id})` : sql``}
    order by (d.signed_at is null)::int desc, d.arrived_at desc, d.id desc
    limit ${limit + 1}`);
  const rows = r.rows.slice(0, limit);
  const last = rows[rows.length - 1];
  return {
    items: rows.map((d) => ({
      ...presentDelivery(d),
      kind: d.kind,
      label: reportLabel(d.kind, d.seq),
      level: d.level,
      title: d.title,
      categoryCode: d.category_code,
      eventStatus: d.event_status,
      fromUnitName: d.from_unit_name,
      overdueDeadlines: d.overdue,
      // an outgoing call recorded by its caller: confirm or dispute it (not a report to sign for)
      ...(d.via === 'call'
        ? {
            call: {
              confirmation: d.confirmation,
              answeredBy: d.answered_by,
              callerName: d.caller_name,
              calledAt: d.called_at,
              disputeReason: d.dispute_reason,
              can: callAbilities(
                a,
                { ...d, id: d.report_id, created_at: d.recorded_at } as any,
                d.event_closed_at ? new Date(d.event_closed_at) : null,
                ctx.clock.now(),
              ),
            },
          }
        : {}),
    })),
    nextCursor:
      r.rows.length > limit
        ? Buffer.from(JSON.stringify({ u: last.unsigned ? 1 : 0, t: last.arrived_at, id: last.id })).toString(
            'base64url',
          )
        : null,
  };
}

/** My unit's work: drafts, approvals waiting for me, countersignatures owed, requests from above. */
export async function myInbox(ctx: Ctx) {
  const a = ctx.actor!;
  const unit = a.acting.id;
  const reports = (
    await ctx.tx.execute<ReportRow & { title: string; event_level: string | null }>(sql`
      select r.*, e.title, e.level as event_level from reports r join events e on e.id = r.event_id
      where r.unit_id = ${unit} and (r.status in ('draft','returned','awaiting_approval')
        or exists (select 1 from report_approvals ra where ra.report_id = r.id and ra.countersign = 'outstanding'))
      order by r.created_at desc limit 500`)
  ).rows;
  const approvals = await approvalsOf(
    ctx,
    reports.map((r) => r.id),
  );
  const present = (r: any) => ({
    ...presentReport(r, approvals),
    eventTitle: r.title,
    eventLevel: r.event_level,
  });
  const pendingStep = (id: string) =>
    approvals.find((x) => x.report_id === id && x.status === 'pending')?.step;
  const canApprove = (id: string) => {
    const step = pendingStep(id);
    return (
      !!step && (a.roles.includes(step) || a.roles.includes('principal') || a.roles.includes('duty_leader'))
    );
  };
  const requests = (
    await ctx.tx.execute<any>(sql`select q.*, e.title, e.level from report_requests q join events e on e.id = q.event_id
      where q.to_unit_id = ${unit} order by (q.answered_report_id is null) desc, q.at desc limit 200`)
  ).rows.map((q) => ({ ...presentRequest(q), eventTitle: q.title, eventLevel: q.level }));
  return {
    requests,
    drafts: reports.filter((r) => r.status === 'draft' || r.status === 'returned').map(present),
    awaitingApproval: reports
      .filter((r) => r.status === 'awaiting_approval')
      .map((r) => ({ ...present(r), canApprove: canApprove(r.id) })),
    countersign: reports
      .filter((r) => approvals.some((x) => x.report_id === r.id && x.countersign === 'outstanding'))
      .map((r) => ({
        ...present(r),
        canCountersign: approvals.some(
          (x) =>
            x.report_id === r.id &&
            x.countersign === 'outstanding' &&
            (a.roles.includes(x.step) || a.roles.includes('principal')),
        ),
      })),
  };
}

/**
 * The event's timeline: every registered step (reports, approvals, signatures, requests, instructions …), less
 * the entries about reports the caller may not see (another unit's drafts, their attachments).
 */
export async function eventTimeline(ctx: Ctx, eventId: string) {
  const e = await getVisibleEvent(ctx, eventId);
  if (!e) throw notFound();
  const r =
    await ctx.tx.execute<any>(sql`select l.id, l.at, l.action, l.entity_type, l.entity_id, l.unit_id, l.actor_id,
      l.data, u.name as actor_name, u.unit_id as actor_unit_id, u.roles as actor_roles, au.kind as actor_unit_kind,
      au.parent_id as actor_unit_parent_id
    from audit_log l left join users u on u.id = l.actor_id left join units au on au.id = u.unit_id
    where l.stream = ${`event:${eventId}`} and ${logEntryVisibleSql(ctx.actor!, 'l')} order by l.at, l.seq`);
  // who acted for which unit, as the trace presents it (the log itself is never rewritten)
  const who = presentTraceSteps(r.rows);
  const ids = [...new Set(who.flatMap((w) => [w.unitId, w.toUnitId]).filter((x): x is string => !!x))];
  const names = ids.length
    ? new Map(
        (
          await ctx.tx.execute<{ id: string; name: string }>(
            sql`select id, name from units where id in (${sql.join(
              ids.map((x) => sql`${x}`),
              sql`, `,
            )})`,
          )
        ).rows.map((x) => [x.id, x.name]),
      )
    : new Map<string, string>();
  return {
    items: r.rows.map((x, i) => ({
      id: Number(x.id),
      at: x.at,
      action: x.action,
      entityType: x.entity_type,
      entityId: x.entity_id,
      unitId: who[i].unitId,
      unitName: who[i].unitId ? (names.get(who[i].unitId!) ?? null) : null,
      ...(who[i].toUnitId ? { toUnitId: who[i].toUnitId } : {}),
      ...(who[i].actorUnitId ? { actorUnitId: who[i].actorUnitId } : {}),
      ...(who[i].asRole ? { asRole: who[i].asRole } : {}),
      userId: x.actor_id,
      userName: x.actor_name,
      data: x.data,
    })),
  };
}
