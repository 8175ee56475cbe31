import { type SQL, sql } from 'drizzle-orm';
import type { Actor, Ctx } from '../../floor/context.js';
import { isGlobalAdmin } from '../auth/policy.js';

/** SQL of the major hazard sources (重大危险源): the register, its check-ins and the monitoring readings. */

export type SourceRow = {
  id: string;
  name: string;
  unit_id: string;
  unit_name: string;
  unit_kind: string;
  unit_parent_id: string | null;
  unit_path: string[];
  area_id: string;
  area_name: string;
  place: string;
  lng: number | null;
  lat: number | null;
  level: string | null;
  description: string | null;
  check_every_minutes: number;
  last_check_at: Date | null;
  missed_since: Date | null;
  missed_count: number;
  created_at: Date;
};

export type CheckRow = {
  id: string;
  at: Date;
  note: string | null;
  abnormal: boolean;
  user_name: string;
  has_photo: boolean;
};

export type ReadingRow = {
  id: string;
  metric: string;
  value: number;
  unit: string | null;
  at: Date;
  alarm: boolean;
};

/**
 * Readable across the owner's county-level area (every unit inside it) and by the areas above it — not by a sibling
 * county: the actor lies in the source's area, or the area lies in the actor's subtree.
 */
export const sourceVisibleSql = (a: Actor, alias = 's'): SQL => {
  if (isGlobalAdmin(a)) return sql`true`;
  const s = sql.raw(alias);
  const mine = sql.raw(`array[${a.acting.path.map((x) => `'${x}'`).join(',') || 'null'}]::uuid[]`);
  return sql`exists (select 1 from units sa where sa.id = ${s}.area_id
    and (sa.path @> array[${a.acting.id}]::uuid[] or sa.id = any(${mine})))`;
};

const SELECT = sql`select s.id, s.name, s.unit_id, u.name as unit_name, u.kind as unit_kind,
  u.parent_id as unit_parent_id, u.path as unit_path, s.area_id, ar.name as area_name, s.place, s.lng, s.lat,
  s.level, s.description, s.check_every_minutes, s.last_check_at, s.missed_since, s.missed_count, s.created_at
  from hazard_sources s join units u on u.id = s.unit_id join units ar on ar.id = s.area_id`;

/** The county-level area a unit lies in (a unit above county level: its own nearest area). */
export async function countyAreaOf(ctx: Ctx, unitId: string): Promise<string | null> {
  const r = await ctx.tx.execute<{ id: string | null }>(sql`
    select coalesce(
      (select a.id from units u join units a on a.id = any(u.path) where u.id = ${unitId}
         and a.kind = 'area' and a.level = 'county' limit 1),
      (select a.id from units u join units a on a.id = any(u.path) where u.id = ${unitId}
         and a.kind = 'area' order by array_length(a.path, 1) desc limit 1)) as id`);
  return r.rows[0]?.id ?? null;
}

export async function insertSource(
  ctx: Ctx,
  s: {
    name: string;
    unitId: string;
    areaId: string;
    place: string;
    lng: number | null;
    lat: number | null;
    level: string | null;
    description: string | null;
    checkEveryMinutes: number;
  },
): Promise<string> {
  const now = ctx.clock.now().toISOString();
  const r = await ctx.tx.execute<{ id: string }>(sql`
    insert into hazard_sources (name, unit_id, area_id, place, lng, lat, level, description, check_every_minutes,
      created_by, created_at, updated_at)
    values (${s.name}, ${s.unitId}, ${s.areaId}, ${s.place}, ${s.lng}, ${s.lat}, ${s.level}, ${s.description},
      ${s.checkEveryMinutes}, ${ctx.actor!.id}, ${now}, ${now}) returning id`);
  return r.rows[0]!.id;
}

/** One source (as the actor sees it; `null`: unscoped, for timers), optionally locked for a change. */
export async function getSource(
  ctx: Ctx,
  id: string,
  a: Actor | null,
  lock = false,
): Promise<SourceRow | null> {
  const r = await ctx.tx.execute<SourceRow>(
    sql`${SELECT} where s.id = ${id} ${a ? sql`and ${sourceVisibleSql(a)}` : sql``} ${lock ? sql`for update of s` : sql``}`,
  );
  return r.rows[0] ?? null;
}

