import type { Db } from '../../db/index.js';
import { audit } from '../../floor/audit.js';
import type { Actor, Ctx, UserCtx } from '../../floor/context.js';
import { AppError, badRequest, conflict, notFound, unprocessable } from '../../floor/errors.js';
import { authorize, can, canMany } from '../../floor/policy.js';
import { loadUnits } from './inspections.repo.js';
import './messages.js';
import { inspectionsPolicy, TIPOFF_ACTIONS, type TipoffRef } from './policy.js';
import { newReceipt, normalizeReceipt, type RateLimit, receiptHash } from './rules.js';
import {
  getTipoff,
  hitRate,
  insertTipoff,
  insertTipoffPhoto,
  pruneRate,
  type TipoffRow,
  tipoffArea,
  tipoffByReceipt,
  tipoffStatus,
  updateTipoff,
} from './tipoffs.repo.js';

/** Refuse with 429 once `client` has used up the limit's window (counted in PostgreSQL: across instances). */
export async function rateLimit(db: Db, limit: RateLimit, client: string, now: Date): Promise<void> {
  const hits = await hitRate(db, limit, client, now);
  // a client's first request in a window also drops the counters of windows long gone
  if (hits === 1) await pruneRate(db, now);
  if (hits > limit.max)
    throw new AppError(429, 'rate_limited', { retryAfterSeconds: Math.ceil(limit.windowMs / 1000) });
}

/** 举报: stored as given (shown as text, never as HTML); the tipster gets a receipt, we keep only its hash. */
export async function submitTipoff(
  ctx: Ctx,
  input: { text: string; place?: string | null; contact?: string | null; divisionCode?: string | null },
): Promise<{ receipt: string }> {
  const divisionCode = input.divisionCode || null;
  const areaId = await tipoffArea(ctx, divisionCode);
  if (!areaId) throw badRequest('division_unknown', { field: 'divisionCode', code: divisionCode ?? '' });
  const receipt = newReceipt();
  const id = await insertTipoff(ctx, {
    receiptHash: receiptHash(normalizeReceipt(receipt)!),
    text: input.text,
    place: input.place || null,
    contact: input.contact || null,
    divisionCode,
    areaId,
  });
  // the log names the tip-off and its area; neither the text nor the tipster's contact goes into it
  await audit(ctx, {
    stream: `tipoff:${id}`,
    action: 'tipoff_received',
    entityType: 'tipoff',
    entityId: id,
    unitId: areaId,
    data: { areaId },
  });
  return { receipt };
}

/** The public status of a receipt — nothing else; an unknown or malformed receipt is one 404. */
export async function lookupTipoff(
  db: Db,
  receipt: string,
): Promise<{ status: TipoffRow['status']; updatedAt: string }> {
  const n = normalizeReceipt(receipt);
  const row = n ? await tipoffStatus(db, receiptHash(n)) : null;
  if (!row) throw notFound();
  return { status: row.status as TipoffRow['status'], updatedAt: row.updated_at.toISOString() };
}

/** A tip-off takes at most five photos, added within a day of it (by whoever holds the receipt). */
export const TIPOFF_PHOTOS_MAX = 5;
const PHOTO_WINDOW_MS = 24 * 3600_000;

/**
 * 举报照片: a photo the tipster adds after the form (the camera's picture, a separate upload), its type already
 * decided from the bytes. The receipt is the only key: an unknown one is the same 404 as the status look-up.
 */
export async function addTipoffPhoto(
  ctx: Ctx,
  receipt: string,
  photo: { filename: string; mime: string; data: Buffer },
): Promise<{ photos: number }> {
  const n = normalizeReceipt(receipt);
  const t = n ? await tipoffByReceipt(ctx, receiptHash(n)) : null;
  if (!t) throw notFound();
  if (t.status === 'closed') throw conflict('tipoff_closed');
  if (ctx.clock.now().getTime() - t.created_at.getTime() > PHOTO_WINDOW_MS)
    throw conflict('tipoff_photo_late');
  if (t.photos >= TIPOFF_PHOTOS_MAX) throw conflict('tipoff_photos_full', { max: TIPOFF_PHOTOS_MAX });
  const id = await insertTipoffPhoto(ctx, { tipoffId: t.id, ...photo });
  await audit(ctx, {
    stream: `tipoff:${t.id}`,
    action: 'tipoff_photo_added',
    entityType: 'tipoff_photo',
    entityId: id,
    unitId: t.area_id,
    data: { size: photo.data.length, mime: photo.mime },
  });
  return { photos: t.photos + 1 };
}

