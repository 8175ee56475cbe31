import { audit } from '../../floor/audit.js';
import type { Actor, Ctx, UserCtx } from '../../floor/context.js';
import { badRequest, conflict, notFound, unprocessable } from '../../floor/errors.js';
import { publish, unitAudience } from '../../floor/outbox.js';
import { authorize, canMany } from '../../floor/policy.js';
import { addTimers, cancelTimers } from '../../floor/timers.js';
import { checkHappenedAt } from '../../floor/times.js';
import { areaIdOf } from '../units/acting.js';
import {
  type CampaignRow,
  getCampaign,
  getHazard,
  getVisit,
  type HazardRow,
  insertHazard,
  insertPhoto,
  insertVisit,
  loadUnits,
  markReported,
  markVerified,
} from './inspections.repo.js';
import './messages.js';
import { type CampaignScope, HAZARD_ACTIONS, type HazardRef, inspectionsPolicy } from './policy.js';
import { isOverdue, openPlan, type Step, verifyPlan } from './rules.js';
import { closeMajorHazardTask, superviseMajorHazard } from './supervise.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const hazardRef = (h: HazardRow): HazardRef => ({
  responsibleUnitId: h.responsible_unit_id,
  recordingUnitId: h.recording_unit_id,
  leadUnitId: h.lead_unit_id,
});

/** A hazard as the API answers it, with what the caller may do with it. */
export function presentHazard(h: HazardRow, actor: Actor, now: Date) {
  return {
    id: h.id,
    campaignId: h.campaign_id,
    campaignTitle: h.campaign_title,
    visitId: h.visit_id,
    place: h.place,
    sector: h.sector,
    severity: h.severity,
    description: h.description,
    responsibleUnitId: h.responsible_unit_id,
    responsibleUnitName: h.responsible_unit_name,
    recordingUnitId: h.recording_unit_id,
    recordingUnitName: h.recording_unit_name,
    leadUnitId: h.lead_unit_id,
    leadUnitName: h.lead_unit_name,
    status: h.status,
    overdue: isOverdue({ status: h.status, rectifyBy: h.rectify_by }, now),
    foundAt: h.found_at.toISOString(),
    rectifyBy: h.rectify_by.toISOString(),
    firstRectifyBy: h.first_rectify_by.toISOString(),
    reportedAt: iso(h.reported_at),
    rectificationText: h.rectification_text,
    sentBackCount: h.sent_back_count,
    verifyNote: h.verify_note,
    closedAt: iso(h.closed_at),
    createdAt: h.created_at.toISOString(),
    photos: h.photos,
    measures: h.measures as Array<'suspend' | 'closure_proposed'>,
    // 停产整顿 lasts until the hazard is verified closed
    suspended: h.measures.includes('suspend') && h.status !== 'closed',
    enforcement:
      h.enforcement_units.length || h.penalty ? { units: h.enforcement_units, penalty: h.penalty } : null,
    can: canMany(actor, inspectionsPolicy, HAZARD_ACTIONS, hazardRef(h)),
  };
}

export const campaignScope = (c: CampaignRow): CampaignScope => ({
  areaId: c.area_id,
  unitIds: c.units.map((u) => u.unitId),
  leadUnitIds: c.sectors.map((s) => s.leadUnitId),
});

async function campaignFor(ctx: UserCtx, campaignId: string | undefined | null, sector: string) {
  if (!campaignId) return null;
  const c = await getCampaign(ctx, campaignId, ctx.actor);
  if (!c) throw notFound('campaign_not_found');
  if (!c.sectors.some((s) => s.sector === sector))
    throw unprocessable('sector_not_in_campaign', { sector, sectors: c.sectors.map((s) => s.sector) });
  return c;
}

const stepTimers = (hazardId: string, steps: Step[], payload: Record<string, string>) =>
  steps.map((s) => ({ kind: s.kind, refId: hazardId, dueAt: s.dueAt, payload }));

// ---- visits ----------------------------------------------------------------------------------------------

export interface VisitInput {
  campaignId?: string | null;
  place: string;
  sector: string;
  visitedAt?: string;
  findings?: string | null;
}

