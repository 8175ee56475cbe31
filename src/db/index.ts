import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { NodePgPreparedQuery } from 'drizzle-orm/node-postgres/session';
import pg from 'pg';

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

export function createPool(url: string, max = 20): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000 });
  pool.on('error', () => {
    /* a dropped idle client is replaced on next use */
  });
  return pool;
}

export function createDb(pool: pg.Pool): Db {
  return drizzle(pool) as Db;
}

const MIGRATION_LOCK = 4_711_2026;

/** Apply migrations under an advisory lock: several instances may start at once. */
export async function runMigrations(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
