import { audit } from '../../floor/audit.js';
import type { Actor, Ctx, UserCtx } from '../../floor/context.js';
import { badRequest, conflict, notFound, unprocessable } from '../../floor/errors.js';
import { publish, unitAudience } from '../../floor/outbox.js';
import { authorize, canMany } from '../../floor/policy.js';
import { cancelTimers } from '../../floor/timers.js';
import { checkHappenedAt } from '../../floor/times.js';
import { beijingParts } from '../../floor/working-hours.js';
import { decideServing, servingHeaders } from '../files/serving.js';
import { notify, usersActingFor } from '../notify/notify.js';
import { issueTask, linkTaskSource } from '../tasks/index.js';
import {
  adoptionsOf,
  insertAdoption,
  insertInstruction,
  insertPiece,
  insertPieceFiles,
  insertPieceVersion,
  instructionsOf,
  listPieceRows,
  loadCommission,
  loadPiece,
  loadPiecesByIds,
  type PieceRow,
  pieceFile,
  pieceFiles,
  pieceOfInstruction,
  pieceVersions,
  sectionOfficesOf,
  setCommissionFields,
  setInstructionTask,
  setPieceFields,
  unitNames,
  unitSentCounts,
  usersOfUnits,
} from './affairs.repo.js';
import { iso, receivingAreaOf, scoringNow } from './common.js';
import './messages.js';
import { affairsPolicy, PIECE_ACTIONS, type PieceResource, seesPiece } from './policy.js';
import {
  adoptionPoints,
  beijingQuarter,
  commissionStatus,
  instructionPoints,
  type LeaderLevel,
  type PieceKind,
  type PieceStatus,
  PROBLEM_KINDS,
  type QualityWarning,
  qualityWarnings,
  type Where,
} from './rules.js';
import { bodyText, embeddedImages, sanitizeBody } from './sanitize.js';

export const pieceResource = (p: PieceRow): PieceResource => ({
  unitId: p.unit_id,
  unitPath: p.unit_path,
  status: p.status,
  recipients: p.recipients,
  firstSent: !!p.first_sent_at,
});

const stream = (id: string) => `affairs_piece:${id}`;

export async function presentPieces(ctx: Ctx, rows: PieceRow[], detail = false) {
  const ids = rows.map((r) => r.id);
  // one after another: inside a transaction the statements share one connection
  const adoptions = await adoptionsOf(ctx, ids);
  const instructions = await instructionsOf(ctx, ids);
  const names = await unitNames(ctx, [...new Set(rows.flatMap((r) => r.recipients))]);
  const files = await pieceFiles(ctx, ids);
  const out = [];
  for (const p of rows) {
    const ad = adoptions.filter((a) => a.piece_id === p.id);
    const ins = instructions.filter((i) => i.piece_id === p.id);
    out.push({
      id: p.id,
      title: p.title,
      kind: p.kind as PieceKind,
      body: p.body,
      commissionId: p.commission_id,
      commissionTitle: p.commission_title,
      eventDate: p.event_date,
      unitId: p.unit_id,
      unitName: p.unit_name,
      createdBy: p.created_by,
      createdByName: p.created_by_name,
      status: p.status as PieceStatus,
      version: p.version,
      returnReason: p.return_reason,
      toAreaId: p.to_area_id,
      toAreaName: p.to_area_name,
      recipients: p.recipients.map((id) => ({ id, name: names.get(id) ?? '' })),
      createdAt: iso(p.created_at)!,
      updatedAt: iso(p.updated_at)!,
      submittedAt: iso(p.submitted_at),
      sentAt: iso(p.sent_at),
      firstSentAt: iso(p.first_sent_at),
      /** 当天采集、当天编写、当天报送: first sent on the day of what it reports (Beijing) */
      sameDay:
        p.event_date && p.first_sent_at
          ? beijingParts(new Date(p.first_sent_at)).date === p.event_date
          : null,
      adoptions: ad.map((a) => ({
        id: a.id,
        officeId: a.office_id,
        officeName: a.office_name,
        where: a.where as Where,
        issueId: a.issue_id,
        at: iso(a.at)!,
        points: a.points,
        recordedByName: a.recorded_by_name,
      })),
      instructions: ins.map((i) => ({
        id: i.id,
        leaderLevel: i.leader_level as LeaderLevel,
        leaderName: i.leader_name,
        text: i.text,
        at: iso(i.at)!,
        points: i.points,
        counted: i.counted,
        taskId: i.task_id,
        recordedByName: i.recorded_by_name,
      })),
      points: ad.reduce((s, a) => s + a.points, 0) + ins.reduce((s, i) => s + i.points, 0),
      /** images embedded in the pasted body, kept as the piece's files */
      files: files
        .filter((f) => f.piece_id === p.id)
        .map((f) => ({ id: f.id, filename: f.filename, mime: f.mime, size: f.size, at: iso(f.at)! })),
      mediaReportedAt: iso(p.media_reported_at),
      /** 综合加工: the pieces this one merges or forwards (each keeps scoring in its own ranking) */
      sourcePieceIds: p.source_piece_ids,
      ...(detail
        ? {
            warnings: await warningsOf(ctx, p),
            versions: (await pieceVersions(ctx, p.id)).map((v) => ({
              version: v.version,
              title: v.title,
              body: v.body,
              note: v.note,
              at: iso(v.at)!,
              editedByName: v.edited_by_name,
              unitName: v.unit_name,
            })),
          }
        : {}),
      can: {
        ...canMany(ctx.actor, affairsPolicy, PIECE_ACTIONS, pieceResource(p)),
        edit: editable(ctx.actor, p),
      },
    });
  }
  return out;
}
export type PieceOut = Awaited<ReturnType<typeof presentPieces>>[number];

