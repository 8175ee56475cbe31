import { type SQL, sql } from 'drizzle-orm';
import type { Actor, Ctx } from '../../floor/context.js';
import { isGlobalAdmin, subtreeScope } from '../auth/policy.js';

/** SQL of 政务信息. Rules live in rules.ts and the services; nothing here decides who may do what. */

const uuids = (ids: string[]) =>
  sql.raw(`array[${ids.map((i) => `'${i.replace(/'/g, '')}'`).join(',')}]::uuid[]`);
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export type UnitLite = {
  id: string;
  name: string;
  kind: string;
  level: string | null;
  parent_id: string | null;
  path: string[];
};

export async function unitById(ctx: Ctx, id: string): Promise<UnitLite | null> {
  const r = await ctx.tx.execute<UnitLite>(
    sql`select id, name, kind, level, parent_id, path from units where id = ${id} and not disabled`,
  );
  return r.rows[0] ?? null;
}

/** The party and government offices of an area (where its pieces arrive), party first. */
export async function sectionOfficesOf(ctx: Ctx, areaId: string): Promise<UnitLite[]> {
  const r = await ctx.tx.execute<UnitLite>(sql`select id, name, kind, level, parent_id, path from units
    where parent_id = ${areaId} and kind in ('party_office', 'gov_office') and not disabled
    order by kind desc, name`);
  return r.rows;
}

// ---- pieces ---------------------------------------------------------------------------------------------------

export type PieceRow = {
  id: string;
  title: string;
  kind: string;
  body: string;
  commission_id: string | null;
  commission_title: string | null;
  event_date: string | null;
  media_reported_at: Date | null;
  source_piece_ids: string[];
  unit_id: string;
  unit_name: string;
  unit_path: string[];
  writer_unit_id: string;
  created_by: string;
  created_by_name: string;
  status: string;
  version: number;
  return_reason: string | null;
  to_area_id: string;
  to_area_name: string;
  recipients: string[];
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  sent_at: Date | null;
  first_sent_at: Date | null;
};

const PIECE_SELECT = sql`select p.id, p.title, p.kind, p.body, p.commission_id, c.title as commission_title,
  to_char(p.event_date, 'YYYY-MM-DD') as event_date, p.media_reported_at, p.source_piece_ids, p.unit_id, u.name as unit_name, u.path as unit_path,
  p.writer_unit_id, p.created_by, cu.name as created_by_name, p.status, p.version, p.return_reason, p.to_area_id,
  ta.name as to_area_name, p.recipients, p.created_at, p.updated_at, p.submitted_at, p.sent_at, p.first_sent_at
  from affairs_pieces p join units u on u.id = p.unit_id join users cu on cu.id = p.created_by
  join units ta on ta.id = p.to_area_id left join affairs_commissions c on c.id = p.commission_id`;

export async function insertPiece(
  ctx: Ctx,
  p: {
    title: string;
    kind: string;
    body: string;
    commissionId: string | null;
    eventDate: string | null;
    mediaReportedAt: Date | null;
    unitId: string;
    writerUnitId: string;
    createdBy: string;
    toAreaId: string;
    recipients: string[];
    sourcePieceIds: string[];
  },
): Promise<string> {
  const now = ctx.clock.now().toISOString();
  const r = await ctx.tx.execute<{
    id: string;
  }>(sql`insert into affairs_pieces (title, kind, body, commission_id,
    event_date, media_reported_at, unit_id, writer_unit_id, created_by, status, to_area_id, recipients,
    source_piece_ids, created_at, updated_at)
    values (${p.title}, ${p.kind}, ${p.body}, ${p.commissionId}, ${p.eventDate}, ${iso(p.mediaReportedAt)},
      ${p.unitId}, ${p.writerUnitId}, ${p.createdBy}, 'draft', ${p.toAreaId}, ${uuids(p.recipients)},
      ${uuids(p.sourcePieceIds)}, ${now}, ${now})
    returning id`);
  return r.rows[0].id;
}

