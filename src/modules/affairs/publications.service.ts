import { audit } from '../../floor/audit.js';
import type { Actor, UserCtx } from '../../floor/context.js';
import { conflict, forbidden, notFound, unprocessable } from '../../floor/errors.js';
import { authorize, can } from '../../floor/policy.js';
import { beijingParts } from '../../floor/working-hours.js';
import { docDate } from '../accountability/notices.js';
import { notify } from '../notify/notify.js';
import { adoptionsOf, loadPiecesByIds } from './affairs.repo.js';
import { actingUnit, iso } from './common.js';
import { issueDocx } from './issue-docx.js';
import './messages.js';
import { adoptPiece, pieceResource } from './pieces.service.js';
import { affairsPolicy, type IssueResource, isSectionOffice } from './policy.js';
import {
  circulationOf,
  existingUsers,
  insertIssue,
  insertIssuePieces,
  insertPublication,
  issuePieceIds,
  issuesOf,
  liaisonProgress,
  listPublicationRows,
  loadIssue,
  loadPublication,
  markRead,
  nextNumbers,
  type PublicationRow,
  readsOf,
  upsertLiaison,
  withdrawIssueRow,
} from './publications.repo.js';
import {
  beijingYear,
  type PublicationKind,
  startOfBeijingDay,
  type Where,
  whereOfPublication,
} from './rules.js';

/**
 * 刊物: each information section keeps its publications; a kind (daily 要情/政务信息, special 专报, 社情民意) decides
 * the `where` of the adoption its issues make; special reports and 社情民意 are read only by the leaders on their
 * distribution list. Issues are numbered per Beijing year without gaps (a withdrawn issue keeps its number), 第N期
 * （总第M期）; composing an issue adopts its pieces in the same step; the issue is a Word file in the official layout.
 */
const resourceOf = (p: PublicationRow): IssueResource => ({
  officeId: p.office_id,
  areaId: p.area_id,
  areaPath: p.area_path,
  kind: p.kind,
  distribution: p.distribution,
});

function presentPublication(a: Actor, p: PublicationRow) {
  return {
    id: p.id,
    officeId: p.office_id,
    officeName: p.office_name,
    areaId: p.area_id,
    name: p.name,
    kind: p.kind as PublicationKind,
    distribution: p.distribution,
    createdAt: iso(p.created_at)!,
    can: { compose: can(a, affairsPolicy, 'publish', { officeId: p.office_id }) },
  };
}

export async function createPublication(
  ctx: UserCtx,
  body: { name: string; kind: PublicationKind; distribution?: string[] | null },
) {
  const a = ctx.actor;
  if (!isSectionOffice(a)) throw forbidden('commission_not_section');
  const distribution = [...new Set(body.distribution ?? [])];
  const known = await existingUsers(ctx, distribution);
  if (known.length !== distribution.length)
    throw unprocessable('distribution_unknown', { userIds: distribution.filter((d) => !known.includes(d)) });
  const id = await insertPublication(ctx, {
    officeId: a.unitId,
    areaId: a.acting.id,
    name: body.name,
    kind: body.kind,
    distribution,
  });
  await audit(ctx, {
    stream: `affairs_publication:${id}`,
    action: 'publication_created',
    entityType: 'affairs_publication',
    entityId: id,
    data: { name: body.name, kind: body.kind, distribution },
  });
  return presentPublication(a, (await loadPublication(ctx, id))!);
}

export async function listPublications(ctx: UserCtx) {
  const rows = await listPublicationRows(ctx, ctx.actor);
  return {
    items: rows.map((p) => presentPublication(ctx.actor, p)),
    nextCursor: null,
    can: { create: can(ctx.actor, affairsPolicy, 'publish', null) },
  };
}

