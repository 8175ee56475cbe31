import type { z } from 'zod';
import { supplyItem } from '../../contract/resources.js';
import { audit } from '../../floor/audit.js';
import type { UserCtx } from '../../floor/context.js';
import { badRequest, conflict, notFound, unprocessable } from '../../floor/errors.js';
import { publish, unitAudience } from '../../floor/outbox.js';
import { authorize } from '../../floor/policy.js';
import { getVisibleEvent } from '../emergency/emergency.repo.js';
import './messages.js';
import { resourcesPolicy } from './policy.js';
import { ownedRef } from './registers.service.js';
import {
  type AllocationRow,
  addBatch,
  allocationsOf,
  batchesOf,
  copyStockItem,
  ensureStockItem,
  insertAllocation,
  insertMove,
  listMoves,
  listStock,
  lockStock,
  type MoveRow,
  readableEntry,
  setBatchQuantity,
  setStockQuantity,
} from './resources.repo.js';
import type { moveBody } from './resources.schema.js';
import { expiresSoon, fromMilli, milliText, takeEarliestExpiry, toMilli } from './rules.js';

type MoveBody = z.infer<typeof moveBody>;

const iso = (d: Date) => new Date(d).toISOString();
/** today's date in Beijing */
const beijingToday = (now: Date) => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

export function milliOf(q: number): number {
  const m = toMilli(q);
  if (m === null || m <= 0) throw badRequest('stock_quantity_decimals');
  return m;
}

async function warehouse(ctx: UserCtx, id: string) {
  const w = await readableEntry(ctx, ctx.actor, 'warehouse', id);
  if (!w) throw notFound('warehouse_not_found', { warehouseId: id });
  return w;
}

async function openEvent(ctx: UserCtx, id: string) {
  const ev = await getVisibleEvent(ctx, id);
  if (!ev) throw notFound('event_not_found');
  return ev;
}

/**
 * Take `q` thousandths of an item out of a warehouse whose stock row is locked: batches earliest expiry first,
 * never negative (409 insufficient_stock with what there is). Returns the parts taken and the new total.
 */
async function takeOut(
  ctx: UserCtx,
  warehouseId: string,
  itemCode: string,
  q: number,
  row: { quantity: string } | undefined,
) {
  const available = row ? toMilli(row.quantity)! : 0;
  const batches = row ? await batchesOf(ctx, warehouseId, itemCode) : [];
  const taken = takeEarliestExpiry(
    batches.map((b) => ({ id: b.id, expiresOn: b.expires_on, quantity: toMilli(b.quantity)! })),
    q,
  );
  if (!taken || available < q)
    throw conflict('insufficient_stock', { warehouseId, itemCode, available: fromMilli(available) });
  for (const b of taken.left) {
    const before = batches.find((x) => x.id === b.id)!;
    if (toMilli(before.quantity) !== b.quantity) await setBatchQuantity(ctx, b.id!, milliText(b.quantity));
  }
  const total = available - q;
  await setStockQuantity(ctx, warehouseId, itemCode, milliText(total));
  return { taken: taken.taken.map((b) => ({ expiresOn: b.expiresOn, quantity: b.quantity })), total };
}

const presentBatches = (bs: { expiresOn: string | null; quantity: number }[]) =>
  bs.map((b) => ({ expiresOn: b.expiresOn, quantity: fromMilli(b.quantity) }));

