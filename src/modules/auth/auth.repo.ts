import { sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import type { Actor, Role, UnitRef } from '../shared/context.js';
import { actingUnitIdOf } from '../units/acting.js';
import { invalidateSessionCache } from './session-cache.js';

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

export async function findSessionUser(db: Db, tokenHash: string, now: Date) {
  const r = await db.execute<any>(sql`
    select u.* from sessions s join users u on u.id = s.user_id
    where s.token_hash = ${tokenHash} and s.expires_at > ${now.toISOString()} and not u.disabled`);
  return r.rows[0] ?? null;
}

export async function insertSession(db: Db, tokenHash: string, userId: string, now: Date, expiresAt: Date) {
  await db.execute(sql`insert into sessions (token_hash, user_id, created_at, expires_at)
    values (${tokenHash}, ${userId}, ${now.toISOString()}, ${expiresAt.toISOString()})`);
}

export async function deleteSession(db: Db, tokenHash: string) {
  invalidateSessionCache();
  await db.execute(sql`delete from sessions where token_hash = ${tokenHash}`);
}

export async function deleteUserSessions(db: Db, userId: string, exceptHash?: string) {
  invalidateSessionCache();
  await db.execute(
    sql`delete from sessions where user_id = ${userId} ${exceptHash ? sql`and token_hash <> ${exceptHash}` : sql``}`,
  );
}

export async function lockedUntil(db: Db, username: string, now: Date): Promise<Date | null> {
  const r = await db.execute<{ locked_until: Date }>(
    sql`select locked_until from login_locks where username = ${username} and locked_until > ${now.toISOString()}`,
  );
  return r.rows[0]?.locked_until ?? null;
}

/** Record a failed sign-in; returns how many failures the username has within the window. */
export async function recordFailure(
  db: Db,
  username: string,
  now: Date,
  windowMinutes: number,
): Promise<number> {
  await db.execute(sql`insert into login_failures (username, at) values (${username}, ${now.toISOString()})`);
  const since = new Date(now.getTime() - windowMinutes * 60_000);
  const r = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from login_failures where username = ${username} and at > ${since.toISOString()}`,
  );
  return r.rows[0].n;
}

export async function lock(db: Db, username: string, until: Date) {
  await db.execute(sql`insert into login_locks (username, locked_until) values (${username}, ${until.toISOString()})
    on conflict (username) do update set locked_until = excluded.locked_until`);
  await db.execute(sql`delete from login_failures where username = ${username}`);
}

export async function clearFailures(db: Db, username: string) {
  await db.execute(sql`delete from login_failures where username = ${username}`);
}
