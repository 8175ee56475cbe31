import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import { type Actor, type Ctx, hasRole, isOfficeKind } from '../../floor/context.js';
import { AppError, badRequest, forbidden, notFound } from '../../floor/errors.js';
import { intakeAudience, publish, unitAudience } from '../../floor/outbox.js';
import { getRuleSet } from '../../floor/rule-sets.js';
import { FUTURE_SKEW_MS } from '../../floor/times.js';
import { notify, usersActingFor } from '../notify/notify.js';
import { reportingChain } from '../timeliness/chain.js';
import { loadChainUnits, recomputeDeadlines } from '../timeliness/deadlines.js';
import type { TimelinessRuleSet } from '../timeliness/rules.js';
import { actingUnitIdOf, areaIdOf } from '../units/acting.js';
import { type Casualties, ZERO_CASUALTIES } from './elements.js';
import { addEventUnits, type EventRow, getVisibleEvent, unitRow } from './emergency.repo.js';
import { type EventFlags, evaluateMustReport, type MustReportRuleSet } from './must-report.js';
import { mayMakeResponsible, requireEventWriter } from './policy.js';

export { REPORTING_ROLES } from './policy.js';

export interface CreateEventInput {
  title: string;
  categoryCode: string;
  level: 'I' | 'II' | 'III' | 'IV' | null;
  occurredAt: string;
  learnedAt?: string | null;
  place: { divisionCode?: string | null; address: string; lng?: number | null; lat?: number | null };
  responsibleUnitId?: string | null;
  source?: 'self' | 'phone' | 'media' | 'department' | 'higher' | 'public';
  summary?: string | null;
  casualties?: Partial<Casualties> | null;
  directLossYuan?: number | null;
  flags?: EventFlags | null;
  callerUnitId?: string | null;
  callerName?: string | null;
  callerPhone?: string | null;
  callerPost?: string | null;
  calledAt?: string | null;
  toldLeaders?: string | null;
  classification?: 'public' | 'internal' | 'secret';
}

const SKEW_MS = FUTURE_SKEW_MS; // clocks of other systems may run a little ahead

export function normCasualties(c: Partial<Casualties> | null | undefined): Casualties {
  return { ...ZERO_CASUALTIES, ...(c ?? {}) };
}

export function normFlags(f: EventFlags | null | undefined): Required<EventFlags> {
  return {
    specialPersons: [...new Set(f?.specialPersons ?? [])],
    sensitivePlace: !!f?.sensitivePlace,
    sensitiveTime: !!f?.sensitiveTime,
    massIncident: !!f?.massIncident,
    mayEscalate: !!f?.mayEscalate,
    publicOpinion: !!f?.publicOpinion,
  };
}

/** The responsible unit as the unit that acts (an office stands for its area). */
async function resolveResponsible(ctx: Ctx, actor: Actor, id: string | null | undefined) {
  const raw = await unitRow(ctx, id ?? actor.acting.id);
  if (!raw) throw badRequest('responsible_unit_not_found', { responsibleUnitId: id });
  const actingId = actingUnitIdOf({ id: raw.id, kind: raw.kind, parentId: raw.parent_id });
  const unit = actingId === raw.id ? raw : await unitRow(ctx, actingId);
  // the area the person acts for decides, whatever their other roles (an administrator's included)
  if (!mayMakeResponsible(actor, unit.path))
    throw forbidden('responsible_unit_out_of_scope', { responsibleUnitId: unit.id });
  return unit;
}

async function evaluate(
  ctx: Ctx,
  ev: Pick<
    EventRow,
    'level' | 'category_code' | 'casualties' | 'flags' | 'place' | 'occurred_at' | 'requested_at'
  >,
  version: number,
) {
  const rs = await getRuleSet<MustReportRuleSet>(ctx.tx, 'must_report', version);
  return evaluateMustReport(
    {
      level: ev.level,
      categoryCode: ev.category_code,
      casualties: normCasualties(ev.casualties as Partial<Casualties>),
      flags: ev.flags as EventFlags,
      address: ev.place?.address ?? '',
      occurredAt: ev.occurred_at,
      requested: !!ev.requested_at,
    },
    rs.body,
    version,
  );
}

/** 登记事件 lives in `register-event.ts` (load → decide → write). */

export interface PatchEventInput {
  level?: 'I' | 'II' | 'III' | 'IV' | null;
  occurredAt?: string;
  responsibleUnitId?: string;
  flags?: EventFlags;
  casualties?: Partial<Casualties>;
  directLossYuan?: number | null;
  activeResponse?: boolean;
  title?: string;
  reason: string;
}

/** Seeing an event is not owning it: only the area its responsible unit lies in (and the areas above) change it. */
async function requireEventInArea(ctx: Ctx, actor: Actor, ev: EventRow) {
  if (!mayMakeResponsible(actor, (await unitRow(ctx, ev.responsible_unit_id)).path))
    throw forbidden('event_out_of_scope', { responsibleUnitId: ev.responsible_unit_id });
}