/** 质量提示 for the editors who may adopt the piece: stale figures, the media first, only good news. */
async function warningsOf(ctx: Ctx, p: PieceRow): Promise<QualityWarning[]> {
  const at = p.first_sent_at ? new Date(p.first_sent_at) : ctx.clock.now();
  const q = beijingQuarter(at);
  return qualityWarnings({
    text: bodyText(`${p.title} ${p.body}`),
    eventDate: p.event_date,
    mediaReportedAt: p.media_reported_at ? new Date(p.media_reported_at) : null,
    firstSentAt: p.first_sent_at ? new Date(p.first_sent_at) : null,
    unitQuarter: await unitSentCounts(ctx, p.unit_id, q.from, q.to, PROBLEM_KINDS),
  });
}

/** Images pasted into the body become the piece's files (the body keeps none). */
async function keepEmbeddedImages(ctx: Ctx, pieceId: string, html: string): Promise<string[]> {
  const files = [];
  for (const img of embeddedImages(html)) files.push({ ...img, mime: (await decideServing(img.data)).mime });
  return insertPieceFiles(ctx, pieceId, files);
}

/** GET /api/affairs/files/{id}: a piece's file, to whoever sees the piece; served by its bytes' type. */
export async function pieceFileDownload(ctx: UserCtx, id: string) {
  const f = await pieceFile(ctx, id);
  if (!f) throw notFound();
  await visiblePiece(ctx, f.piece_id);
  return { headers: await servingHeaders(f.data, f.filename), data: f.data };
}

/** The writer edits a draft or a returned piece; an editor of a receiving office edits a sent one (a new version). */
function editable(a: Actor | null, p: PieceRow): boolean {
  if (!a) return false;
  const r = pieceResource(p);
  if (a.roles.includes('reporter') && a.acting.id === p.unit_id)
    return ['draft', 'returned', 'returned_by_section'].includes(p.status);
  return a.roles.includes('editor') && r.recipients.includes(a.unitId) && p.status === 'sent';
}

async function visiblePiece(ctx: UserCtx, id: string, lock = false): Promise<PieceRow> {
  const p = await loadPiece(ctx, id, lock);
  if (!p || !seesPiece(ctx.actor, pieceResource(p))) throw notFound('piece_not_found');
  return p;
}

