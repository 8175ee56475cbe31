import { sql } from 'drizzle-orm';
import type { Actor, Ctx } from '../../floor/context.js';
import { isGlobalAdmin } from '../auth/policy.js';

/** SQL of the publications (刊物) and their issues (期). */

export type PublicationRow = {
  id: string;
  office_id: string;
  office_name: string;
  area_id: string;
  area_path: string[];
  name: string;
  kind: string;
  distribution: string[];
  created_at: Date;
};

const PUB_SELECT = sql`select p.id, p.office_id, o.name as office_name, p.area_id, a.path as area_path, p.name,
  p.kind, p.distribution, p.created_at from affairs_publications p join units o on o.id = p.office_id
  join units a on a.id = p.area_id`;

const uuids = (ids: string[]) =>
  sql.raw(`array[${ids.map((i) => `'${i.replace(/'/g, '')}'`).join(',')}]::uuid[]`);

export async function insertPublication(
  ctx: Ctx,
  p: { officeId: string; areaId: string; name: string; kind: string; distribution: string[] },
): Promise<string> {
  const r = await ctx.tx.execute<{
    id: string;
  }>(sql`insert into affairs_publications (office_id, area_id, name, kind,
    distribution, created_by, created_at) values (${p.officeId}, ${p.areaId}, ${p.name}, ${p.kind},
    ${uuids(p.distribution)}, ${ctx.actor?.id ?? null}, ${ctx.clock.now().toISOString()}) returning id`);
  return r.rows[0].id;
}

export async function loadPublication(ctx: Ctx, id: string, lock = false): Promise<PublicationRow | null> {
  const r = await ctx.tx.execute<PublicationRow>(
    sql`${PUB_SELECT} where p.id = ${id} ${lock ? sql`for update of p` : sql``}`,
  );
  return r.rows[0] ?? null;
}

/** Publications the actor may read (the same rule as `seesIssue`, in SQL). */
export async function listPublicationRows(ctx: Ctx, a: Actor): Promise<PublicationRow[]> {
  const scope = isGlobalAdmin(a)
    ? sql`true`
    : sql`((p.office_id = ${a.unitId} and ${a.roles.includes('editor')}) or p.distribution @> array[${a.id}]::uuid[]
        or (p.kind = 'daily' and (a.path @> array[${a.acting.id}]::uuid[] or p.area_id = any(${uuids(a.acting.path)}))))`;
  const r = await ctx.tx.execute<PublicationRow>(sql`${PUB_SELECT} where ${scope} order by p.created_at`);
  return r.rows;
}

export async function existingUsers(ctx: Ctx, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const r = await ctx.tx.execute<{ id: string }>(
    sql`select id from users where id = any(${uuids(ids)}) and not disabled`,
  );
  return r.rows.map((x) => x.id);
}

export type IssueRow = {
  id: string;
  publication_id: string;
  year: number;
  number: number;
  total_number: number;
  title: string | null;
  status: string;
  created_at: Date;
  withdrawn_at: Date | null;
};

/** The next numbers of a publication: per Beijing year and in total, no gaps (the publication row is locked). */
export async function nextNumbers(ctx: Ctx, publicationId: string, year: number) {
  const r = await ctx.tx.execute<{ n: number; total: number }>(sql`select
    coalesce(max(number) filter (where year = ${year}), 0)::int + 1 as n, count(*)::int + 1 as total
    from affairs_issues where publication_id = ${publicationId}`);
  return r.rows[0];
}

export async function insertIssue(
  ctx: Ctx,
  i: { publicationId: string; year: number; number: number; totalNumber: number; title: string | null },
): Promise<string> {
  const r = await ctx.tx.execute<{ id: string }>(sql`insert into affairs_issues (publication_id, year, number,
    total_number, title, status, created_by, created_at) values (${i.publicationId}, ${i.year}, ${i.number},
    ${i.totalNumber}, ${i.title}, 'published', ${ctx.actor?.id ?? null}, ${ctx.clock.now().toISOString()}) returning id`);
  return r.rows[0].id;
}

export async function insertIssuePieces(ctx: Ctx, issueId: string, pieceIds: string[]): Promise<void> {
  if (pieceIds.length === 0) return;
  await ctx.tx.execute(
    sql`insert into affairs_issue_pieces (issue_id, piece_id, ord) values ${sql.join(
      pieceIds.map((p, k) => sql`(${issueId}, ${p}, ${k + 1})`),
      sql`, `,
    )}`,
  );
}

