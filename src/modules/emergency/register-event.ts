/**
 * 登记事件 as load → decide → write: one statement loads what the decision needs (the category, the rule-set
 * versions in force, the responsible unit with the units above it, candidate departments); `decideRegistration`
 * computes the event, the units it concerns, its deadlines and their timers without the database; one statement
 * writes the event, its units and its deadlines, and the command's end writes the log entry, timers and live
 * messages together (`floor/batch.ts`). A phone registration records the caller's report too and then takes
 * the general path for its deadlines (the report may meet one).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import { freshStream } from '../../floor/batch.js';
import type { Actor, Ctx } from '../../floor/context.js';
import { badRequest, forbidden } from '../../floor/errors.js';
import { intakeAudience, publish, unitAudience } from '../../floor/outbox.js';
import { currentRuleSet, getRuleSet, type RuleKind } from '../../floor/rule-sets.js';
import { addTimers } from '../../floor/timers.js';
import { FUTURE_SKEW_MS } from '../../floor/times.js';
import { notify, usersActingFor } from '../notify/notify.js';
import { type ChainUnit, desiredDeadlines, invertedFlowUnits, reportingChain } from '../timeliness/chain.js';
import {
  activeOrder,
  type DeadlineRow,
  deadlineTimers,
  initialDeadlines,
  insertDeadlinesSql,
  presentDeadline,
  recomputeDeadlines,
} from '../timeliness/deadlines.js';
import type { TimelinessRuleSet } from '../timeliness/rules.js';
import { actingUnitIdOf, areaIdOf } from '../units/acting.js';
import { presentEvent, presentEventCore } from './emergency.queries.js';
import {
  type EventRow,
  type LoadedUnit,
  loadRegistration,
  type RegistrationLoad,
  unitRow,
  uuidArray,
} from './emergency.repo.js';
import type { CreateEventInput } from './events.service.js';
import { normCasualties, normFlags } from './events.service.js';
import { LEVEL_ZH } from './messages.js';
import { evaluateMustReport, type MustReportRuleSet } from './must-report.js';
import { mayMakeResponsible, requireEventWriter } from './policy.js';
import { insertPhoneReport } from './reports.service.js';
import { type ResponsibleDepartmentRow, responsibleDepartmentTypes } from './responsible-departments.js';

const asChainUnit = (u: LoadedUnit): ChainUnit => ({
  id: u.id,
  kind: u.kind,
  level: u.level,
  parentId: u.parent_id,
  path: u.path,
});

export interface RegistrationRules {
  mustReport: { version: number; body: MustReportRuleSet };
  timeliness: { version: number; body: TimelinessRuleSet };
  responsibleDepartments: { rows: ResponsibleDepartmentRow[] };
}

/** What registering decides: the event's columns, the units it concerns, its deadlines and timers. */
export interface RegistrationDecision {
  eventId: string;
  responsible: LoadedUnit;
  areaId: string;
  deptIds: string[];
  chainToIds: string[];
  inverted: string[];
  mustReport: ReturnType<typeof evaluateMustReport>;
  casualties: ReturnType<typeof normCasualties>;
  flags: ReturnType<typeof normFlags>;
  place: { divisionCode: string | null; address: string; lng: number | null; lat: number | null };
  eventUnits: Array<{ unitId: string; reason: string }>;
  /** decided here unless the registration is a phone call (then recomputed after the caller's report) */
  deadlines: DeadlineRow[];
  timers: Array<{ kind: string; refId: string; dueAt: Date; payload: Record<string, unknown> }>;
}

/**
 * The pure decision of a registration. Refusals come in the order the API has always given them: the unit
 * named as responsible must exist and lie in the area the person acts for.
 */