export async function getPiece(ctx: UserCtx, id: string): Promise<PieceOut> {
  const p = await visiblePiece(ctx, id);
  return (await presentPieces(ctx, [p], true))[0];
}

const PAGE = 50;
const cursorOf = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
export function offsetOf(cursor: string | undefined): number {
  if (!cursor) return 0;
  const m = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw badRequest('bad_cursor');
  return Number(m[1]);
}

export async function listPieces(
  ctx: UserCtx,
  q: {
    status?: string;
    unitId?: string;
    commissionId?: string;
    inbox?: boolean;
    cursor?: string;
    limit?: number;
  },
) {
  const limit = Math.min(q.limit ?? PAGE, 200);
  const offset = offsetOf(q.cursor);
  const rows = await listPieceRows(ctx, ctx.actor, q, limit + 1, offset);
  return {
    items: await presentPieces(ctx, rows.slice(0, limit)),
    nextCursor: rows.length > limit ? cursorOf(offset + limit) : null,
  };
}

/** POST /api/affairs/pieces: a draft of the unit the writer acts for, addressed to its receiving area's offices. */
export async function createPiece(
  ctx: UserCtx,
  body: {
    title: string;
    kind: PieceKind;
    body: string;
    commissionId?: string | null;
    eventDate?: string | null;
    /** when the media first reported the matter (信息倒挂 when before the piece reached the section) */
    mediaReportedAt?: string | null;
    /** 综合加工: the pieces (sent to the writer's own area) this one merges or forwards upward */
    sourcePieceIds?: string[] | null;
  },
): Promise<PieceOut> {
  const a = ctx.actor;
  const toAreaId = receivingAreaOf(a.acting);
  if (!toAreaId) throw unprocessable('piece_no_receiving_area');
  const recipients = (await sectionOfficesOf(ctx, toAreaId)).map((o) => o.id);
  if (recipients.length === 0) throw unprocessable('piece_no_receiving_area');
  const clean = sanitizeBody(body.body);
  if (!clean) throw badRequest('piece_body_empty');
  if (body.eventDate)
    checkHappenedAt(ctx.clock.now(), 'eventDate', new Date(`${body.eventDate}T00:00:00+08:00`));
  if (body.commissionId) {
    const c = await loadCommission(ctx, body.commissionId);
    if (!c || !c.to_unit_path.includes(a.acting.id)) throw unprocessable('commission_unknown');
    if (c.to_unit_id !== a.acting.id) throw unprocessable('commission_not_yours');
  }
  const sourcePieceIds = [...new Set(body.sourcePieceIds ?? [])];
  if (sourcePieceIds.length) {
    const sources = await loadPiecesByIds(ctx, sourcePieceIds);
    // only pieces that reached the writer's own area (its offices' inbox) can be merged or forwarded by it
    if (
      sources.length !== sourcePieceIds.length ||
      sources.some((x) => x.to_area_id !== a.acting.id || !x.first_sent_at)
    )
      throw unprocessable('piece_sources_unknown');
  }
  const id = await insertPiece(ctx, {
    title: body.title,
    kind: body.kind,
    body: clean,
    commissionId: body.commissionId ?? null,
    eventDate: body.eventDate ?? null,
    mediaReportedAt: body.mediaReportedAt ? new Date(body.mediaReportedAt) : null,
    unitId: a.acting.id,
    writerUnitId: a.unitId,
    createdBy: a.id,
    toAreaId,
    recipients,
    sourcePieceIds,
  });
  await insertPieceVersion(ctx, { pieceId: id, version: 1, title: body.title, body: clean, note: null });
  const fileIds = await keepEmbeddedImages(ctx, id, body.body);
  await audit(ctx, {
    stream: stream(id),
    action: 'piece_drafted',
    entityType: 'affairs_piece',
    entityId: id,
    data: {
      title: body.title,
      kind: body.kind,
      commissionId: body.commissionId ?? null,
      toAreaId,
      recipients,
      files: fileIds,
    },
  });
  return getPiece(ctx, id);
}