export async function loadIssue(ctx: Ctx, id: string, lock = false): Promise<IssueRow | null> {
  const r = await ctx.tx.execute<IssueRow>(
    sql`select * from affairs_issues where id = ${id} ${lock ? sql`for update` : sql``}`,
  );
  return r.rows[0] ?? null;
}

export async function issuesOf(ctx: Ctx, publicationId: string): Promise<IssueRow[]> {
  const r = await ctx.tx.execute<IssueRow>(
    sql`select * from affairs_issues where publication_id = ${publicationId} order by year desc, number desc`,
  );
  return r.rows;
}

export async function issuePieceIds(ctx: Ctx, issueId: string): Promise<string[]> {
  const r = await ctx.tx.execute<{ piece_id: string }>(
    sql`select piece_id from affairs_issue_pieces where issue_id = ${issueId} order by ord`,
  );
  return r.rows.map((x) => x.piece_id);
}

export async function withdrawIssueRow(ctx: Ctx, id: string): Promise<void> {
  await ctx.tx.execute(sql`update affairs_issues set status = 'withdrawn', withdrawn_at = ${ctx.clock.now().toISOString()}
    where id = ${id}`);
}

/** 传阅: who the issue is circulated to — the distribution list, or for a daily the leaders of its area. */
export async function circulationOf(ctx: Ctx, p: { kind: string; distribution: string[]; areaId: string }) {
  if (p.kind !== 'daily' || p.distribution.length) return p.distribution;
  const r = await ctx.tx.execute<{
    id: string;
  }>(sql`select us.id from users us join units u on u.id = us.unit_id
    where not us.disabled and us.roles && array['leader']::text[]
      and (u.id = ${p.areaId} or (u.parent_id = ${p.areaId} and u.kind in ('party_office', 'gov_office')))`);
  return r.rows.map((x) => x.id);
}

/** A read receipt (the first read counts); true when this was the first. */
export async function markRead(ctx: Ctx, issueId: string, userId: string): Promise<boolean> {
  const r = await ctx.tx.execute(sql`insert into affairs_issue_reads (issue_id, user_id, read_at)
    values (${issueId}, ${userId}, ${ctx.clock.now().toISOString()}) on conflict do nothing returning 1`);
  return (r.rowCount ?? 0) > 0;
}

export async function readsOf(ctx: Ctx, issueId: string) {
  const r = await ctx.tx.execute<{
    user_id: string;
    name: string;
    read_at: Date;
  }>(sql`select r.user_id, u.name,
    r.read_at from affairs_issue_reads r join users u on u.id = r.user_id where r.issue_id = ${issueId}
    order by r.read_at`);
  return r.rows;
}

/** 重点联系单位: designate (or change the quota of) a key liaison unit of an area for a year. */
export async function upsertLiaison(
  ctx: Ctx,
  l: { areaId: string; unitId: string; year: number; quota: number },
) {
  await ctx.tx.execute(sql`insert into affairs_liaison_units (area_id, unit_id, year, quota, set_by, set_at)
    values (${l.areaId}, ${l.unitId}, ${l.year}, ${l.quota}, ${ctx.actor?.id ?? null}, ${ctx.clock.now().toISOString()})
    on conflict (area_id, unit_id, year) do update set quota = excluded.quota, set_by = excluded.set_by,
      set_at = excluded.set_at`);
}

/** The key liaison units of an area in a year with the pieces each first sent that year (its progress). */
export async function liaisonProgress(ctx: Ctx, areaId: string, year: number, from: Date, to: Date) {
  const r = await ctx.tx.execute<{ unit_id: string; name: string; quota: number; sent: number }>(sql`
    select l.unit_id, u.name, l.quota, (select count(*)::int from affairs_pieces p where p.unit_id = l.unit_id
      and p.first_sent_at >= ${from.toISOString()} and p.first_sent_at < ${to.toISOString()}) as sent
    from affairs_liaison_units l join units u on u.id = l.unit_id
    where l.area_id = ${areaId} and l.year = ${year} order by u.name`);
  return r.rows;
}