export async function insertPieceVersion(
  ctx: Ctx,
  v: { pieceId: string; version: number; title: string; body: string; note: string | null },
): Promise<void> {
  await ctx.tx.execute(sql`insert into affairs_piece_versions (piece_id, version, title, body, edited_by, unit_id,
    note, at) values (${v.pieceId}, ${v.version}, ${v.title}, ${v.body}, ${ctx.actor?.id ?? null},
    ${ctx.actor?.unitId ?? null}, ${v.note}, ${ctx.clock.now().toISOString()})`);
}

export async function pieceVersions(ctx: Ctx, pieceId: string) {
  const r = await ctx.tx.execute<{
    version: number;
    title: string;
    body: string;
    note: string | null;
    at: Date;
    edited_by_name: string | null;
    unit_name: string | null;
  }>(sql`select v.version, v.title, v.body, v.note, v.at, u.name as edited_by_name, un.name as unit_name
    from affairs_piece_versions v left join users u on u.id = v.edited_by left join units un on un.id = v.unit_id
    where v.piece_id = ${pieceId} order by v.version`);
  return r.rows;
}

export async function loadPiece(ctx: Ctx, id: string, lock = false): Promise<PieceRow | null> {
  const r = await ctx.tx.execute<PieceRow>(
    sql`${PIECE_SELECT} where p.id = ${id} ${lock ? sql`for update of p` : sql``}`,
  );
  return r.rows[0] ?? null;
}

export async function loadPiecesByIds(ctx: Ctx, ids: string[]): Promise<PieceRow[]> {
  if (ids.length === 0) return [];
  const r = await ctx.tx.execute<PieceRow>(sql`${PIECE_SELECT} where p.id = any(${uuids(ids)})`);
  return r.rows;
}

/** Pieces the actor may see: their own unit's in every state; those sent from their subtree. */
export function pieceVisibleSql(a: Actor): SQL {
  if (isGlobalAdmin(a)) return sql`true`;
  return sql`(p.unit_id = ${a.acting.id} or (p.first_sent_at is not null and ${subtreeScope(a, 'u')}))`;
}

export async function listPieceRows(
  ctx: Ctx,
  a: Actor,
  f: { status?: string; unitId?: string; commissionId?: string; inbox?: boolean },
  limit: number,
  offset: number,
): Promise<PieceRow[]> {
  const conds: SQL[] = [pieceVisibleSql(a)];
  if (f.status) conds.push(sql`p.status = ${f.status}`);
  if (f.unitId) conds.push(sql`p.unit_id = ${f.unitId}`);
  if (f.commissionId) conds.push(sql`p.commission_id = ${f.commissionId}`);
  if (f.inbox) conds.push(sql`p.recipients @> array[${a.unitId}]::uuid[] and p.first_sent_at is not null`);
  const r = await ctx.tx.execute<PieceRow>(sql`${PIECE_SELECT} where ${sql.join(conds, sql` and `)}
    order by coalesce(p.sent_at, p.updated_at) desc, p.id limit ${limit} offset ${offset}`);
  return r.rows;
}

export async function setPieceFields(
  ctx: Ctx,
  id: string,
  f: Partial<{
    status: string;
    version: number;
    kind: string;
    title: string;
    body: string;
    returnReason: string | null;
    submittedAt: Date | null;
    sentAt: Date | null;
    firstSentAt: Date;
  }>,
): Promise<void> {
  const sets: SQL[] = [sql`updated_at = ${ctx.clock.now().toISOString()}`];
  if (f.status !== undefined) sets.push(sql`status = ${f.status}`);
  if (f.version !== undefined) sets.push(sql`version = ${f.version}`);
  if (f.title !== undefined) sets.push(sql`title = ${f.title}`);
  if (f.kind !== undefined) sets.push(sql`kind = ${f.kind}`);
  if (f.body !== undefined) sets.push(sql`body = ${f.body}`);
  if (f.returnReason !== undefined) sets.push(sql`return_reason = ${f.returnReason}`);
  if (f.submittedAt !== undefined) sets.push(sql`submitted_at = ${iso(f.submittedAt)}`);
  if (f.sentAt !== undefined) sets.push(sql`sent_at = ${iso(f.sentAt)}`);
  if (f.firstSentAt !== undefined)
    sets.push(sql`first_sent_at = coalesce(first_sent_at, ${iso(f.firstSentAt)})`);
  await ctx.tx.execute(sql`update affairs_pieces set ${sql.join(sets, sql`, `)} where id = ${id}`);
}