/** Change level, time of occurrence, responsible unit … — every change kept with who, when and why. */
export async function patchEvent(ctx: Ctx, id: string, input: PatchEventInput) {
  const actor = ctx.actor!;
  requireEventWriter(actor);
  if (!input.reason?.trim()) throw badRequest('reason_required');
  const ev = await getVisibleEvent(ctx, id, true);
  if (!ev) throw notFound();
  await requireEventInArea(ctx, actor, ev);
  const now = ctx.clock.now();
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const next: EventRow = { ...ev };
  if (input.level !== undefined && input.level !== ev.level) {
    changes.level = { from: ev.level, to: input.level };
    next.level = input.level;
  }
  if (input.occurredAt !== undefined) {
    const at = new Date(input.occurredAt);
    if (at.getTime() > now.getTime() + SKEW_MS) throw badRequest('occurred_in_future');
    if (at.getTime() !== ev.occurred_at.getTime()) {
      changes.occurredAt = { from: ev.occurred_at.toISOString(), to: at.toISOString() };
      next.occurred_at = at;
    }
  }
  if (input.responsibleUnitId !== undefined && input.responsibleUnitId !== ev.responsible_unit_id) {
    const u = await resolveResponsible(ctx, actor, input.responsibleUnitId);
    if (u.id !== ev.responsible_unit_id) {
      changes.responsibleUnitId = { from: ev.responsible_unit_id, to: u.id };
      next.responsible_unit_id = u.id;
    }
  }
  if (input.flags !== undefined) {
    const f = normFlags({ ...(ev.flags as EventFlags), ...input.flags });
    if (JSON.stringify(f) !== JSON.stringify(normFlags(ev.flags as EventFlags))) {
      changes.flags = { from: ev.flags, to: f };
      next.flags = f;
    }
  }
  if (input.casualties !== undefined) {
    const c = normCasualties({ ...(ev.casualties as Partial<Casualties>), ...input.casualties });
    if (JSON.stringify(c) !== JSON.stringify(normCasualties(ev.casualties as Partial<Casualties>))) {
      changes.casualties = { from: ev.casualties, to: c };
      next.casualties = c as unknown as Record<string, number>;
    }
  }
  if (input.directLossYuan !== undefined && String(input.directLossYuan) !== String(ev.direct_loss_yuan)) {
    changes.directLossYuan = { from: ev.direct_loss_yuan, to: input.directLossYuan };
    next.direct_loss_yuan = input.directLossYuan === null ? null : String(input.directLossYuan);
  }
  if (input.activeResponse !== undefined && input.activeResponse !== ev.active_response) {
    changes.activeResponse = { from: ev.active_response, to: input.activeResponse };
    next.active_response = input.activeResponse;
  }
  if (input.title !== undefined && input.title.trim() !== ev.title) {
    changes.title = { from: ev.title, to: input.title.trim() };
    next.title = input.title.trim();
  }
  if (Object.keys(changes).length === 0) return ev;
  const mustReport = await evaluate(ctx, next, ev.must_report_version);
  await ctx.tx.execute(sql`update events set level = ${next.level}, occurred_at = ${next.occurred_at.toISOString()},
    responsible_unit_id = ${next.responsible_unit_id}, flags = ${JSON.stringify(next.flags)}::jsonb,
    casualties = ${JSON.stringify(next.casualties)}::jsonb, direct_loss_yuan = ${next.direct_loss_yuan},
    active_response = ${next.active_response}, title = ${next.title}, must_report = ${JSON.stringify(mustReport)}::jsonb
    where id = ${id}`);
  await ctx.tx.execute(sql`insert into event_changes (event_id, at, user_id, unit_id, changes, reason)
    values (${id}, ${now.toISOString()}, ${actor.id}, ${actor.acting.id}, ${JSON.stringify(changes)}::jsonb, ${input.reason.trim()})`);
  if (changes.responsibleUnitId) {
    await addEventUnits(ctx, id, [next.responsible_unit_id], 'responsible');
  }
  const reason = Object.keys(changes).join(',');
  await recomputeDeadlines(ctx, { eventId: id, reason: `changed:${reason}`, initial: false });
  const timeRs = await getRuleSet<TimelinessRuleSet>(ctx.tx, 'timeliness', ev.timeliness_version);
  const units = await loadChainUnits(ctx, next.responsible_unit_id);
  const chain = reportingChain(
    units.get(next.responsible_unit_id)!,
    units,
    timeRs.body,
    next.level,
    next.category_code,
  );
  await addEventUnits(
    ctx,
    id,
    chain.map((l) => l.toId),
    'chain',
  );
  await audit(ctx, {
    stream: `event:${id}`,
    action: 'event_changed',
    entityType: 'event',
    entityId: id,
    data: { changes, reason: input.reason.trim(), mustReport },
  });
  await publish(
    ctx,
    [unitAudience(next.responsible_unit_id), intakeAudience(chain[0]?.toId ?? next.responsible_unit_id)],
    'event.updated',
    {
      eventId: id,
      changes: Object.keys(changes),
    },
  );
  return (await getVisibleEvent(ctx, id))!;
}

