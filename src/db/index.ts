import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { NodePgPreparedQuery } from 'drizzle-orm/node-postgres/session';
import pg from 'pg';
import { installSqlCounter } from './sql-count.js';

// the bench's statement counter (src/db/sql-count.ts); nothing of it runs unless asked for
if (process.env.JIBAO_COUNT_SQL === '1') installSqlCounter();

// timestamptz and bigint come back as Date and number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

// Raw `db.execute(sql…)` results: drizzle hands timestamps back as PostgreSQL text; we want Date objects
// (serialised as ISO 8601 in the API), so convert timestamptz/timestamp columns of raw results here, once.
const TS_TYPES = new Set([1184, 1114]);
const proto = NodePgPreparedQuery.prototype as any;
if (!proto.__jibaoDates) {
  const original = proto.execute;
  proto.execute = async function (this: any, ...args: unknown[]) {
    const result = await original.apply(this, args);
    if (!this.fields && !this.customResultMapper && result?.fields && Array.isArray(result.rows)) {
      const cols = result.fields.filter((f: any) => TS_TYPES.has(f.dataTypeID)).map((f: any) => f.name);
      if (cols.length)
        for (const row of result.rows)
          for (const c of cols)
            if (typeof row[c] === 'string')
              row[c] = new Date(row[c].replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
    }
    return result;
  };
  proto.__jibaoDates = true;
}

export type Db = NodePgDatabase<Record<string, never>>;
export type Tx = Db; // a transaction exposes the same query API

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Statements are cut after this long (requests are cut at 15 s too); jobs and migrations lift it. */
export const STATEMENT_TIMEOUT_MS = 15_000;

/**
 * Connections per instance: `JIBAO_DB_POOL` if set, else two per core plus two (the live-stream listener and
 * the workers hold one each), within 4–8. More connections than the cores can serve only queue the work
 * inside PostgreSQL; past the pool, requests wait in the app, bounded by admission (503 `busy`).
 */
export function poolSize(
  setting = process.env.JIBAO_DB_POOL,
  cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
): number {
  const n = Number(setting);
  if (setting !== undefined && setting !== '' && Number.isInteger(n) && n > 0) return n;
  return Math.min(8, Math.max(4, cores * 2 + 2));
}

export function createPool(
  url: string,
  max = poolSize(),
  opts: { statementTimeoutMs?: number } = {},
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    idleTimeoutMillis: 30_000,
    statement_timeout: opts.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS,
  });
  pool.on('error', () => {
    /* a dropped idle client is replaced on next use */
  });
  return pool;
}

export function createDb(pool: pg.Pool): Db {
  return drizzle(pool) as Db;
}

const MIGRATION_LOCK = 4_711_2026;

/** Whether the database lacks migrations this build has (read-only: the app's role may ask). */
export async function migrationsPending(client: pg.ClientBase): Promise<boolean> {
  const newest = Math.max(...readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis));
  try {
    const r = await client.query('select max(created_at)::bigint as last from drizzle.__drizzle_migrations');
    return !(Number(r.rows[0]?.last ?? 0) >= newest);
  } catch {
    return true; // no migrations table yet (or not readable)
  }
}

export interface MigrateOptions {
  /**
   * Grant the app's rights to this role (created NOLOGIN if missing): read and write everything except the
   * registration log and its checkpoints, which it may only read and append to. Needs the owner credential.
   */
  appRole?: string;
}

/**
 * Apply migrations under an advisory lock: several instances may start at once. Nothing to apply → nothing
 * is done, so the app's restricted role can start on a database its owner migrated.
 */
export async function runMigrations(pool: pg.Pool, opts: MigrateOptions = {}): Promise<void> {
  const client = await pool.connect();
  try {
    // a migration may take longer than a request's statement limit
    await client.query('set statement_timeout = 0');
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      if (await migrationsPending(client)) await migrate(drizzle(client), { migrationsFolder });
      if (opts.appRole) await grantAppRole(client, opts.appRole);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await client.query('reset statement_timeout').catch(() => {});
    client.release();
  }
}

/**
 * Create a role unless it exists. Roles are cluster-wide and `CREATE ROLE` is not covered by a database's
 * advisory lock: parallel migrations of other databases (test workers, CI) may race, so a duplicate is success.
 */
export async function ensureRole(client: pg.ClientBase, role: string, attrs = 'NOLOGIN'): Promise<void> {
  const lit = client.escapeLiteral(role);
  const id = client.escapeIdentifier(role);
  await client.query(`DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${lit}) THEN
      BEGIN
        CREATE ROLE ${id} ${attrs};
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END;
    END IF;
  END $$`);
}

/** The app's rights: everything it needs, and on the log and its checkpoints only SELECT and INSERT. */
export async function grantAppRole(client: pg.ClientBase, role: string): Promise<void> {
  await ensureRole(client, role);
  const r = client.escapeIdentifier(role);
  const db = client.escapeIdentifier(
    (await client.query('select current_database() as d')).rows[0].d as string,
  );
  await client.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${r}`);
  await client.query(`GRANT USAGE ON SCHEMA public, drizzle TO ${r}`);
  await client.query(`GRANT SELECT ON drizzle.__drizzle_migrations TO ${r}`);
  await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`);
  await client.query(
    `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log, audit_checkpoints FROM ${r}`,
  );
  await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`);
}

/**
 * Whether the connected role could rewrite the registration log (the owner or a superuser: one credential for
 * everything). Start-up warns then: only the trigger and the signed checkpoints protect the log.
 */
export async function logRewritable(pool: pg.Pool): Promise<boolean> {
  const r = await pool.query(`select rolsuper or pg_has_role(c.relowner, 'USAGE') as owner,
      has_table_privilege('audit_log', 'UPDATE') or has_table_privilege('audit_log', 'DELETE') as writes
    from pg_roles, pg_class c where rolname = current_user and c.oid = 'audit_log'::regclass`);
  return !!(r.rows[0]?.owner || r.rows[0]?.writes);
}

/**
 * Migrate at start-up. With an owner credential (`JIBAO_MIGRATE_URL`, or the embedded database's superuser) the
 * owner migrates and grants the app's role its rights, and the app's pool never holds more. With one URL only,
 * it migrates as today and warns when that role could rewrite the registration log.
 */
export async function migrateDatabase(
  appPool: pg.Pool,
  opts: { migrateUrl?: string | null; appRole?: string; log?: (m: string) => void } = {},
): Promise<void> {
  const log = opts.log ?? (() => {});
  if (opts.migrateUrl) {
    const owner = createPool(opts.migrateUrl, 2);
    try {
      await runMigrations(owner, { appRole: opts.appRole ?? 'jibao_app' });
    } finally {
      await owner.end();
    }
  } else await runMigrations(appPool);
  if (await logRewritable(appPool))
    log(
      '警告：应用的数据库账号可以改写登记簿（只靠触发器和签名检查点保护）。请用 JIBAO_MIGRATE_URL 提供属主账号，DATABASE_URL 用受限的应用账号。' +
        ' / WARNING: the app connects with a role that can rewrite the registration log; set JIBAO_MIGRATE_URL to the owner and DATABASE_URL to the restricted app role.',
    );
}