export async function listSources(ctx: Ctx, a: Actor): Promise<SourceRow[]> {
  const r = await ctx.tx.execute<SourceRow>(
    sql`${SELECT} where ${sourceVisibleSql(a)} order by s.missed_since nulls last, s.name limit 500`,
  );
  return r.rows;
}

export async function insertCheck(
  ctx: Ctx,
  c: {
    sourceId: string;
    at: Date;
    note: string | null;
    abnormal: boolean;
    photo: { filename: string; mime: string; data: Buffer } | null;
  },
): Promise<string> {
  const r = await ctx.tx.execute<{ id: string }>(sql`
    insert into hazard_source_checks (source_id, at, note, abnormal, user_id, photo_filename, photo_mime, photo_size,
      photo, created_at)
    values (${c.sourceId}, ${c.at.toISOString()}, ${c.note}, ${c.abnormal}, ${ctx.actor!.id},
      ${c.photo?.filename ?? null}, ${c.photo?.mime ?? null}, ${c.photo?.data.length ?? null}, ${c.photo?.data ?? null},
      ${ctx.clock.now().toISOString()}) returning id`);
  return r.rows[0]!.id;
}

/** A check-in moves the last check (never backwards: a paper check entered late) and clears a missed check. */
export async function markChecked(ctx: Ctx, id: string, at: Date): Promise<Date> {
  const r = await ctx.tx.execute<{ last_check_at: Date }>(sql`
    update hazard_sources set last_check_at = greatest(last_check_at, ${at.toISOString()}::timestamptz),
      missed_since = null, updated_at = ${ctx.clock.now().toISOString()}
    where id = ${id} returning last_check_at`);
  return r.rows[0]!.last_check_at;
}

export async function markMissed(ctx: Ctx, id: string, dueAt: Date): Promise<void> {
  await ctx.tx.execute(sql`update hazard_sources set missed_since = coalesce(missed_since, ${dueAt.toISOString()}::timestamptz),
    missed_count = missed_count + 1, updated_at = ${ctx.clock.now().toISOString()} where id = ${id}`);
}

export async function listChecks(ctx: Ctx, sourceId: string, limit = 30): Promise<CheckRow[]> {
  const r = await ctx.tx.execute<CheckRow>(sql`
    select c.id, c.at, c.note, c.abnormal, coalesce(u.name, '') as user_name, c.photo is not null as has_photo
    from hazard_source_checks c left join users u on u.id = c.user_id
    where c.source_id = ${sourceId} order by c.at desc limit ${limit}`);
  return r.rows;
}

export async function getCheckPhoto(
  ctx: Ctx,
  checkId: string,
): Promise<{ source_id: string; filename: string; data: Buffer } | null> {
  const r = await ctx.tx.execute<{ source_id: string; filename: string; data: Buffer }>(sql`
    select source_id, photo_filename as filename, photo as data from hazard_source_checks
    where id = ${checkId} and photo is not null`);
  return r.rows[0] ?? null;
}

export async function insertReading(
  ctx: Ctx,
  x: { sourceId: string; metric: string; value: number; unit: string | null; at: Date; alarm: boolean },
): Promise<string> {
  const r = await ctx.tx.execute<{ id: string }>(sql`
    insert into hazard_source_readings (source_id, metric, value, unit, at, alarm, user_id, created_at)
    values (${x.sourceId}, ${x.metric}, ${x.value}, ${x.unit}, ${x.at.toISOString()}, ${x.alarm}, ${ctx.actor!.id},
      ${ctx.clock.now().toISOString()}) returning id`);
  return r.rows[0]!.id;
}

export async function listReadings(ctx: Ctx, sourceId: string, limit = 30): Promise<ReadingRow[]> {
  const r = await ctx.tx.execute<ReadingRow>(sql`
    select id, metric, value, unit, at, alarm from hazard_source_readings
    where source_id = ${sourceId} order by at desc limit ${limit}`);
  return r.rows;
}

/** Row-level locking of the sources a batch of timers names. */
export async function lockSources(ctx: Ctx, ids: string[]): Promise<Map<string, SourceRow>> {
  if (!ids.length) return new Map();
  const r = await ctx.tx.execute<SourceRow>(
    sql`${SELECT} where s.id in (${sql.join(
      ids.map((x) => sql`${x}`),
      sql`, `,
    )}) for update of s`,
  );
  return new Map(r.rows.map((s) => [s.id, s]));
}
