import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, createPool, type Db } from '../../src/db/index.js';

export interface TestDb {
  /** the app's restricted role (as the app connects in production) */
  url: string;
  pool: pg.Pool;
  db: Db;
  /** the owner (a superuser): what the app is not allowed to do, e.g. an attacker with full database rights */
  ownerUrl: string;
  owner(): pg.Pool;
  /**
   * Run SQL as an attacker with full database rights: the owner, with the log's append-only triggers switched
   * off for the statement (what only the signed checkpoints and the file outside the database can catch).
   */
  tamper(q: string, params?: unknown[]): Promise<pg.QueryResult>;
  drop(): Promise<void>;
}

function withDb(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh database for this test file, copied from the migrated template (with or without demo data). */
export async function createTestDb(opts: { demo?: boolean } = {}): Promise<TestDb> {
  const adminUrl = inject('adminUrl');
  const template = opts.demo ? inject('templateDemo') : inject('template');
  const name = `jibao_test_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${template}`);
  await admin.end();
  const url = withDb(inject('appUrl'), name);
  const ownerUrl = withDb(adminUrl, name);
  const pool = createPool(url, 10);
  let ownerPool: pg.Pool | null = null;
  const owner = () => {
    ownerPool ??= createPool(ownerUrl, 2);
    return ownerPool;
  };
  // all user triggers of the log's tables (the append-only ones), back to ALWAYS afterwards
  const TABLES = ['audit_log', 'audit_checkpoints'];
  return {
    url,
    pool,
    db: createDb(pool),
    ownerUrl,
    owner,
    async tamper(q, params) {
      const c = await owner().connect();
      try {
        await c.query('begin');
        for (const t of TABLES) await c.query(`alter table if exists ${t} disable trigger user`);
        const r = await c.query(q, params);
        const ours = await c.query(
          `select c.relname, t.tgname from pg_trigger t join pg_class c on c.oid = t.tgrelid
           where c.relname = any($1) and not t.tgisinternal`,
          [TABLES],
        );
        for (const t of ours.rows)
          await c.query(`alter table ${t.relname} enable always trigger "${t.tgname}"`);
        await c.query('commit');
        return r;
      } catch (e) {
        await c.query('rollback');
        throw e;
      } finally {
        c.release();
      }
    },
    async drop() {
      await pool.end();
      await ownerPool?.end();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