/** 调度 / 催报: a higher office asks a lower unit to report; the event becomes must-report (`requested`). */
export async function requestReport(ctx: Ctx, eventId: string, input: { toUnitId: string; message: string }) {
  const actor = ctx.actor!;
  if (!hasRole(actor, 'editor', 'duty_officer', 'duty_leader', 'leader', 'principal', 'approver'))
    throw forbidden('forbidden');
  const ev = await getVisibleEvent(ctx, eventId, true);
  if (!ev) throw notFound();
  const raw = await unitRow(ctx, input.toUnitId);
  if (!raw) throw badRequest('unknown_unit', { unitId: input.toUnitId });
  const toId = actingUnitIdOf({ id: raw.id, kind: raw.kind, parentId: raw.parent_id });
  const to = toId === raw.id ? raw : await unitRow(ctx, toId);
  const myArea = areaIdOf({ id: actor.acting.id, kind: actor.acting.kind, parentId: actor.acting.parentId });
  if (!to.path.includes(myArea) || to.id === actor.acting.id || to.id === myArea)
    throw forbidden('request_target_not_below');
  const now = ctx.clock.now();
  const r =
    await ctx.tx.execute<any>(sql`insert into report_requests (event_id, from_unit_id, to_unit_id, message, at, user_id)
    values (${eventId}, ${actor.acting.id}, ${to.id}, ${input.message.trim()}, ${now.toISOString()}, ${actor.id}) returning *`);
  const req = r.rows[0];
  if (!ev.requested_at) {
    const mustReport = await evaluate(ctx, { ...ev, requested_at: now }, ev.must_report_version);
    await ctx.tx.execute(sql`update events set requested_at = ${now.toISOString()},
      must_report = ${JSON.stringify(mustReport)}::jsonb where id = ${eventId}`);
    await recomputeDeadlines(ctx, { eventId, reason: 'requested', initial: false });
  }
  await addEventUnits(ctx, eventId, [to.id], 'requested');
  await audit(ctx, {
    stream: `event:${eventId}`,
    action: 'requested',
    entityType: 'request',
    entityId: req.id,
    data: { toUnitId: to.id, message: req.message },
  });
  const users = await usersActingFor(ctx, to.id, [
    'reporter',
    'approver',
    'principal',
    'editor',
    'duty_officer',
  ]);
  await notify(ctx, {
    userIds: users,
    kind: 'request.received',
    title: `【上级调度】${ev.title}`,
    body: `${actor.acting.name}：${req.message}`,
    data: { eventId, requestId: req.id },
    urgent: true,
    eventId,
  });
  await publish(
    ctx,
    [unitAudience(to.id), isOfficeKind(raw.kind) ? intakeAudience(to.id) : unitAudience(raw.id)],
    'request.received',
    {
      eventId,
      requestId: req.id,
      fromUnitId: actor.acting.id,
    },
  );
  return presentRequest(req);
}

export function presentRequest(r: any) {
  return {
    id: r.id,
    eventId: r.event_id,
    fromUnitId: r.from_unit_id,
    toUnitId: r.to_unit_id,
    message: r.message,
    at: r.at,
    userId: r.user_id,
    answeredReportId: r.answered_report_id,
    answeredAt: r.answered_at,
  };
}

/**
 * 一提前: before releasing an event to the public, the party office of the responsible unit's area must have
 * it — a report of the event arrived in that area's intake (or the area itself reported it).
 */
export async function partyOfficeInformed(ctx: Ctx, ev: EventRow): Promise<boolean> {
  const resp = await unitRow(ctx, ev.responsible_unit_id);
  const areaId = areaIdOf({ id: resp.id, kind: resp.kind, parentId: resp.parent_id });
  const r = await ctx.tx.execute(sql`
    select 1 from report_deliveries d where d.event_id = ${ev.id} and d.to_unit_id = ${areaId}
    union all
    select 1 from reports r where r.event_id = ${ev.id} and r.unit_id = ${areaId} and r.status in ('sent', 'recorded')
    limit 1`);
  return (r.rowCount ?? 0) > 0;
}

export async function publishEvent(ctx: Ctx, eventId: string, input: { text: string }) {
  const actor = ctx.actor!;
  requireEventWriter(actor);
  const ev = await getVisibleEvent(ctx, eventId, true);
  if (!ev) throw notFound();
  await requireEventInArea(ctx, actor, ev);
  if (!(await partyOfficeInformed(ctx, ev))) throw new AppError(409, 'party_office_not_informed');
  const r =
    await ctx.tx.execute<any>(sql`insert into event_publications (event_id, text, at, user_id, unit_id)
    values (${eventId}, ${input.text.trim()}, ${ctx.clock.now().toISOString()}, ${actor.id}, ${actor.acting.id}) returning *`);
  await audit(ctx, {
    stream: `event:${eventId}`,
    action: 'published',
    entityType: 'publication',
    entityId: r.rows[0].id,
    data: { text: input.text.trim() },
  });
  const p = r.rows[0];
  return { id: p.id, eventId, text: p.text, at: p.at, userId: p.user_id, unitId: p.unit_id };
}
