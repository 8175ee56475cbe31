import { audit } from '../../floor/audit.js';
import type { Actor, UserCtx } from '../../floor/context.js';
import { badRequest, conflict, forbidden, notFound } from '../../floor/errors.js';
import { publish, unitAudience } from '../../floor/outbox.js';
import { authorize, can } from '../../floor/policy.js';
import { addTimers, cancelTimers, type TimerHandler } from '../../floor/timers.js';
import { checkHappenedAt } from '../../floor/times.js';
import { notify, usersActingFor } from '../notify/notify.js';
import {
  type CommissionRow,
  insertCommission,
  listCommissionRows,
  loadCommission,
  loadCommissionsByIds,
  setCommissionFields,
} from './affairs.repo.js';
import { actingUnit, iso, scoringNow } from './common.js';
import './messages.js';
import { affairsPolicy, isSectionOffice } from './policy.js';
import { type CommissionStatus, commissionStatus, MISSED_AFTER_MS } from './rules.js';
import { commissionTopic } from './topics.service.js';

const stream = (id: string) => `affairs_commission:${id}`;
const TOLD = ['reporter', 'approver', 'principal'];

export function presentCommission(a: Actor | null, c: CommissionRow, now: Date) {
  const s = commissionStatus(
    { dueAt: new Date(c.due_at), firstSentAt: c.first_sent_at, offlineDeliveredAt: c.offline_delivered_at },
    now,
  );
  return {
    id: c.id,
    title: c.title,
    topicId: c.topic_id,
    issuerAreaId: c.issuer_area_id,
    issuerAreaName: c.issuer_area_name,
    issuerOfficeId: c.issuer_office_id,
    issuerOfficeName: c.issuer_office_name,
    toUnitId: c.to_unit_id,
    toUnitName: c.to_unit_name,
    dueAt: iso(c.due_at)!,
    createdAt: iso(c.created_at)!,
    status: s.status,
    overdue: s.overdue,
    deliveredAt: iso(s.deliveredAt),
    firstSentAt: iso(c.first_sent_at),
    firstPieceId: c.first_piece_id,
    offlineDeliveredAt: iso(c.offline_delivered_at),
    offlineNote: c.offline_note,
    scoringVersion: c.scoring_version,
    can: {
      recordDelivery:
        !s.deliveredAt && can(a, affairsPolicy, 'recordDelivery', { issuerAreaId: c.issuer_area_id }),
      writePiece: !!a && a.acting.id === c.to_unit_id && a.roles.includes('reporter'),
    },
  };
}
export type CommissionOut = ReturnType<typeof presentCommission>;

async function visibleCommission(ctx: UserCtx, id: string, lock = false): Promise<CommissionRow> {
  const c = await loadCommission(ctx, id, lock);
  if (!c || !(c.to_unit_path.includes(ctx.actor.acting.id) || ctx.actor.acting.parentId === null))
    throw notFound('commission_not_found');
  return c;
}

export async function getCommission(ctx: UserCtx, id: string) {
  return presentCommission(ctx.actor, await visibleCommission(ctx, id), ctx.clock.now());
}

/**
 * POST /api/affairs/commissions (约稿): an editor of an area's party or government office asks a unit of the area's
 * subtree for a piece by `dueAt` (which may lie in the past: a commission made on paper, entered afterwards). An
 * office id in `toUnitId` means its area. Timers: overdue at `dueAt`, the missed judgement 24 h after it.
 */
export async function createCommission(
  ctx: UserCtx,
  body: { toUnitId: string; title: string; dueAt: string; topicId?: string | null },
): Promise<CommissionOut> {
  const a = ctx.actor;
  if (!isSectionOffice(a)) throw forbidden('commission_not_section');
  const to = await actingUnit(ctx, body.toUnitId);
  if (!to) throw badRequest('commission_unit_unknown');
  if (!can(a, affairsPolicy, 'commission', { id: to.id, path: to.path }))
    throw forbidden('commission_out_of_scope', { unitId: to.id });
  const dueAt = new Date(body.dueAt);
  const now = ctx.clock.now();
  const rules = await scoringNow(ctx);
  const id = await insertCommission(ctx, {
    title: body.title,
    topicId: body.topicId ?? null,
    issuerAreaId: a.acting.id,
    issuerOfficeId: a.unitId,
    toUnitId: to.id,
    dueAt,
    scoringVersion: rules.version,
  });
  if (body.topicId) await commissionTopic(ctx, body.topicId, id);
  await audit(ctx, {
    stream: stream(id),
    action: 'commission_issued',
    entityType: 'affairs_commission',
    entityId: id,
    data: { title: body.title, toUnitId: to.id, dueAt: dueAt.toISOString(), topicId: body.topicId ?? null },
  });
  const missAt = new Date(dueAt.getTime() + MISSED_AFTER_MS);
  // a commission entered after its due time: the overdue notice is skipped once the missed judgement is due too
  await addTimers(ctx, [
    ...(missAt.getTime() > now.getTime() ? [{ kind: 'affairs.commission_due', refId: id, dueAt }] : []),
    { kind: 'affairs.commission_missed', refId: id, dueAt: missAt },
  ]);
  await notify(ctx, {
    userIds: await usersActingFor(ctx, to.id, TOLD),
    kind: 'affairs.commissioned',
    title: `【约稿】${body.title}`,
    body: `${a.unit.name}约稿，请于 ${dueAt.toISOString()} 前报送。`,
    data: { commissionId: id },
  });
  await publish(ctx, [unitAudience(to.id), unitAudience(a.acting.id)], 'affairs.commission', {
    commissionId: id,
  });
  return getCommission(ctx, id);
}