// ---- commissions ----------------------------------------------------------------------------------------------

export type CommissionRow = {
  id: string;
  title: string;
  topic_id: string | null;
  issuer_area_id: string;
  issuer_area_name: string;
  issuer_office_id: string;
  issuer_office_name: string;
  to_unit_id: string;
  to_unit_name: string;
  to_unit_path: string[];
  due_at: Date;
  scoring_version: number;
  created_by: string | null;
  created_at: Date;
  first_sent_at: Date | null;
  first_piece_id: string | null;
  offline_delivered_at: Date | null;
  offline_note: string | null;
  missed_at: Date | null;
};

const COMMISSION_SELECT = sql`select c.*, ia.name as issuer_area_name, io.name as issuer_office_name,
  tu.name as to_unit_name, tu.path as to_unit_path
  from affairs_commissions c join units ia on ia.id = c.issuer_area_id join units io on io.id = c.issuer_office_id
  join units tu on tu.id = c.to_unit_id`;

export async function insertCommission(
  ctx: Ctx,
  c: {
    title: string;
    topicId: string | null;
    issuerAreaId: string;
    issuerOfficeId: string;
    toUnitId: string;
    dueAt: Date;
    scoringVersion: number;
  },
): Promise<string> {
  const r = await ctx.tx.execute<{ id: string }>(sql`insert into affairs_commissions (title, topic_id,
    issuer_area_id, issuer_office_id, to_unit_id, due_at, scoring_version, created_by, created_at)
    values (${c.title}, ${c.topicId}, ${c.issuerAreaId}, ${c.issuerOfficeId}, ${c.toUnitId}, ${c.dueAt.toISOString()},
      ${c.scoringVersion}, ${ctx.actor?.id ?? null}, ${ctx.clock.now().toISOString()}) returning id`);
  return r.rows[0].id;
}

export async function loadCommission(ctx: Ctx, id: string, lock = false): Promise<CommissionRow | null> {
  const r = await ctx.tx.execute<CommissionRow>(
    sql`${COMMISSION_SELECT} where c.id = ${id} ${lock ? sql`for update of c` : sql``}`,
  );
  return r.rows[0] ?? null;
}

export async function loadCommissionsByIds(ctx: Ctx, ids: string[]): Promise<CommissionRow[]> {
  if (ids.length === 0) return [];
  const r = await ctx.tx.execute<CommissionRow>(sql`${COMMISSION_SELECT} where c.id = any(${uuids(ids)})`);
  return r.rows;
}

/** Commissions the actor may see: those to the unit they act for or to a unit of their subtree. */
export async function listCommissionRows(
  ctx: Ctx,
  a: Actor,
  f: { toUnitId?: string; topicId?: string },
  limit: number,
): Promise<CommissionRow[]> {
  const conds: SQL[] = [subtreeScope(a, 'tu')];
  if (f.toUnitId) conds.push(sql`c.to_unit_id = ${f.toUnitId}`);
  if (f.topicId) conds.push(sql`c.topic_id = ${f.topicId}`);
  const r = await ctx.tx.execute<CommissionRow>(sql`${COMMISSION_SELECT} where ${sql.join(conds, sql` and `)}
    order by c.due_at desc, c.id limit ${limit}`);
  return r.rows;
}