export function decideRegistration(p: {
  actor: Actor;
  input: CreateEventInput;
  now: Date;
  occurredAt: Date;
  load: RegistrationLoad;
  rules: RegistrationRules;
  callerActing: string | null;
  eventId?: string;
  newId?: () => string;
}): RegistrationDecision {
  const { actor, input, load, rules } = p;
  const byId = new Map(load.pathUnits.map((u) => [u.id, u]));
  const rawId = input.responsibleUnitId ?? actor.acting.id;
  const raw = byId.get(rawId);
  if (!raw) throw badRequest('responsible_unit_not_found', { responsibleUnitId: input.responsibleUnitId });
  const responsible = byId.get(actingUnitIdOf({ id: raw.id, kind: raw.kind, parentId: raw.parent_id }))!;
  // the area the person acts for decides, whatever their other roles (an administrator's included)
  if (!mayMakeResponsible(actor, responsible.path))
    throw forbidden('responsible_unit_out_of_scope', { responsibleUnitId: responsible.id });
  const casualties = normCasualties(input.casualties);
  const flags = normFlags(input.flags);
  const place = {
    divisionCode: input.place.divisionCode ?? null,
    address: input.place.address,
    lng: input.place.lng ?? null,
    lat: input.place.lat ?? null,
  };
  const mustReport = evaluateMustReport(
    {
      level: input.level,
      categoryCode: input.categoryCode,
      casualties,
      flags,
      address: place.address,
      occurredAt: p.occurredAt,
      requested: false,
    },
    rules.mustReport.body,
    rules.mustReport.version,
  );
  const areaId = areaIdOf({ id: responsible.id, kind: responsible.kind, parentId: responsible.parent_id });
  const types = responsibleDepartmentTypes(rules.responsibleDepartments, input.categoryCode, flags);
  const deptIds = types.length
    ? load.departments
        .filter(
          (d) => d.parent_id === areaId && d.department_type !== null && types.includes(d.department_type),
        )
        .map((d) => d.id)
        .filter((d) => d !== responsible.id)
    : [];
  // 信息倒挂: chain units below the registrar that had not reported when the event was registered
  const units = new Map(
    load.pathUnits.filter((u) => responsible.path.includes(u.id)).map((u) => [u.id, asChainUnit(u)]),
  );
  const chain = reportingChain(
    units.get(responsible.id)!,
    units,
    rules.timeliness.body,
    input.level,
    input.categoryCode,
  );
  const chainUnits = chain.map((l) => l.from);
  const inverted = invertedFlowUnits(
    chainUnits.length ? chainUnits : [units.get(responsible.id)!],
    {
      id: actor.acting.id,
      kind: actor.acting.kind,
      level: actor.acting.level,
      parentId: actor.acting.parentId,
      path: actor.acting.path,
    },
    new Set(p.callerActing ? [p.callerActing] : []),
  );
  const eventId = p.eventId ?? randomUUID();
  const eventUnits: Array<{ unitId: string; reason: string }> = [];
  const seen = new Set<string>();
  const concern = (ids: string[], reason: string) => {
    for (const unitId of ids)
      if (unitId && !seen.has(`${unitId} ${reason}`)) {
        seen.add(`${unitId} ${reason}`);
        eventUnits.push({ unitId, reason });
      }
  };
  concern([responsible.id], 'responsible');
  concern([actor.acting.id], 'registrar');
  concern(
    chain.map((l) => l.toId),
    'chain',
  );
  concern(deptIds, 'responsible_department');
  if (p.callerActing) concern([p.callerActing], 'caller');

  const deadlines =
    p.callerActing || !mustReport.required
      ? []
      : initialDeadlines({
          eventId,
          occurredAt: p.occurredAt,
          now: p.now,
          timelinessVersion: rules.timeliness.version,
          rs: rules.timeliness.body,
          desired: desiredDeadlines(chain),
          newId: p.newId,
        });
  const timers = [
    ...deadlines.flatMap((d) => deadlineTimers(d, rules.timeliness.body, p.now)),
    {
      kind: 'event.key_items',
      refId: eventId,
      dueAt: new Date(p.occurredAt.getTime() + rules.timeliness.body.keyItemsCheckMinutes * 60_000),
      payload: {},
    },
  ];
  return {
    eventId,
    responsible,
    areaId,
    deptIds,
    chainToIds: chain.map((l) => l.toId),
    inverted,
    mustReport,
    casualties,
    flags,
    place,
    eventUnits,
    deadlines,
    timers,
  };
}

