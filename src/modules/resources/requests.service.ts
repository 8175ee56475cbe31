import { audit } from '../../floor/audit.js';
import type { Actor, UserCtx } from '../../floor/context.js';
import { conflict, notFound } from '../../floor/errors.js';
import { authorize, can } from '../../floor/policy.js';
import { getEvent, getVisibleEvent } from '../emergency/emergency.repo.js';
import { notify } from '../notify/notify.js';
import './messages.js';
import { resourcesPolicy } from './policy.js';
import {
  decideRequest,
  dispatchersOf,
  insertRequest,
  listRequests,
  type RequestRow,
  readableEntry,
  visibleRequest,
} from './resources.repo.js';
import { fromMilli, milliText, toMilli } from './rules.js';
import { dispatchLocked, milliOf } from './stock.service.js';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function presentRequest(a: Actor, r: RequestRow) {
  const decide =
    r.status === 'requested' &&
    can(a, resourcesPolicy, 'dispatch', { unitId: r.warehouse_unit_id, areaId: r.warehouse_area_id });
  return {
    id: r.id,
    eventId: r.event_id,
    eventTitle: r.event_title,
    warehouseId: r.warehouse_id,
    warehouseName: r.warehouse_name,
    itemCode: r.item_code,
    itemName: r.item_name ?? r.item_code,
    unit: r.unit,
    quantity: Number(r.quantity),
    reason: r.reason,
    status: r.status as 'requested' | 'approved' | 'declined',
    requestingUnitId: r.requesting_unit_id,
    requestingUnitName: r.requesting_unit_name,
    requestedByName: r.requested_by_name,
    requestedAt: iso(r.requested_at)!,
    decidedByName: r.decided_by_name,
    decidedAt: iso(r.decided_at),
    declineReason: r.decline_reason,
    allocationId: r.allocation_id,
    can: { approve: decide, decline: decide },
  };
}

async function requestOf(ctx: UserCtx, id: string, lock = false) {
  const r = await visibleRequest(ctx, ctx.actor, id, lock);
  if (!r) throw notFound('allocation_request_not_found');
  return r;
}

/** POST /api/events/{id}/allocation-requests: ask a warehouse's dispatchers for supplies for an event. */
export async function requestSupplies(
  ctx: UserCtx,
  eventId: string,
  body: { warehouseId: string; itemCode: string; quantity: number; reason?: string | null },
) {
  const ev = await getVisibleEvent(ctx, eventId);
  if (!ev) throw notFound('event_not_found');
  if (ev.status === 'closed') throw conflict('event_closed');
  const q = milliOf(body.quantity);
  const w = await readableEntry(ctx, ctx.actor, 'warehouse', body.warehouseId);
  if (!w) throw notFound('warehouse_not_found', { warehouseId: body.warehouseId });
  const id = await insertRequest(ctx, {
    eventId,
    warehouseId: w.id,
    itemCode: body.itemCode,
    quantity: milliText(q),
    reason: body.reason || null,
  });
  await audit(ctx, {
    stream: `event:${eventId}`,
    action: 'supplies_requested',
    entityType: 'allocation_request',
    entityId: id,
    data: {
      warehouseId: w.id,
      warehouseName: w.name,
      itemCode: body.itemCode,
      quantity: fromMilli(q),
      reason: body.reason || null,
    },
  });
  await notify(ctx, {
    userIds: await dispatchersOf(ctx, w.unit_id, w.area_id),
    kind: 'supplies.requested',
    title: `【物资调拨申请】${ev.title}`,
    body: `${ctx.actor.acting.name}申请从${w.name}调拨 ${body.itemCode} ${fromMilli(q)}${body.reason ? `：${body.reason}` : ''}`,
    data: { requestId: id, eventId },
    eventId,
  });
  return presentRequest(ctx.actor, await requestOf(ctx, id));
}

/** POST /api/allocation-requests/{id}/approve: a dispatcher of the warehouse's area approves — it dispatches. */
export async function approveRequest(ctx: UserCtx, id: string) {
  const r = await requestOf(ctx, id, true);
  authorize(ctx.actor, resourcesPolicy, 'dispatch', {
    unitId: r.warehouse_unit_id,
    areaId: r.warehouse_area_id,
  });
  if (r.status !== 'requested') throw conflict('allocation_request_decided', { status: r.status });
  const ev = await getEvent(ctx, r.event_id);
  if (!ev || ev.status === 'closed') throw conflict('event_closed');
  const allocationId = await dispatchLocked(ctx, {
    eventId: r.event_id,
    warehouse: { id: r.warehouse_id, name: r.warehouse_name, unit_id: r.warehouse_unit_id },
    itemCode: r.item_code,
    quantity: toMilli(r.quantity)!,
    requestId: r.id,
  });
  await decideRequest(ctx, id, { status: 'approved', allocationId, declineReason: null });
  await notify(ctx, {
    userIds: [r.requested_by],
    kind: 'supplies.approved',
    title: `【物资已调拨】${r.event_title}`,
    body: `${r.warehouse_name}已调拨 ${r.item_name ?? r.item_code} ${Number(r.quantity)}${r.unit ?? ''}`,
    data: { requestId: id, eventId: r.event_id, allocationId },
    eventId: r.event_id,
  });
  return presentRequest(ctx.actor, await requestOf(ctx, id));
}

/** POST /api/allocation-requests/{id}/decline: with a reason, logged on the event; the requester is told. */
export async function declineRequest(ctx: UserCtx, id: string, body: { reason: string }) {
  const r = await requestOf(ctx, id, true);
  authorize(ctx.actor, resourcesPolicy, 'dispatch', {
    unitId: r.warehouse_unit_id,
    areaId: r.warehouse_area_id,
  });
  if (r.status !== 'requested') throw conflict('allocation_request_decided', { status: r.status });
  await decideRequest(ctx, id, { status: 'declined', allocationId: null, declineReason: body.reason });
  await audit(ctx, {
    stream: `event:${r.event_id}`,
    action: 'supplies_request_declined',
    entityType: 'allocation_request',
    entityId: id,
    data: { reason: body.reason },
  });
  await notify(ctx, {
    userIds: [r.requested_by],
    kind: 'supplies.declined',
    title: `【物资调拨申请未同意】${r.event_title}`,
    body: `${r.warehouse_name}：${body.reason}`,
    data: { requestId: id, eventId: r.event_id },
    eventId: r.event_id,
  });
  return presentRequest(ctx.actor, await requestOf(ctx, id));
}

export async function requestList(ctx: UserCtx, f: { eventId?: string; status?: string }) {
  if (f.eventId && !(await getVisibleEvent(ctx, f.eventId))) throw notFound('event_not_found');
  return {
    items: (await listRequests(ctx, ctx.actor, f)).map((r) => presentRequest(ctx.actor, r)),
    nextCursor: null,
  };
}