/** 检查记录: every place inspected is recorded, with or without findings (全覆盖 is counted from these). */
export async function recordVisit(ctx: UserCtx, input: VisitInput) {
  const now = ctx.clock.now();
  const visitedAt = input.visitedAt ? new Date(input.visitedAt) : now;
  checkHappenedAt(now, 'visitedAt', visitedAt);
  const campaign = await campaignFor(ctx, input.campaignId, input.sector);
  authorize(ctx.actor, inspectionsPolicy, 'recordVisit', campaign ? campaignScope(campaign) : null);
  const id = await insertVisit(ctx, {
    campaignId: campaign?.id ?? null,
    place: input.place,
    sector: input.sector,
    unitId: ctx.actor.acting.id,
    visitedAt,
    findings: input.findings || null,
  });
  await audit(ctx, {
    stream: campaign ? `campaign:${campaign.id}` : `unit:${ctx.actor.acting.id}`,
    action: 'inspection_visited',
    entityType: 'inspection_visit',
    entityId: id,
    data: { place: input.place, sector: input.sector, visitedAt: visitedAt.toISOString() },
  });
  return id;
}

// ---- hazards ---------------------------------------------------------------------------------------------

export interface HazardInput {
  campaignId?: string | null;
  visitId?: string | null;
  place: string;
  sector: string;
  severity: 'general' | 'major';
  description: string;
  responsibleUnitId: string;
  rectifyBy: string;
  foundAt?: string;
  measures?: Array<'suspend' | 'closure_proposed'>;
  enforcement?: { unitIds: string[]; penalty?: string | null } | null;
}

/**
 * 隐患登记: the hazard, its visit (a new one when none is named, so the place counts as inspected), its clock
 * (reminders at 50 %/80 %, escalation at the deadline — a record entered after the fact gets only the step now
 * due), its registration-log entry, and for a `major` one the supervised task.
 */
export async function recordHazard(ctx: UserCtx, input: HazardInput): Promise<string> {
  const now = ctx.clock.now();
  const foundAt = input.foundAt ? new Date(input.foundAt) : now;
  checkHappenedAt(now, 'foundAt', foundAt);
  const rectifyBy = new Date(input.rectifyBy);
  if (rectifyBy < foundAt) throw badRequest('rectify_before_found');
  const campaign = await campaignFor(ctx, input.campaignId, input.sector);
  const enforcementUnitIds = [...new Set(input.enforcement?.unitIds ?? [])];
  const units = await loadUnits(ctx, [input.responsibleUnitId, ...enforcementUnitIds]);
  for (const u of enforcementUnitIds)
    if (!units.get(u)) throw unprocessable('unit_unknown', { field: 'enforcement.unitIds' });
  const responsible = units.get(input.responsibleUnitId);
  if (!responsible) throw unprocessable('unit_unknown', { field: 'responsibleUnitId' });
  authorize(ctx.actor, inspectionsPolicy, 'recordHazard', {
    campaign: campaign ? campaignScope(campaign) : null,
    responsibleUnitPath: responsible.path,
  });
  let visitId = input.visitId ?? null;
  if (visitId) {
    const v = await getVisit(ctx, visitId);
    if (!v || v.unit_id !== ctx.actor.acting.id || (v.campaign_id ?? null) !== (campaign?.id ?? null))
      throw notFound('visit_not_found');
  } else {
    visitId = await recordVisit(ctx, {
      campaignId: campaign?.id ?? null,
      place: input.place,
      sector: input.sector,
      visitedAt: foundAt.toISOString(),
    });
  }
  const leadUnitId = campaign?.sectors.find((s) => s.sector === input.sector)?.leadUnitId ?? null;
  const recordingUnitId = ctx.actor.acting.id;
  const scope = new Set([...responsible.path, ...ctx.actor.acting.path, ...(leadUnitId ? [leadUnitId] : [])]);
  const id = await insertHazard(ctx, {
    campaignId: campaign?.id ?? null,
    visitId,
    place: input.place,
    sector: input.sector,
    severity: input.severity,
    description: input.description,
    responsibleUnitId: responsible.id,
    recordingUnitId,
    leadUnitId,
    areaId:
      campaign?.area_id ??
      areaIdOf({ id: responsible.id, kind: responsible.kind, parentId: responsible.parent_id }),
    scopeUnits: [...scope],
    foundAt,
    rectifyBy,
    measures: [...new Set(input.measures ?? [])],
    enforcementUnitIds,
    penalty: input.enforcement?.penalty || null,
  });
  await addTimers(
    ctx,
    stepTimers(id, openPlan(foundAt, rectifyBy, now), { rectifyBy: rectifyBy.toISOString() }),
  );
  await audit(ctx, {
    stream: `hazard:${id}`,
    action: 'hazard_recorded',
    entityType: 'hazard',
    entityId: id,
    data: {
      campaignId: campaign?.id ?? null,
      place: input.place,
      sector: input.sector,
      severity: input.severity,
      responsibleUnitId: responsible.id,
      rectifyBy: rectifyBy.toISOString(),
      foundAt: foundAt.toISOString(),
      measures: input.measures ?? [],
      enforcement: input.enforcement ?? null,
    },
  });
  await publish(ctx, [unitAudience(responsible.id)], 'hazard.recorded', { hazardId: id });
  const row = (await getHazard(ctx, id, null))!;
  await superviseMajorHazard(ctx, row);
  return id;
}

