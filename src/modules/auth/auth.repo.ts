import { sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import type { Actor, Role, UnitRef } from '../../floor/context.js';
import { actingUnitIdOf } from '../units/acting.js';

const unitCols = sql`id, name, kind, level, parent_id as "parentId", path`;

export async function loadUnitRef(db: Db, id: string): Promise<UnitRef | null> {
  const r = await db.execute<UnitRef>(sql`select ${unitCols} from units where id = ${id}`);
  return r.rows[0] ?? null;
}

export async function actorFromUserRow(db: Db, u: any): Promise<Actor> {
  const unit = (await loadUnitRef(db, u.unit_id))!;
  const actingId = actingUnitIdOf(unit);
  const acting = actingId === unit.id ? unit : ((await loadUnitRef(db, actingId)) ?? unit);
  return {
    id: u.id,
    username: u.username,
    name: u.name,
    unitId: u.unit_id,
    roles: u.roles as Role[],
    unit,
    acting,
  };
}

export async function findUserByUsername(db: Db, username: string) {
  const r = await db.execute<any>(sql`select * from users where username = ${username}`);
  return r.rows[0] ?? null;
}

const unitJson = (a: string) =>
  sql.raw(
    `json_build_object('id', ${a}.id, 'name', ${a}.name, 'kind', ${a}.kind, 'level', ${a}.level, 'parentId', ${a}.parent_id, 'path', ${a}.path)`,
  );

/**
 * Who holds a session, in one statement: the user, their unit and the unit they act for (an office acts for its
 * parent area) — or null for no, an expired or a revoked session, or a disabled user.
 */
export async function findSessionActor(db: Db, tokenHash: string, now: Date): Promise<Actor | null> {
  const r = await db.execute<{
    id: string;
    username: string;
    name: string;
    unit_id: string;
    roles: Role[];
    unit: UnitRef;
    parent: UnitRef | null;
  }>(sql`
    select u.id, u.username, u.name, u.unit_id, u.roles, ${unitJson('un')} as unit,
           case when p.id is null then null else ${unitJson('p')} end as parent
    from sessions s
      join users u on u.id = s.user_id
      join units un on un.id = u.unit_id
      left join units p on p.id = un.parent_id
    where s.token_hash = ${tokenHash} and s.expires_at > ${now.toISOString()} and not u.disabled`);
  const row = r.rows[0];
  if (!row) return null;
  const actingId = actingUnitIdOf(row.unit);
  const acting = actingId === row.unit.id ? row.unit : (row.parent ?? row.unit);
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    unitId: row.unit_id,
    roles: row.roles,
    unit: row.unit,
    acting,
  };
}

export async function insertSession(db: Db, tokenHash: string, userId: string, now: Date, expiresAt: Date) {
  await db.execute(sql`insert into sessions (token_hash, user_id, created_at, expires_at)
    values (${tokenHash}, ${userId}, ${now.toISOString()}, ${expiresAt.toISOString()})`);
}

/** Delete one session; returns whose it was (null if there was none). */
export async function deleteSession(db: Db, tokenHash: string): Promise<string | null> {
  const r = await db.execute<{ user_id: string }>(
    sql`delete from sessions where token_hash = ${tokenHash} returning user_id`,
  );
  return r.rows[0]?.user_id ?? null;
}

export async function deleteUserSessions(db: Db, userId: string, exceptHash?: string | null) {
  await db.execute(
    sql`delete from sessions where user_id = ${userId} ${exceptHash ? sql`and token_hash <> ${exceptHash}` : sql``}`,
  );
}

/** Of these sessions, the ones still valid now, with their user's roles and unit. */
export async function liveSessions(db: Db, tokenHashes: string[], now: Date) {
  if (tokenHashes.length === 0) return [];
  const r = await db.execute<{ token_hash: string; roles: string[]; unit_id: string }>(sql`
    select s.token_hash, u.roles, u.unit_id from sessions s join users u on u.id = s.user_id
    where s.token_hash = any(${`{${tokenHashes.join(',')}}`}::text[])
      and s.expires_at > ${now.toISOString()} and not u.disabled`);
  return r.rows;
}

/**
 * Count a sign-in attempt before its password is checked, in one atomic upsert (parallel attempts each get
 * their own number). A lapsed window or an expired lock starts a fresh count.
 */
export async function countAttempt(
  db: Db,
  username: string,
  now: Date,
  windowMinutes: number,
): Promise<{ attempts: number; lockedUntil: Date | null }> {
  const at = now.toISOString();
  const windowFrom = new Date(now.getTime() - windowMinutes * 60_000).toISOString();
  const r = await db.execute<{ attempts: number; locked_until: Date | null }>(sql`
    insert into login_attempts as a (username, window_start, attempts, failures) values (${username}, ${at}, 1, 0)
    on conflict (username) do update set
      attempts = case when a.locked_until <= ${at} or (a.locked_until is null and a.window_start <= ${windowFrom})
                      then 1 else a.attempts + 1 end,
      failures = case when a.locked_until <= ${at} or (a.locked_until is null and a.window_start <= ${windowFrom})
                      then 0 else a.failures end,
      window_start = case when a.locked_until <= ${at} or (a.locked_until is null and a.window_start <= ${windowFrom})
                      then ${at}::timestamptz else a.window_start end,
      locked_until = case when a.locked_until <= ${at} then null else a.locked_until end
    returning attempts, locked_until`);
  const row = r.rows[0];
  return { attempts: row.attempts, lockedUntil: row.locked_until };
}

/** Record a failed check; the failure that reaches `limit` locks the username until `lockUntil`. */
export async function recordFailure(db: Db, username: string, limit: number, lockUntil: Date) {
  const r = await db.execute<{ failures: number }>(sql`
    update login_attempts set failures = failures + 1,
      locked_until = case when failures + 1 >= ${limit} and locked_until is null then ${lockUntil.toISOString()}::timestamptz
                          else locked_until end
    where username = ${username} returning failures`);
  return r.rows[0]?.failures ?? 0;
}

export async function clearAttempts(db: Db, username: string) {
  await db.execute(sql`delete from login_attempts where username = ${username}`);
}

/** The username's current lock, if any (for the administrators' list). */
export async function lockedUntil(db: Db, username: string, now: Date): Promise<Date | null> {
  const r = await db.execute<{ locked_until: Date }>(sql`
    select locked_until from login_attempts where username = ${username} and locked_until > ${now.toISOString()}`);
  return r.rows[0]?.locked_until ?? null;
}
