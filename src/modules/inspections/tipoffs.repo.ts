import { sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import type { Actor, Ctx } from '../../floor/context.js';
import { type RateLimit, windowStart } from './rules.js';

/**
 * Count one request of `client` in the limit's current window, in its own statement (not in a transaction that
 * could roll it back): every instance counts in the same row. Returns the number of requests in the window so far.
 */
export async function hitRate(db: Db, limit: RateLimit, client: string, now: Date): Promise<number> {
  const start = windowStart(now, limit.windowMs).toISOString();
  const r = await db.execute<{ hits: number }>(sql`
    insert into public_rate_counters (bucket, client, window_start, hits) values (${limit.bucket}, ${client}, ${start}, 1)
    on conflict (bucket, client, window_start) do update set hits = public_rate_counters.hits + 1
    returning hits`);
  return r.rows[0]!.hits;
}

/** Counters of windows that ended more than a day ago are dropped now and then. */
export async function pruneRate(db: Db, now: Date): Promise<void> {
  await db.execute(
    sql`delete from public_rate_counters where window_start < ${new Date(now.getTime() - 24 * 3600_000).toISOString()}`,
  );
}

/** The area a tip-off goes to: the area with that division code, or (none given) the top area of the tree. */
export async function tipoffArea(ctx: Ctx, divisionCode: string | null): Promise<string | null> {
  const r = await ctx.tx.execute<{ id: string }>(
    divisionCode
      ? sql`select id from units where kind = 'area' and division_code = ${divisionCode} and not disabled limit 1`
      : sql`select id from units where kind = 'area' and parent_id is null order by created_at limit 1`,
  );
  return r.rows[0]?.id ?? null;
}

/** The areas a tipster may pick (name and division code), top-down. */
export async function tipoffAreas(
  db: Db,
): Promise<Array<{ code: string; name: string; level: string | null }>> {
  const r = await db.execute<{ code: string; name: string; level: string | null }>(sql`
    select division_code as code, name, level from units
    where kind = 'area' and division_code is not null and not disabled order by division_code limit 5000`);
  return r.rows;
}

export async function insertTipoff(
  ctx: Ctx,
  t: {
    receiptHash: string;
    text: string;
    place: string | null;
    contact: string | null;
    divisionCode: string | null;
    areaId: string;
  },
): Promise<string> {
  const now = ctx.clock.now().toISOString();
  const r = await ctx.tx.execute<{ id: string }>(sql`
    insert into tipoffs (receipt_hash, text, place, contact, division_code, area_id, status, created_at, updated_at)
    values (${t.receiptHash}, ${t.text}, ${t.place}, ${t.contact}, ${t.divisionCode}, ${t.areaId}, 'received', ${now}, ${now})
    returning id`);
  return r.rows[0]!.id;
}

export async function tipoffStatus(
  db: Db,
  hash: string,
): Promise<{ status: string; updated_at: Date } | null> {
  const r = await db.execute<{ status: string; updated_at: Date }>(
    sql`select status, updated_at from tipoffs where receipt_hash = ${hash}`,
  );
  return r.rows[0] ?? null;
}

export type TipoffRow = {
  id: string;
  text: string;
  place: string | null;
  contact: string | null;
  division_code: string | null;
  area_id: string;
  area_name: string;
  area_path: string[];
  assigned_unit_id: string | null;
  assigned_unit_name: string | null;
  status: 'received' | 'investigating' | 'closed';
  note: string | null;
  result: string | null;
  reward_note: string | null;
  created_at: Date;
  updated_at: Date;
  photos: Array<{ id: string; filename: string; mime: string; size: number; at: string }>;
};

const TIPOFF_SELECT = sql`select t.id, t.text, t.place, t.contact, t.division_code, t.area_id, a.name as area_name,
  a.path as area_path, t.assigned_unit_id, au.name as assigned_unit_name, t.status, t.note, t.result, t.reward_note,
  t.created_at, t.updated_at,
  coalesce((select json_agg(json_build_object('id', p.id, 'filename', p.filename, 'mime', p.mime, 'size', p.size,
    'at', p.at) order by p.at) from tipoff_photos p where p.tipoff_id = t.id), '[]') as photos
  from tipoffs t join units a on a.id = t.area_id left join units au on au.id = t.assigned_unit_id`;

const tipoffVisible = (a: Actor) =>
  sql`(a.path @> array[${a.acting.id}]::uuid[] or t.assigned_unit_id = ${a.acting.id})`;

export async function listTipoffs(ctx: Ctx, a: Actor, status?: string): Promise<TipoffRow[]> {
  const r = await ctx.tx.execute<TipoffRow>(sql`${TIPOFF_SELECT} where ${tipoffVisible(a)}
    ${status ? sql`and t.status = ${status}` : sql``} order by t.status = 'closed', t.created_at desc limit 500`);
  return r.rows;
}

export async function getTipoff(ctx: Ctx, a: Actor, id: string, lock = false): Promise<TipoffRow | null> {
  const r = await ctx.tx.execute<TipoffRow>(
    sql`${TIPOFF_SELECT} where t.id = ${id} and ${tipoffVisible(a)} ${lock ? sql`for update of t` : sql``}`,
  );
  return r.rows[0] ?? null;
}

export async function updateTipoff(
  ctx: Ctx,
  id: string,
  set: {
    status?: string;
    assignedUnitId?: string;
    note?: string | null;
    result?: string;
    rewardNote?: string | null;
  },
): Promise<void> {
  await ctx.tx.execute(sql`update tipoffs set
    status = coalesce(${set.status ?? null}, status),
    assigned_unit_id = coalesce(${set.assignedUnitId ?? null}::uuid, assigned_unit_id),
    note = coalesce(${set.note ?? null}, note),
    result = coalesce(${set.result ?? null}, result),
    reward_note = coalesce(${set.rewardNote ?? null}, reward_note),
    updated_at = ${ctx.clock.now().toISOString()} where id = ${id}`);
}

/** The tip-off a receipt names, locked, with how many photos it has (for the tipster's photo upload). */
export async function tipoffByReceipt(
  ctx: Ctx,
  hash: string,
): Promise<{ id: string; area_id: string; created_at: Date; status: string; photos: number } | null> {
  const r = await ctx.tx.execute<{
    id: string;
    area_id: string;
    created_at: Date;
    status: string;
    photos: number;
  }>(
    sql`select t.id, t.area_id, t.created_at, t.status,
      (select count(*)::int from tipoff_photos p where p.tipoff_id = t.id) as photos
    from tipoffs t where t.receipt_hash = ${hash} for update`,
  );
  return r.rows[0] ?? null;
}

export async function insertTipoffPhoto(
  ctx: Ctx,
  p: { tipoffId: string; filename: string; mime: string; data: Buffer },
): Promise<string> {
  const r = await ctx.tx.execute<{ id: string }>(sql`
    insert into tipoff_photos (tipoff_id, filename, mime, size, data, at)
    values (${p.tipoffId}, ${p.filename}, ${p.mime}, ${p.data.length}, ${p.data}, ${ctx.clock.now().toISOString()})
    returning id`);
  return r.rows[0]!.id;
}

export async function getTipoffPhoto(
  ctx: Ctx,
  id: string,
): Promise<{ tipoff_id: string; filename: string; data: Buffer } | null> {
  const r = await ctx.tx.execute<{ tipoff_id: string; filename: string; data: Buffer }>(
    sql`select tipoff_id, filename, data from tipoff_photos where id = ${id}`,
  );
  return r.rows[0] ?? null;
}