async function presentIssue(ctx: UserCtx, issueId: string) {
  const i = (await loadIssue(ctx, issueId))!;
  const p = (await loadPublication(ctx, i.publication_id))!;
  const ids = await issuePieceIds(ctx, i.id);
  const pieces = await loadPiecesByIds(ctx, ids);
  const byId = new Map(pieces.map((x) => [x.id, x]));
  return {
    id: i.id,
    publicationId: p.id,
    publicationName: p.name,
    kind: p.kind as PublicationKind,
    year: i.year,
    number: i.number,
    totalNumber: i.total_number,
    label: `${i.year}年第${i.number}期（总第${i.total_number}期）`,
    title: i.title,
    status: i.status as 'published' | 'withdrawn',
    createdAt: iso(i.created_at)!,
    withdrawnAt: iso(i.withdrawn_at),
    pieces: ids.map((id) => ({
      id,
      title: byId.get(id)?.title ?? '',
      unitName: byId.get(id)?.unit_name ?? '',
      body: byId.get(id)?.body ?? '',
    })),
    /** 传阅: read receipts, shown to the section that keeps the publication */
    reads: can(ctx.actor, affairsPolicy, 'publish', { officeId: p.office_id })
      ? (await readsOf(ctx, i.id)).map((r) => ({ userId: r.user_id, name: r.name, readAt: iso(r.read_at)! }))
      : [],
    can: {
      withdraw:
        i.status !== 'withdrawn' && can(ctx.actor, affairsPolicy, 'publish', { officeId: p.office_id }),
    },
  };
}

/** POST /api/affairs/publications/{id}/issues: number the issue (per Beijing year, no gaps) and adopt its pieces. */
export async function composeIssue(
  ctx: UserCtx,
  publicationId: string,
  body: { pieceIds: string[]; title?: string | null; where?: Where | null },
) {
  const p = await loadPublication(ctx, publicationId, true);
  if (!p || !can(ctx.actor, affairsPolicy, 'readIssue', resourceOf(p)))
    throw notFound('publication_not_found');
  authorize(ctx.actor, affairsPolicy, 'publish', { officeId: p.office_id });
  const pieceIds = [...new Set(body.pieceIds)];
  const pieces = await loadPiecesByIds(ctx, pieceIds);
  if (
    pieces.length !== pieceIds.length ||
    pieces.some((x) => !can(ctx.actor, affairsPolicy, 'adopt', pieceResource(x)))
  )
    throw unprocessable('issue_piece_not_adoptable');
  const now = ctx.clock.now();
  const year = beijingYear(now);
  const { n, total } = await nextNumbers(ctx, p.id, year);
  const issueId = await insertIssue(ctx, {
    publicationId: p.id,
    year,
    number: n,
    totalNumber: total,
    title: body.title || null,
  });
  await insertIssuePieces(ctx, issueId, pieceIds);
  const where = body.where ?? whereOfPublication(p.kind as PublicationKind);
  const adopted = await adoptionsOf(ctx, pieceIds);
  for (const id of pieceIds) {
    // a piece this office already adopted for the same `where` is not counted twice
    if (adopted.some((a) => a.piece_id === id && a.office_id === ctx.actor.unitId && a.where === where))
      continue;
    await adoptPiece(ctx, id, { where }, { issueId });
  }
  await audit(ctx, {
    stream: `affairs_publication:${p.id}`,
    action: 'issue_published',
    entityType: 'affairs_issue',
    entityId: issueId,
    data: { year, number: n, totalNumber: total, pieceIds, where },
  });
  // 传阅: circulated to the leaders on the distribution list (a daily without one: the area's leaders)
  await notify(ctx, {
    userIds: await circulationOf(ctx, { kind: p.kind, distribution: p.distribution, areaId: p.area_id }),
    kind: 'affairs.issue_circulated',
    title: `【传阅】${p.name}${year}年第${n}期`,
    body: body.title || `${pieceIds.length} 篇信息`,
    data: { issueId },
  });
  return presentIssue(ctx, issueId);
}

/** POST /api/affairs/issues/{id}/read: a reader's receipt (传阅已阅), the first one counts (logged). */
export async function readIssue(ctx: UserCtx, id: string) {
  const { i, p } = await readableIssue(ctx, id);
  if (await markRead(ctx, i.id, ctx.actor.id))
    await audit(ctx, {
      stream: `affairs_publication:${p.id}`,
      action: 'issue_read',
      entityType: 'affairs_issue',
      entityId: i.id,
      data: { year: i.year, number: i.number },
    });
  return presentIssue(ctx, id);
}