/** POST /api/resources/stock-moves: in / out / transfer / loss by the warehouse's keepers; never negative. */
export async function recordMove(ctx: UserCtx, body: MoveBody) {
  const q = milliOf(body.quantity);
  const w = await warehouse(ctx, body.warehouseId);
  authorize(ctx.actor, resourcesPolicy, 'moveStock', ownedRef(w));
  if (body.kind === 'transfer' && !body.toWarehouseId) throw badRequest('stock_transfer_target_required');
  if (body.kind !== 'transfer' && body.toWarehouseId) throw badRequest('stock_target_only_for_transfer');
  if (body.kind === 'transfer' && body.toWarehouseId === body.warehouseId)
    throw badRequest('stock_transfer_same_warehouse');
  if (body.eventId) await openEvent(ctx, body.eventId);
  // stock out to an event is a dispatch: the warehouse's dispatchers decide it, not its keepers alone
  if (body.eventId && body.kind !== 'in') authorize(ctx.actor, resourcesPolicy, 'dispatch', ownedRef(w));
  const target = body.toWarehouseId ? await warehouse(ctx, body.toWarehouseId) : null;
  const catalogue = supplyItem(body.itemCode);
  const key = { warehouseId: w.id, itemCode: body.itemCode };

  let total: number;
  let unit: string;
  let batches: { expiresOn: string | null; quantity: number }[];
  if (body.kind === 'in') {
    const existing = (await lockStock(ctx, [key])).get(`${w.id}/${body.itemCode}`);
    const itemName = existing?.item_name ?? body.itemName ?? catalogue?.[1];
    const firstUnit = body.unit || catalogue?.[3];
    if (!itemName) throw unprocessable('stock_item_unknown', { itemCode: body.itemCode });
    if (!existing && !firstUnit) throw unprocessable('stock_unit_required', { itemCode: body.itemCode });
    const row = existing ?? (await ensureStockItem(ctx, { ...key, itemName, unit: firstUnit! }));
    if (body.unit && body.unit !== row.unit)
      throw unprocessable('stock_unit_mismatch', { itemCode: body.itemCode, unit: row.unit });
    unit = row.unit;
    await addBatch(ctx, { ...key, expiresOn: body.expiresOn ?? null, quantity: milliText(q) });
    total = toMilli(row.quantity)! + q;
    await setStockQuantity(ctx, w.id, body.itemCode, milliText(total));
    batches = [{ expiresOn: body.expiresOn ?? null, quantity: q }];
  } else {
    if (body.expiresOn) throw badRequest('stock_expiry_only_for_in');
    // the target's row exists before both rows are locked in one order: opposite transfers never deadlock
    if (target) await copyStockItem(ctx, key, target.id);
    const rows = await lockStock(
      ctx,
      target ? [key, { warehouseId: target.id, itemCode: body.itemCode }] : [key],
    );
    const row = rows.get(`${w.id}/${body.itemCode}`);
    if (row && body.unit && body.unit !== row.unit)
      throw unprocessable('stock_unit_mismatch', { itemCode: body.itemCode, unit: row.unit });
    const out = await takeOut(ctx, w.id, body.itemCode, q, row);
    total = out.total;
    unit = row!.unit;
    batches = out.taken;
    if (target) {
      const t = rows.get(`${target.id}/${body.itemCode}`)!;
      if (t.unit !== unit)
        throw unprocessable('stock_unit_mismatch', { itemCode: body.itemCode, unit: t.unit });
      for (const b of out.taken)
        await addBatch(ctx, {
          warehouseId: target.id,
          itemCode: body.itemCode,
          expiresOn: b.expiresOn,
          quantity: milliText(b.quantity),
        });
      await setStockQuantity(ctx, target.id, body.itemCode, milliText(toMilli(t.quantity)! + q));
    }
  }
  const move = await insertMove(ctx, {
    kind: body.kind,
    warehouseId: w.id,
    toWarehouseId: target?.id ?? null,
    itemCode: body.itemCode,
    quantity: milliText(q),
    unit,
    eventId: body.eventId ?? null,
    expiresOn: body.kind === 'in' ? (body.expiresOn ?? null) : null,
    reason: body.reason || null,
    batches,
  });
  await audit(ctx, {
    stream: `warehouse:${w.id}`,
    action: `stock_${body.kind}`,
    entityType: 'stock_move',
    entityId: move.id,
    data: {
      itemCode: body.itemCode,
      quantity: fromMilli(q),
      unit,
      toWarehouseId: target?.id ?? null,
      eventId: body.eventId ?? null,
      reason: body.reason || null,
      after: fromMilli(total),
      batches: presentBatches(batches),
    },
  });
  await publish(ctx, [unitAudience(w.unit_id)], 'stock.changed', {
    warehouseId: w.id,
    itemCode: body.itemCode,
  });
  return {
    id: move.id,
    kind: body.kind,
    warehouseId: w.id,
    toWarehouseId: target?.id ?? null,
    itemCode: body.itemCode,
    quantity: fromMilli(q),
    unit,
    eventId: body.eventId ?? null,
    expiresOn: body.kind === 'in' ? (body.expiresOn ?? null) : null,
    reason: body.reason || null,
    batches: presentBatches(batches),
    at: iso(move.at),
    stock: { warehouseId: w.id, itemCode: body.itemCode, quantity: fromMilli(total), unit },
  };
}

export async function stockList(ctx: UserCtx, f: { warehouseId?: string; itemCode?: string }) {
  const today = beijingToday(ctx.clock.now());
  const rows = await listStock(ctx, ctx.actor, f);
  return {
    items: rows.map((s) => {
      const batches = s.batches.map((b) => ({
        expiresOn: b.expiresOn,
        quantity: Number(b.quantity),
        expiringSoon: expiresSoon(b.expiresOn, today),
      }));
      return {
        warehouseId: s.warehouse_id,
        warehouseName: s.warehouse_name,
        itemCode: s.item_code,
        itemName: s.item_name,
        unit: s.unit,
        quantity: Number(s.quantity),
        expiringSoon: batches.some((b) => b.expiringSoon),
        batches,
      };
    }),
    nextCursor: null,
  };
}