/** PATCH /api/affairs/pieces/{id}: each edit is a new version (the sender sees the differences). */
export async function editPiece(
  ctx: UserCtx,
  id: string,
  body: { title?: string; body?: string; kind?: PieceKind; note?: string | null },
): Promise<PieceOut> {
  const p = await visiblePiece(ctx, id, true);
  if (!editable(ctx.actor, p)) throw conflict('piece_not_editable');
  const title = body.title ?? p.title;
  const clean = body.body !== undefined ? sanitizeBody(body.body) : p.body;
  if (!clean) throw badRequest('piece_body_empty');
  const version = p.version + 1;
  await setPieceFields(ctx, id, { title, body: clean, version, ...(body.kind ? { kind: body.kind } : {}) });
  await insertPieceVersion(ctx, { pieceId: id, version, title, body: clean, note: body.note ?? null });
  const fileIds = body.body !== undefined ? await keepEmbeddedImages(ctx, id, body.body) : [];
  await audit(ctx, {
    stream: stream(id),
    action: 'piece_edited',
    entityType: 'affairs_piece',
    entityId: id,
    data: {
      version,
      title,
      kind: body.kind ?? p.kind,
      note: body.note ?? null,
      bySection: p.status === 'sent',
      files: fileIds,
    },
  });
  if (p.status === 'sent' && p.created_by !== ctx.actor.id)
    await notify(ctx, {
      userIds: [p.created_by],
      kind: 'affairs.piece_edited',
      title: `【信息已编辑】${title}`,
      body: `${ctx.actor.unit.name}编辑了您报送的信息（第 ${version} 版），可查看修改之处。`,
      data: { pieceId: id },
    });
  return getPiece(ctx, id);
}

/** submit: the writer asks the unit's approver or principal to approve (审签). */
export async function submitPiece(ctx: UserCtx, id: string): Promise<PieceOut> {
  const p = await visiblePiece(ctx, id, true);
  if (p.unit_id === ctx.actor.acting.id && !['draft', 'returned', 'returned_by_section'].includes(p.status))
    throw conflict('piece_invalid_state', { status: p.status });
  authorize(ctx.actor, affairsPolicy, 'submitPiece', pieceResource(p));
  await setPieceFields(ctx, id, {
    status: 'awaiting_approval',
    submittedAt: ctx.clock.now(),
    returnReason: null,
  });
  await audit(ctx, {
    stream: stream(id),
    action: 'piece_submitted',
    entityType: 'affairs_piece',
    entityId: id,
    data: { version: p.version },
  });
  await notify(ctx, {
    userIds: await usersActingFor(ctx, p.unit_id, ['approver', 'principal']),
    kind: 'affairs.piece_submitted',
    title: `【待审签信息】${p.title}`,
    body: `${ctx.actor.name}提交了信息，请审签。`,
    data: { pieceId: id },
  });
  await publish(ctx, [unitAudience(p.unit_id)], 'affairs.piece', {
    pieceId: id,
    status: 'awaiting_approval',
  });
  return getPiece(ctx, id);
}