/** The hazard the caller sees (404 otherwise), locked for a change. */
export async function visibleHazard(ctx: UserCtx, id: string, lock = false): Promise<HazardRow> {
  const h = await getHazard(ctx, id, ctx.actor, lock);
  if (!h) throw notFound();
  return h;
}

/** 整改报告: the responsible unit reports its rectification (`at`: when, for paper records entered later). */
export async function reportRectification(ctx: UserCtx, id: string, input: { text: string; at?: string }) {
  const h = await visibleHazard(ctx, id, true);
  authorize(ctx.actor, inspectionsPolicy, 'rectify', hazardRef(h));
  if (h.status !== 'open') throw conflict('hazard_not_open', { status: h.status });
  const now = ctx.clock.now();
  const at = input.at ? new Date(input.at) : now;
  checkHappenedAt(now, 'at', at);
  if (at < h.found_at) throw badRequest('rectified_before_found');
  await markReported(ctx, h.id, input.text, at);
  // the responsible unit's clock stops; the verifier's starts
  await cancelTimers(ctx, h.id);
  await addTimers(ctx, stepTimers(h.id, verifyPlan(at, now), { reportedAt: at.toISOString() }));
  await audit(ctx, {
    stream: `hazard:${h.id}`,
    action: 'hazard_rectification_reported',
    entityType: 'hazard',
    entityId: h.id,
    data: { text: input.text, at: at.toISOString(), onTime: at <= h.rectify_by },
  });
  await publish(
    ctx,
    [h.recording_unit_id, h.lead_unit_id].filter((x): x is string => !!x).map(unitAudience),
    'hazard.reported',
    { hazardId: h.id },
  );
}

/**
 * 验收: accepted — closed (销号); not accepted — back to `open` with a note, optionally a new deadline (the first
 * one stays in `firstRectifyBy` for statistics), and the responsible unit's clock runs again from now.
 */
export async function verifyHazard(
  ctx: UserCtx,
  id: string,
  input: { accepted: boolean; note?: string | null; rectifyBy?: string | null },
) {
  const h = await visibleHazard(ctx, id, true);
  authorize(ctx.actor, inspectionsPolicy, 'verify', hazardRef(h));
  if (h.status !== 'reported') throw conflict('hazard_not_reported', { status: h.status });
  const now = ctx.clock.now();
  const note = input.note?.trim() || null;
  if (!input.accepted && !note) throw badRequest('verify_note_required', { field: 'note' });
  const newBy = !input.accepted && input.rectifyBy ? new Date(input.rectifyBy) : null;
  await markVerified(ctx, h.id, { accepted: input.accepted, note, rectifyBy: newBy });
  await cancelTimers(ctx, h.id);
  if (!input.accepted) {
    const by = newBy ?? h.rectify_by;
    await addTimers(ctx, stepTimers(h.id, openPlan(now, by, now), { rectifyBy: by.toISOString() }));
  }
  if (input.accepted) await closeMajorHazardTask(ctx, h, note);
  await audit(ctx, {
    stream: `hazard:${h.id}`,
    action: input.accepted ? 'hazard_closed' : 'hazard_sent_back',
    entityType: 'hazard',
    entityId: h.id,
    data: { note, rectifyBy: newBy?.toISOString() ?? null },
  });
  await publish(
    ctx,
    [unitAudience(h.responsible_unit_id)],
    input.accepted ? 'hazard.closed' : 'hazard.sent_back',
    {
      hazardId: h.id,
    },
  );
}

/** A photo of the hazard (its type already decided from the bytes); not on a closed hazard. */
export async function addPhoto(
  ctx: UserCtx,
  id: string,
  photo: { filename: string; mime: string; data: Buffer },
) {
  const h = await visibleHazard(ctx, id, true);
  authorize(ctx.actor, inspectionsPolicy, 'addPhoto', hazardRef(h));
  if (h.status === 'closed') throw unprocessable('hazard_closed');
  const row = await insertPhoto(ctx, { hazardId: h.id, ...photo });
  await audit(ctx, {
    stream: `hazard:${h.id}`,
    action: 'hazard_photo_added',
    entityType: 'hazard_photo',
    entityId: row.id,
    data: { filename: photo.filename, size: row.size, mime: photo.mime },
  });
}

export type { Ctx };