export async function setCommissionFields(
  ctx: Ctx,
  id: string,
  f: Partial<{
    firstSentAt: Date;
    firstPieceId: string;
    offlineDeliveredAt: Date;
    offlineNote: string | null;
    missedAt: Date;
  }>,
): Promise<void> {
  const sets: SQL[] = [];
  if (f.firstSentAt) sets.push(sql`first_sent_at = coalesce(first_sent_at, ${iso(f.firstSentAt)})`);
  if (f.firstPieceId) sets.push(sql`first_piece_id = coalesce(first_piece_id, ${f.firstPieceId}::uuid)`);
  if (f.offlineDeliveredAt) {
    sets.push(sql`offline_delivered_at = ${iso(f.offlineDeliveredAt)}`);
    sets.push(sql`offline_note = ${f.offlineNote ?? null}`);
    sets.push(sql`offline_recorded_by = ${ctx.actor?.id ?? null}`);
  }
  if (f.missedAt) sets.push(sql`missed_at = coalesce(missed_at, ${iso(f.missedAt)})`);
  if (sets.length === 0) return;
  await ctx.tx.execute(sql`update affairs_commissions set ${sql.join(sets, sql`, `)} where id = ${id}`);
}

// ---- adoptions and instructions -------------------------------------------------------------------------------

/** One adoption; null when the same office already recorded the same `where` for the piece. */
export async function insertAdoption(
  ctx: Ctx,
  a: {
    pieceId: string;
    officeId: string;
    where: string;
    issueId: string | null;
    at: Date;
    points: number;
    scoringVersion: number;
  },
): Promise<string | null> {
  const r = await ctx.tx.execute<{
    id: string;
  }>(sql`insert into affairs_adoptions (piece_id, office_id, "where",
    issue_id, at, points, scoring_version, recorded_by, created_at)
    values (${a.pieceId}, ${a.officeId}, ${a.where}, ${a.issueId}, ${a.at.toISOString()}, ${a.points},
      ${a.scoringVersion}, ${ctx.actor?.id ?? null}, ${ctx.clock.now().toISOString()})
    on conflict (piece_id, office_id, "where") do nothing returning id`);
  return r.rows[0]?.id ?? null;
}

export type AdoptionRow = {
  id: string;
  piece_id: string;
  office_id: string;
  office_name: string;
  where: string;
  issue_id: string | null;
  at: Date;
  points: number;
  scoring_version: number;
  recorded_by_name: string | null;
};

export async function adoptionsOf(ctx: Ctx, pieceIds: string[]): Promise<AdoptionRow[]> {
  if (pieceIds.length === 0) return [];
  const r = await ctx.tx.execute<AdoptionRow>(sql`select a.id, a.piece_id, a.office_id, o.name as office_name,
    a."where", a.issue_id, a.at, a.points, a.scoring_version, u.name as recorded_by_name
    from affairs_adoptions a join units o on o.id = a.office_id left join users u on u.id = a.recorded_by
    where a.piece_id = any(${uuids(pieceIds)}) order by a.at, a.id`);
  return r.rows;
}

/** One instruction; only the first of its level on a piece is `counted` (and scores). */
export async function insertInstruction(
  ctx: Ctx,
  i: {
    pieceId: string;
    leaderLevel: string;
    leaderName: string;
    text: string;
    at: Date;
    points: number;
    scoringVersion: number;
  },
): Promise<{ id: string; counted: boolean }> {
  const prior = await ctx.tx.execute<{ n: number }>(sql`select count(*)::int as n from affairs_instructions
    where piece_id = ${i.pieceId} and leader_level = ${i.leaderLevel} and counted`);
  const counted = prior.rows[0].n === 0;
  const r = await ctx.tx.execute<{ id: string }>(sql`insert into affairs_instructions (piece_id, leader_level,
    leader_name, text, at, points, scoring_version, recorded_by, recorder_unit_id, counted, created_at)
    values (${i.pieceId}, ${i.leaderLevel}, ${i.leaderName}, ${i.text}, ${i.at.toISOString()},
      ${counted ? i.points : 0}, ${i.scoringVersion}, ${ctx.actor?.id ?? null}, ${ctx.actor?.unitId ?? null},
      ${counted}, ${ctx.clock.now().toISOString()}) returning id`);
  return { id: r.rows[0].id, counted };
}