/** approve: the unit's approver or principal approves; the piece is sent to the receiving offices at once. */
export async function approvePiece(ctx: UserCtx, id: string): Promise<PieceOut> {
  const p = await visiblePiece(ctx, id, true);
  if (p.unit_id === ctx.actor.acting.id && p.status !== 'awaiting_approval')
    throw conflict('piece_invalid_state', { status: p.status });
  authorize(ctx.actor, affairsPolicy, 'approvePiece', pieceResource(p));
  const now = ctx.clock.now();
  const first = !p.first_sent_at;
  await setPieceFields(ctx, id, { status: 'sent', sentAt: now, firstSentAt: now, returnReason: null });
  await audit(ctx, {
    stream: stream(id),
    action: 'piece_approved',
    entityType: 'affairs_piece',
    entityId: id,
    data: { asRole: ctx.actor.roles.includes('approver') ? 'approver' : 'principal', version: p.version },
  });
  await audit(ctx, {
    stream: stream(id),
    action: 'piece_sent',
    entityType: 'affairs_piece',
    entityId: id,
    data: { toAreaId: p.to_area_id, recipients: p.recipients, first },
  });
  if (first && p.commission_id) {
    const c = await loadCommission(ctx, p.commission_id, true);
    if (c && !c.first_sent_at) {
      await setCommissionFields(ctx, c.id, { firstSentAt: now, firstPieceId: id });
      const judged = commissionStatus(
        { dueAt: new Date(c.due_at), firstSentAt: now, offlineDeliveredAt: c.offline_delivered_at },
        now,
      );
      await audit(ctx, {
        stream: `affairs_commission:${c.id}`,
        action: 'commission_delivered',
        entityType: 'affairs_commission',
        entityId: c.id,
        unitId: c.to_unit_id,
        data: { pieceId: id, sentAt: now.toISOString(), status: judged.status },
      });
      if (!c.offline_delivered_at) await cancelTimers(ctx, c.id);
    }
  }
  await notify(ctx, {
    userIds: await usersOfUnits(ctx, p.recipients, ['editor']),
    kind: 'affairs.piece_arrived',
    title: `【政务信息】${p.title}`,
    body: `${p.unit_name}报送了信息。`,
    data: { pieceId: id },
  });
  await notify(ctx, {
    userIds: [p.created_by],
    kind: 'affairs.piece_sent',
    title: `【信息已报出】${p.title}`,
    body: `${ctx.actor.name}已审签，信息已报送。`,
    data: { pieceId: id },
  });
  await publish(
    ctx,
    [unitAudience(p.unit_id), ...p.recipients.map((r) => unitAudience(r))],
    'affairs.piece',
    { pieceId: id, status: 'sent' },
  );
  return getPiece(ctx, id);
}

/**
 * return: inside the unit, the approver or principal sends a submitted piece back to its writer (`returned`);
 * an editor of a receiving office returns a sent piece with comments (`returned_by_section`). A reason is needed.
 */
export async function returnPiece(ctx: UserCtx, id: string, body: { reason: string }): Promise<PieceOut> {
  const p = await visiblePiece(ctx, id, true);
  authorize(ctx.actor, affairsPolicy, 'returnPiece', pieceResource(p));
  const bySection = p.status === 'sent';
  const status = bySection ? 'returned_by_section' : 'returned';
  await setPieceFields(ctx, id, { status, returnReason: body.reason });
  await audit(ctx, {
    stream: stream(id),
    action: bySection ? 'piece_returned_by_section' : 'piece_returned',
    entityType: 'affairs_piece',
    entityId: id,
    data: { reason: body.reason },
  });
  await notify(ctx, {
    userIds: [p.created_by],
    kind: 'affairs.piece_returned',
    title: `【信息已退回】${p.title}`,
    body: `${ctx.actor.unit.name} ${ctx.actor.name}：${body.reason}`,
    data: { pieceId: id },
  });
  await publish(ctx, [unitAudience(p.unit_id)], 'affairs.piece', { pieceId: id, status });
  return getPiece(ctx, id);
}