export async function listCommissions(
  ctx: UserCtx,
  q: { status?: CommissionStatus; toUnitId?: string; topicId?: string; overdue?: boolean },
) {
  let toUnitId: string | undefined;
  if (q.toUnitId) toUnitId = (await actingUnit(ctx, q.toUnitId))?.id ?? q.toUnitId;
  const now = ctx.clock.now();
  const rows = await listCommissionRows(ctx, ctx.actor, { toUnitId, topicId: q.topicId }, 1000);
  const items = rows
    .map((c) => presentCommission(ctx.actor, c, now))
    .filter(
      (c) => (!q.status || c.status === q.status) && (q.overdue === undefined || c.overdue === q.overdue),
    );
  return {
    items,
    nextCursor: null,
    can: { commission: can(ctx.actor, affairsPolicy, 'commission', null) },
  };
}

/** An editor of the commissioning section records a delivery made on paper, with its time (logged). */
export async function recordDelivery(
  ctx: UserCtx,
  id: string,
  body: { at: string; note?: string | null },
): Promise<CommissionOut> {
  const c = await visibleCommission(ctx, id, true);
  authorize(ctx.actor, affairsPolicy, 'recordDelivery', { issuerAreaId: c.issuer_area_id });
  if (c.first_sent_at || c.offline_delivered_at) throw conflict('commission_already_delivered');
  const now = ctx.clock.now();
  const at = new Date(body.at);
  checkHappenedAt(now, 'at', at);
  await setCommissionFields(ctx, id, { offlineDeliveredAt: at, offlineNote: body.note ?? null });
  const judged = commissionStatus(
    { dueAt: new Date(c.due_at), firstSentAt: null, offlineDeliveredAt: at },
    now,
  );
  await cancelTimers(ctx, id);
  await audit(ctx, {
    stream: stream(id),
    action: 'commission_delivered_offline',
    entityType: 'affairs_commission',
    entityId: id,
    data: { at: at.toISOString(), note: body.note ?? null, status: judged.status },
  });
  return getCommission(ctx, id);
}

/** The commission clocks: overdue at `dueAt` (the unit is reminded), missed 24 h later (logged, final). */
const due: TimerHandler = async (ctx, timers) => {
  const rows = await loadCommissionsByIds(ctx, [...new Set(timers.map((t) => t.ref_id))]);
  const now = ctx.clock.now();
  for (const c of rows) {
    const s = commissionStatus(
      { dueAt: new Date(c.due_at), firstSentAt: c.first_sent_at, offlineDeliveredAt: c.offline_delivered_at },
      now,
    );
    if (!s.overdue) continue;
    await audit(ctx, {
      stream: stream(c.id),
      action: 'commission_overdue',
      entityType: 'affairs_commission',
      entityId: c.id,
      unitId: c.to_unit_id,
      data: { dueAt: iso(c.due_at) },
    });
    await notify(ctx, {
      userIds: await usersActingFor(ctx, c.to_unit_id, TOLD),
      kind: 'affairs.commission_overdue',
      title: `【约稿超期】${c.title}`,
      body: `约稿已到期，24 小时内未报送将记为未报送（扣分）。`,
      data: { commissionId: c.id },
      urgent: true,
      dedupeKey: `affairs.commission_overdue:${c.id}`,
    });
  }
};

const missed: TimerHandler = async (ctx, timers) => {
  const rows = await loadCommissionsByIds(ctx, [...new Set(timers.map((t) => t.ref_id))]);
  const now = ctx.clock.now();
  for (const c of rows) {
    const s = commissionStatus(
      { dueAt: new Date(c.due_at), firstSentAt: c.first_sent_at, offlineDeliveredAt: c.offline_delivered_at },
      now,
    );
    if (s.status !== 'missed' || c.missed_at) continue;
    await setCommissionFields(ctx, c.id, { missedAt: s.judgedAt! });
    await audit(ctx, {
      stream: stream(c.id),
      action: 'commission_missed',
      entityType: 'affairs_commission',
      entityId: c.id,
      unitId: c.to_unit_id,
      data: { dueAt: iso(c.due_at), judgedAt: iso(s.judgedAt) },
    });
    await notify(ctx, {
      userIds: [
        ...(await usersActingFor(ctx, c.to_unit_id, ['principal', 'approver'])),
        ...(c.created_by ? [c.created_by] : []),
      ],
      kind: 'affairs.commission_missed',
      title: `【约稿未报送】${c.title}`,
      body: `${c.to_unit_name}未在约稿时限后 24 小时内报送，记为未报送。`,
      data: { commissionId: c.id },
      dedupeKey: `affairs.commission_missed:${c.id}`,
    });
  }
};

export const commissionTimers = new Map<string, TimerHandler>([
  ['affairs.commission_due', due],
  ['affairs.commission_missed', missed],
]);