const ref = (t: TipoffRow): TipoffRef => ({
  areaPath: t.area_path,
  areaId: t.area_id,
  assignedUnitId: t.assigned_unit_id,
});

/** A tip-off for a signed-in handler: the tipster's contact only for the handling unit. */
export function presentTipoff(t: TipoffRow, actor: Actor) {
  const handling = can(actor, inspectionsPolicy, 'handleTipoff', ref(t));
  return {
    id: t.id,
    text: t.text,
    place: t.place,
    contact: handling ? t.contact : null,
    contactHidden: !handling && !!t.contact,
    divisionCode: t.division_code,
    areaId: t.area_id,
    areaName: t.area_name,
    assignedUnitId: t.assigned_unit_id,
    assignedUnitName: t.assigned_unit_name,
    status: t.status,
    note: t.note,
    result: t.result,
    rewardNote: t.reward_note,
    createdAt: t.created_at.toISOString(),
    updatedAt: t.updated_at.toISOString(),
    photos: t.photos.map((x) => ({
      id: x.id,
      filename: x.filename,
      mime: x.mime,
      size: x.size,
      url: `/api/inspections/tipoff-photos/${x.id}`,
    })),
    can: canMany(actor, inspectionsPolicy, TIPOFF_ACTIONS, ref(t)),
  };
}

async function openTipoff(ctx: UserCtx, id: string): Promise<TipoffRow> {
  const t = await getTipoff(ctx, ctx.actor, id, true);
  if (!t) throw notFound();
  if (t.status === 'closed') throw conflict('tipoff_closed');
  return t;
}

export async function assignTipoff(
  ctx: UserCtx,
  id: string,
  input: { unitId: string; note?: string | null },
) {
  const t = await openTipoff(ctx, id);
  authorize(ctx.actor, inspectionsPolicy, 'assignTipoff', ref(t));
  const u = (await loadUnits(ctx, [input.unitId])).get(input.unitId);
  if (!u) throw unprocessable('unit_unknown', { field: 'unitId' });
  if (!u.path.includes(t.area_id)) throw unprocessable('unit_outside_area', { name: u.name });
  await updateTipoff(ctx, t.id, { assignedUnitId: u.id, note: input.note || null });
  await audit(ctx, {
    stream: `tipoff:${t.id}`,
    action: 'tipoff_assigned',
    entityType: 'tipoff',
    entityId: t.id,
    data: { unitId: u.id, note: input.note || null },
  });
}

export async function investigateTipoff(ctx: UserCtx, id: string, input: { note?: string | null }) {
  const t = await openTipoff(ctx, id);
  authorize(ctx.actor, inspectionsPolicy, 'handleTipoff', ref(t));
  await updateTipoff(ctx, t.id, { status: 'investigating', note: input.note || null });
  await audit(ctx, {
    stream: `tipoff:${t.id}`,
    action: 'tipoff_investigating',
    entityType: 'tipoff',
    entityId: t.id,
    data: { note: input.note || null },
  });
}

export async function closeTipoff(
  ctx: UserCtx,
  id: string,
  input: { result: string; rewardNote?: string | null },
) {
  const t = await openTipoff(ctx, id);
  authorize(ctx.actor, inspectionsPolicy, 'handleTipoff', ref(t));
  await updateTipoff(ctx, t.id, {
    status: 'closed',
    result: input.result,
    rewardNote: input.rewardNote || null,
  });
  await audit(ctx, {
    stream: `tipoff:${t.id}`,
    action: 'tipoff_closed',
    entityType: 'tipoff',
    entityId: t.id,
    data: { result: input.result, rewardNote: input.rewardNote || null },
  });
}