/** The versions in force (read with the load) and their bodies (cached by kind and version: they never change). */
async function rulesInForce(ctx: Ctx, versions: Record<string, number>): Promise<RegistrationRules> {
  const get = async <T>(kind: RuleKind) =>
    versions[kind] ? getRuleSet<T>(ctx.tx, kind, versions[kind]) : currentRuleSet<T>(ctx.tx, kind);
  const [m, t, d] = [
    await get<MustReportRuleSet>('must_report'),
    await get<TimelinessRuleSet>('timeliness'),
    await get<{ rows: ResponsibleDepartmentRow[] }>('responsible_departments'),
  ];
  return {
    mustReport: { version: m.version, body: m.body },
    timeliness: { version: t.version, body: t.body },
    responsibleDepartments: d.body,
  };
}

/** 登记事件: register an event and answer with it as the API presents events. */
export async function registerEvent(ctx: Ctx, input: CreateEventInput) {
  const actor = ctx.actor!;
  requireEventWriter(actor);
  const now = ctx.clock.now();
  const load = await loadRegistration(ctx, input.categoryCode, input.responsibleUnitId ?? actor.acting.id);
  if (!load.categoryExists) throw badRequest('unknown_category', { categoryCode: input.categoryCode });
  const occurredAt = new Date(input.occurredAt);
  if (occurredAt.getTime() > now.getTime() + FUTURE_SKEW_MS) throw badRequest('occurred_in_future');
  const learnedAt = input.learnedAt ? new Date(input.learnedAt) : null;
  if (learnedAt && learnedAt < occurredAt) throw badRequest('learned_before_occurred');
  const source = input.source ?? 'self';
  let caller: any = null;
  let calledAt: Date | null = null;
  if (source === 'phone') {
    const missing = (['callerUnitId', 'callerName', 'callerPhone'] as const).filter(
      (k) => !input[k]?.toString().trim(),
    );
    if (missing.length) throw badRequest('caller_required', { missing });
    caller = await unitRow(ctx, input.callerUnitId!);
    if (!caller) throw badRequest('unknown_unit', { unitId: input.callerUnitId });
    calledAt = input.calledAt ? new Date(input.calledAt) : now;
    if (calledAt.getTime() > now.getTime() + FUTURE_SKEW_MS || calledAt < occurredAt)
      throw badRequest('called_at_invalid');
  }
  const callerActing = caller
    ? actingUnitIdOf({ id: caller.id, kind: caller.kind, parentId: caller.parent_id })
    : null;
  const rules = await rulesInForce(ctx, load.versions);
  const d = decideRegistration({ actor, input, now, occurredAt, load, rules, callerActing });

  // one statement: the event, the units it concerns, its deadlines
  const parts = [
    sql`e as (insert into events (id, title, category_code, level, occurred_at, learned_at, registered_at, place,
      responsible_unit_id, registered_by_unit_id, registered_by_user_id, source, summary, casualties, direct_loss_yuan,
      flags, inverted_flow, must_report, timeliness_version, must_report_version, responsible_department_ids,
      classification)
    values (${d.eventId}, ${input.title.trim()}, ${input.categoryCode}, ${input.level}, ${occurredAt.toISOString()},
      ${learnedAt?.toISOString() ?? null}, ${now.toISOString()}, ${JSON.stringify(d.place)}::jsonb, ${d.responsible.id},
      ${actor.acting.id}, ${actor.id}, ${source}, ${input.summary ?? null}, ${JSON.stringify(d.casualties)}::jsonb,
      ${input.directLossYuan ?? null}, ${JSON.stringify(d.flags)}::jsonb, ${uuidArray(d.inverted)},
      ${JSON.stringify(d.mustReport)}::jsonb, ${rules.timeliness.version}, ${rules.mustReport.version},
      ${uuidArray(d.deptIds)}, ${input.classification ?? 'public'})
    returning *)`,
    sql`u as (insert into event_units (event_id, unit_id, reason) values ${sql.join(
      d.eventUnits.map((x) => sql`(${d.eventId}, ${x.unitId}, ${x.reason})`),
      sql`, `,
    )} on conflict do nothing)`,
  ];
  if (d.deadlines.length) parts.push(sql`d as (${insertDeadlinesSql(d.deadlines)})`);
  const ev = (await ctx.tx.execute<EventRow>(sql`with ${sql.join(parts, sql`, `)} select * from e`)).rows[0];

  freshStream(ctx, `event:${ev.id}`);
  await audit(ctx, {
    stream: `event:${ev.id}`,
    action: 'event_registered',
    entityType: 'event',
    entityId: ev.id,
    data: {
      title: ev.title,
      categoryCode: ev.category_code,
      level: ev.level,
      occurredAt: ev.occurred_at,
      responsibleUnitId: ev.responsible_unit_id,
      source,
      mustReport: d.mustReport,
      invertedFlow: d.inverted,
      timelinessVersion: rules.timeliness.version,
    },
  });

  if (caller) {
    await insertPhoneReport(ctx, ev, {
      callerUnit: caller,
      callerName: input.callerName!,
      callerPhone: input.callerPhone!,
      callerPost: input.callerPost ?? null,
      calledAt: calledAt!,
      toldLeaders: input.toldLeaders ?? null,
      elements: {
        occurredAt: occurredAt.toISOString(),
        place: d.place.address,
        cause: input.summary ?? input.title,
        casualties: d.casualties,
      },
      pendingElements: {},
    });
    await recomputeDeadlines(ctx, { eventId: ev.id, reason: 'registered', initial: true });
  }
  await addTimers(ctx, d.timers);

  // whoever must report learns at once: the responsible unit (when someone else registered it) and departments
  const title = `【${ev.level ? LEVEL_ZH[ev.level] : '未分级'}】${ev.title}`;
  if (d.responsible.id !== actor.acting.id && d.responsible.id !== callerActing) {
    const users = await usersActingFor(ctx, d.responsible.id, [
      'reporter',
      'approver',
      'principal',
      'editor',
    ]);
    await notify(ctx, {
      userIds: users,
      kind: 'event.registered_above',
      title: `上级已登记事件，请立即报告：${ev.title}`,
      body: `${actor.acting.name}已登记${title}，请立即按时限报告。`,
      data: { eventId: ev.id },
      urgent: true,
      eventId: ev.id,
    });
  }
  for (const dept of d.deptIds) {
    const users = await usersActingFor(ctx, dept, ['reporter', 'approver', 'principal']);
    await notify(ctx, {
      userIds: users,
      kind: 'event.responsible_department',
      title: `请按职责报送：${ev.title}`,
      body: `${title} 属于贵单位职责范围，请及时核实并报送。`,
      data: { eventId: ev.id },
      eventId: ev.id,
    });
  }
  await publish(
    ctx,
    [unitAudience(d.responsible.id), intakeAudience(d.areaId), ...d.deptIds.map(unitAudience)],
    'event.created',
    { eventId: ev.id, title: ev.title, level: ev.level },
  );
  // a phone registration read its deadlines back; otherwise the answer is what was just written
  if (caller) return { event: ev, answer: await presentEvent(ctx, ev) };
  return { event: ev, answer: presentNewEvent(ev, d.deadlines, now) };
}

/** A just-registered event as `presentEvent` shows it: no reports, requests or changes yet. */
export function presentNewEvent(ev: EventRow, deadlines: DeadlineRow[], now: Date) {
  return {
    ...presentEventCore(ev),
    reports: [],
    deadlines: activeOrder(deadlines).map((x) => presentDeadline(x, now)),
    supersededDeadlines: [],
    pendingElements: [],
    requests: [],
    changes: [],
  };
}