export async function pieceOfInstruction(ctx: Ctx, instructionId: string): Promise<string | null> {
  const r = await ctx.tx.execute<{ piece_id: string }>(
    sql`select piece_id from affairs_instructions where id::text = ${instructionId}`,
  );
  return r.rows[0]?.piece_id ?? null;
}

export async function setInstructionTask(ctx: Ctx, id: string, taskId: string): Promise<void> {
  await ctx.tx.execute(sql`update affairs_instructions set task_id = ${taskId} where id = ${id}`);
}

export type InstructionRow = {
  id: string;
  piece_id: string;
  leader_level: string;
  leader_name: string;
  text: string;
  at: Date;
  points: number;
  scoring_version: number;
  counted: boolean;
  task_id: string | null;
  recorded_by_name: string | null;
};

export async function instructionsOf(ctx: Ctx, pieceIds: string[]): Promise<InstructionRow[]> {
  if (pieceIds.length === 0) return [];
  const r = await ctx.tx.execute<InstructionRow>(sql`select i.id, i.piece_id, i.leader_level, i.leader_name,
    i.text, i.at, i.points, i.scoring_version, i.counted, i.task_id, u.name as recorded_by_name
    from affairs_instructions i left join users u on u.id = i.recorded_by
    where i.piece_id = any(${uuids(pieceIds)}) order by i.at, i.id`);
  return r.rows;
}

// ---- scores -----------------------------------------------------------------------------------------------------

/** Units that write pieces in the actor's scope: areas, departments, emergency offices and enterprises. */
export async function scoringUnits(
  ctx: Ctx,
  a: Actor,
): Promise<Array<{ id: string; name: string; kind: string; level: string | null }>> {
  const r = await ctx.tx.execute<{ id: string; name: string; kind: string; level: string | null }>(sql`
    select u.id, u.name, u.kind, u.level from units u
    where not u.disabled and u.kind not in ('party_office', 'gov_office', 'duty_room', 'confidential_bureau')
      and ${subtreeScope(a, 'u')} order by array_length(u.path, 1), u.kind, u.name`);
  return r.rows;
}

/** People in the actor's scope who write pieces (信息员), and any drafter of a scored piece. */
export async function scoringPeople(
  ctx: Ctx,
  a: Actor,
): Promise<Array<{ id: string; name: string; unit_id: string; unit_name: string }>> {
  const r = await ctx.tx.execute<{ id: string; name: string; unit_id: string; unit_name: string }>(sql`
    select us.id, us.name, us.unit_id, u.name as unit_name from users us join units u on u.id = us.unit_id
    where not us.disabled and us.roles && array['reporter']::text[] and ${subtreeScope(a, 'u')}
    order by u.name, us.name`);
  return r.rows;
}

/** What the score table adds up, for pieces of units in the actor's scope, in [from, to). */
export async function scoreFacts(ctx: Ctx, a: Actor, from: Date, to: Date) {
  const scope = subtreeScope(a, 'u');
  const f = from.toISOString();
  const t = to.toISOString();
  const adoptions = await ctx.tx.execute<{
    unit_id: string;
    user_id: string;
    piece_id: string;
    points: number;
    at: Date;
  }>(sql`
    select p.unit_id, p.created_by as user_id, p.id as piece_id, ad.points, ad.at
    from affairs_adoptions ad join affairs_pieces p on p.id = ad.piece_id join units u on u.id = p.unit_id
    where ${scope}`);
  const instructions = await ctx.tx.execute<{
    unit_id: string;
    user_id: string;
    piece_id: string;
    points: number;
    at: Date;
  }>(sql`
    select p.unit_id, p.created_by as user_id, p.id as piece_id, i.points, i.at
    from affairs_instructions i join affairs_pieces p on p.id = i.piece_id join units u on u.id = p.unit_id
    where ${scope} and i.at >= ${f} and i.at < ${t}`);
  const sent = await ctx.tx.execute<{
    unit_id: string;
    user_id: string;
    piece_id: string;
    at: Date;
    same_day: boolean | null;
  }>(sql`
    select p.unit_id, p.created_by as user_id, p.id as piece_id, p.first_sent_at as at,
      case when p.event_date is null then null
        else (p.first_sent_at at time zone 'Asia/Shanghai')::date = p.event_date end as same_day
    from affairs_pieces p join units u on u.id = p.unit_id
    where ${scope} and p.first_sent_at >= ${f} and p.first_sent_at < ${t}`);
  const commissions =
    await ctx.tx.execute<CommissionRow>(sql`${COMMISSION_SELECT} join units u on u.id = c.to_unit_id
    where ${scope} and c.due_at < ${t} and c.due_at >= ${new Date(from.getTime() - 2 * 86_400_000).toISOString()}`);
  return {
    adoptions: adoptions.rows,
    instructions: instructions.rows,
    sent: sent.rows,
    commissions: commissions.rows,
  };
}