/** 采用: an editor of an office the piece was sent to records where it was adopted (once per office and `where`). */
export async function adoptPiece(
  ctx: UserCtx,
  id: string,
  body: { where: Where; issueId?: string | null; at?: string | null },
  opts: { issueId?: string } = {},
) {
  const p = await visiblePiece(ctx, id, true);
  authorize(ctx.actor, affairsPolicy, 'adopt', pieceResource(p));
  const now = ctx.clock.now();
  const at = body.at ? new Date(body.at) : now;
  checkHappenedAt(now, 'at', at);
  const rules = await scoringNow(ctx);
  const points = adoptionPoints(rules.body, body.where);
  const adoptionId = await insertAdoption(ctx, {
    pieceId: id,
    officeId: ctx.actor.unitId,
    where: body.where,
    issueId: opts.issueId ?? body.issueId ?? null,
    at,
    points,
    scoringVersion: rules.version,
  });
  if (!adoptionId) throw conflict('already_adopted', { where: body.where });
  await audit(ctx, {
    stream: stream(id),
    action: 'piece_adopted',
    entityType: 'affairs_piece',
    entityId: id,
    data: {
      adoptionId,
      where: body.where,
      at: at.toISOString(),
      points,
      scoringVersion: rules.version,
      issueId: opts.issueId ?? body.issueId ?? null,
    },
  });
  await notify(ctx, {
    userIds: [p.created_by],
    kind: 'affairs.piece_adopted',
    title: `【信息已采用】${p.title}`,
    body: `${ctx.actor.unit.name}采用了您的信息（${points >= 0 ? '+' : ''}${points} 分）。`,
    data: { pieceId: id },
  });
  await publish(ctx, [unitAudience(p.unit_id)], 'affairs.piece', { pieceId: id, status: p.status });
  return {
    id: adoptionId,
    pieceId: id,
    officeId: ctx.actor.unitId,
    where: body.where,
    issueId: opts.issueId ?? body.issueId ?? null,
    at: at.toISOString(),
    points,
    scoringVersion: rules.version,
  };
}

/** 批示: recorded by an editor of a receiving office, or by the leader; counts once per level per piece. */
export async function recordInstruction(
  ctx: UserCtx,
  id: string,
  body: {
    leaderLevel: LeaderLevel;
    leaderName: string;
    text: string;
    at: string;
    /** the instruction becomes a supervised task of the piece's unit, with feedback due then */
    task?: { dueAt: string } | null;
  },
) {
  const p = await visiblePiece(ctx, id, true);
  authorize(ctx.actor, affairsPolicy, 'instruct', pieceResource(p));
  const now = ctx.clock.now();
  const at = new Date(body.at);
  checkHappenedAt(now, 'at', at);
  const rules = await scoringNow(ctx);
  const points = instructionPoints(rules.body, body.leaderLevel);
  const { id: instructionId, counted } = await insertInstruction(ctx, {
    pieceId: id,
    leaderLevel: body.leaderLevel,
    leaderName: body.leaderName,
    text: body.text,
    at,
    points,
    scoringVersion: rules.version,
  });
  // every instruction is recorded; only the first of its level on the piece scores (counts once per level)
  const scored = counted ? points : 0;
  let taskId: string | null = null;
  if (body.task) {
    const task = await issueTask(ctx, {
      title: `落实${body.leaderName}批示：${p.title}`,
      source: 'affairs',
      sourceId: instructionId,
      ownerUnitId: p.unit_id,
      dueAt: body.task.dueAt,
      leaderName: body.leaderName,
      issuerUnitId: ctx.actor.acting.id,
    });
    taskId = task.id;
    await setInstructionTask(ctx, instructionId, taskId);
  }
  await audit(ctx, {
    stream: stream(id),
    action: 'piece_instruction',
    entityType: 'affairs_piece',
    entityId: id,
    data: { instructionId, ...body, points: scored, counted, taskId, scoringVersion: rules.version },
  });
  await notify(ctx, {
    userIds: [p.created_by],
    kind: 'affairs.piece_instruction',
    title: `【领导批示】${p.title}`,
    body: `${body.leaderName}：${body.text}`,
    data: { pieceId: id },
  });
  return {
    id: instructionId,
    pieceId: id,
    leaderLevel: body.leaderLevel,
    leaderName: body.leaderName,
    text: body.text,
    at: at.toISOString(),
    points: scored,
    counted,
    taskId,
    scoringVersion: rules.version,
  };
}

// a task issued for an instruction on a piece links back to the piece
linkTaskSource('affairs', async (ctx, instructionId) => {
  const r = await pieceOfInstruction(ctx, instructionId);
  return r ? `/affairs/pieces/${r}` : null;
});