export const presentMove = (m: MoveRow) => ({
  id: m.id,
  kind: m.kind as MoveBody['kind'],
  warehouseId: m.warehouse_id,
  toWarehouseId: m.to_warehouse_id,
  itemCode: m.item_code,
  quantity: Number(m.quantity),
  unit: m.unit,
  eventId: m.event_id,
  expiresOn: m.expires_on,
  reason: m.reason,
  batches: presentBatches(m.batches),
  userName: m.user_name,
  at: iso(m.at),
});

export async function moveList(ctx: UserCtx, f: { warehouseId?: string; eventId?: string }) {
  return { items: (await listMoves(ctx, ctx.actor, f)).map(presentMove), nextCursor: null };
}

export const presentAllocation = (x: AllocationRow) => ({
  id: x.id,
  eventId: x.event_id,
  warehouseId: x.warehouse_id,
  warehouseName: x.warehouse_name,
  itemCode: x.item_code,
  itemName: x.item_name,
  quantity: Number(x.quantity),
  unit: x.unit,
  status: x.status,
  moveId: x.move_id,
  dispatchedByName: x.dispatched_by_name,
  dispatchedAt: iso(x.dispatched_at),
});

/**
 * POST /api/events/{id}/allocations: dispatch from a warehouse to an event at once (a stock `out` with the
 * event), by a principal, duty leader or duty officer acting for the warehouse's owner or its area. The stock
 * row is locked: two dispatches racing for the last units — one wins, the other 409 insufficient_stock.
 */
export async function dispatchToEvent(
  ctx: UserCtx,
  eventId: string,
  body: { warehouseId: string; itemCode: string; quantity: number },
) {
  const ev = await openEvent(ctx, eventId);
  if (ev.status === 'closed') throw conflict('event_closed');
  const q = milliOf(body.quantity);
  const w = await warehouse(ctx, body.warehouseId);
  authorize(ctx.actor, resourcesPolicy, 'dispatch', ownedRef(w));
  const id = await dispatchLocked(ctx, { eventId, warehouse: w, itemCode: body.itemCode, quantity: q });
  return presentAllocation((await allocationsOf(ctx, eventId, id))[0]);
}

/**
 * The dispatch itself (the caller decided who may): lock the item's stock row, take it out earliest expiry
 * first (409 insufficient_stock, nothing written), record the move and the allocation, log on the event.
 */
export async function dispatchLocked(
  ctx: UserCtx,
  x: {
    eventId: string;
    warehouse: { id: string; name: string; unit_id: string };
    itemCode: string;
    quantity: number;
    requestId?: string;
  },
): Promise<string> {
  const w = x.warehouse;
  const key = { warehouseId: w.id, itemCode: x.itemCode };
  const row = (await lockStock(ctx, [key])).get(`${w.id}/${x.itemCode}`);
  const out = await takeOut(ctx, w.id, x.itemCode, x.quantity, row);
  const move = await insertMove(ctx, {
    kind: 'out',
    warehouseId: w.id,
    toWarehouseId: null,
    itemCode: x.itemCode,
    quantity: milliText(x.quantity),
    unit: row!.unit,
    eventId: x.eventId,
    expiresOn: null,
    reason: 'dispatch',
    batches: out.taken,
  });
  const id = await insertAllocation(ctx, {
    eventId: x.eventId,
    warehouseId: w.id,
    itemCode: x.itemCode,
    quantity: milliText(x.quantity),
    unit: row!.unit,
    moveId: move.id,
  });
  await audit(ctx, {
    stream: `event:${x.eventId}`,
    action: 'supplies_dispatched',
    entityType: 'allocation',
    entityId: id,
    data: {
      warehouseId: w.id,
      warehouseName: w.name,
      itemCode: x.itemCode,
      itemName: row!.item_name,
      quantity: fromMilli(x.quantity),
      unit: row!.unit,
      moveId: move.id,
      stockAfter: fromMilli(out.total),
      requestId: x.requestId ?? null,
    },
  });
  await publish(ctx, [unitAudience(w.unit_id)], 'stock.changed', { warehouseId: w.id, itemCode: x.itemCode });
  return id;
}

export async function eventAllocations(ctx: UserCtx, eventId: string) {
  await openEvent(ctx, eventId);
  return { items: (await allocationsOf(ctx, eventId)).map(presentAllocation), nextCursor: null };
}