export async function unitNames(ctx: Ctx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const r = await ctx.tx.execute<{ id: string; name: string }>(
    sql`select id, name from units where id = any(${uuids(ids)})`,
  );
  return new Map(r.rows.map((x) => [x.id, x.name]));
}

/** People of the given units holding one of the roles (the editors of the offices a piece reached …). */
export async function usersOfUnits(ctx: Ctx, unitIds: string[], roles: string[]): Promise<string[]> {
  if (unitIds.length === 0) return [];
  const r = await ctx.tx.execute<{ id: string }>(sql`select id from users where not disabled
    and unit_id = any(${uuids(unitIds)}) and roles && ${sql.raw(`array[${roles.map((x) => `'${x.replace(/'/g, '')}'`).join(',')}]::text[]`)}`);
  return r.rows.map((x) => x.id);
}

/** Pieces of a unit first sent in [from, to), and how many of them report problems (问题、社情民意、舆情). */
export async function unitSentCounts(
  ctx: Ctx,
  unitId: string,
  from: Date,
  to: Date,
  problemKinds: readonly string[],
) {
  const r = await ctx.tx.execute<{ pieces: number; problem: number }>(sql`select count(*)::int as pieces,
    (count(*) filter (where kind in (${sql.join(
      problemKinds.map((k) => sql`${k}`),
      sql`, `,
    )})))::int as problem
    from affairs_pieces where unit_id = ${unitId} and first_sent_at >= ${from.toISOString()}
      and first_sent_at < ${to.toISOString()}`);
  return { pieces: r.rows[0].pieces, problemPieces: r.rows[0].problem };
}

export async function insertPieceFiles(
  ctx: Ctx,
  pieceId: string,
  files: Array<{ filename: string; mime: string; data: Buffer }>,
): Promise<string[]> {
  if (files.length === 0) return [];
  const now = ctx.clock.now().toISOString();
  const r = await ctx.tx.execute<{
    id: string;
  }>(sql`insert into affairs_piece_files (piece_id, filename, mime, size,
    data, at, user_id) values ${sql.join(
      files.map(
        (f) =>
          sql`(${pieceId}, ${f.filename}, ${f.mime}, ${f.data.length}, ${f.data}, ${now}, ${ctx.actor?.id ?? null})`,
      ),
      sql`, `,
    )} returning id`);
  return r.rows.map((x) => x.id);
}

export async function pieceFiles(ctx: Ctx, pieceIds: string[]) {
  if (pieceIds.length === 0) return [];
  const r = await ctx.tx.execute<{
    id: string;
    piece_id: string;
    filename: string;
    mime: string;
    size: number;
    at: Date;
  }>(
    sql`select id, piece_id, filename, mime, size, at from affairs_piece_files where piece_id = any(${uuids(pieceIds)})
      order by at, filename`,
  );
  return r.rows;
}

export async function pieceFile(ctx: Ctx, id: string) {
  const r = await ctx.tx.execute<{ piece_id: string; filename: string; data: Buffer }>(
    sql`select piece_id, filename, data from affairs_piece_files where id = ${id}`,
  );
  return r.rows[0] ?? null;
}