async function readableIssue(ctx: UserCtx, id: string) {
  const i = await loadIssue(ctx, id);
  const p = i ? await loadPublication(ctx, i.publication_id) : null;
  if (!i || !p) throw notFound('issue_not_found');
  authorize(ctx.actor, affairsPolicy, 'readIssue', resourceOf(p));
  return { i, p };
}

export async function getIssue(ctx: UserCtx, id: string) {
  await readableIssue(ctx, id);
  return presentIssue(ctx, id);
}

export async function listIssues(ctx: UserCtx, publicationId: string) {
  const p = await loadPublication(ctx, publicationId);
  if (!p || !can(ctx.actor, affairsPolicy, 'readIssue', resourceOf(p)))
    throw notFound('publication_not_found');
  const rows = await issuesOf(ctx, p.id);
  return {
    items: rows.map((i) => ({
      id: i.id,
      year: i.year,
      number: i.number,
      totalNumber: i.total_number,
      label: `${i.year}年第${i.number}期（总第${i.total_number}期）`,
      title: i.title,
      status: i.status as 'published' | 'withdrawn',
      createdAt: iso(i.created_at)!,
    })),
    nextCursor: null,
  };
}

/** A withdrawn issue keeps its number (the next issue does not take it). */
export async function withdrawIssue(ctx: UserCtx, id: string) {
  const { i, p } = await readableIssue(ctx, id);
  authorize(ctx.actor, affairsPolicy, 'publish', { officeId: p.office_id });
  if (i.status === 'withdrawn') throw conflict('issue_withdrawn');
  await withdrawIssueRow(ctx, id);
  await audit(ctx, {
    stream: `affairs_publication:${p.id}`,
    action: 'issue_withdrawn',
    entityType: 'affairs_issue',
    entityId: id,
    data: { year: i.year, number: i.number },
  });
  return presentIssue(ctx, id);
}

export async function issueWord(ctx: UserCtx, id: string) {
  const { i, p } = await readableIssue(ctx, id);
  const out = await presentIssue(ctx, id);
  const buf = await issueDocx({
    publicationName: p.name,
    officeName: p.office_name,
    year: i.year,
    number: i.number,
    totalNumber: i.total_number,
    date: docDate(beijingParts(new Date(i.created_at)).date),
    title: i.title,
    pieces: out.pieces,
  });
  return {
    buf,
    name: `${p.name}${i.year}年第${i.number}期.docx`,
    asciiName: `issue-${i.year}-${i.number}.docx`,
  };
}

/**
 * 重点联系单位: the section designates units of its area (e.g. the county bureaus) with a yearly quota of pieces;
 * progress is the pieces each first sent in that Beijing year.
 */
export async function setLiaison(ctx: UserCtx, body: { unitId: string; year?: number; quota: number }) {
  authorize(ctx.actor, affairsPolicy, 'setPriorities');
  const unit = await actingUnit(ctx, body.unitId);
  if (!unit || !unit.path.includes(ctx.actor.acting.id) || unit.id === ctx.actor.acting.id)
    throw unprocessable('liaison_unit_out_of_scope');
  const year = body.year ?? beijingYear(ctx.clock.now());
  await upsertLiaison(ctx, { areaId: ctx.actor.acting.id, unitId: unit.id, year, quota: body.quota });
  await audit(ctx, {
    stream: `affairs_liaison:${ctx.actor.acting.id}`,
    action: 'liaison_unit_set',
    entityType: 'unit',
    entityId: unit.id,
    data: { year, quota: body.quota },
  });
  return listLiaison(ctx, { year });
}

export async function listLiaison(ctx: UserCtx, q: { year?: number }) {
  const year = q.year ?? beijingYear(ctx.clock.now());
  const from = startOfBeijingDay(`${year}-01-01`);
  const to = startOfBeijingDay(`${year + 1}-01-01`);
  const rows = await liaisonProgress(ctx, ctx.actor.acting.id, year, from, to);
  return {
    year,
    items: rows.map((r) => ({
      unitId: r.unit_id,
      unitName: r.name,
      quota: r.quota,
      sent: r.sent,
      progress: r.quota ? Math.round((r.sent / r.quota) * 1000) / 1000 : 1,
    })),
  };
}
