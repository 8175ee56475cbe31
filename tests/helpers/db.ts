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
  const TRIGGERS = [
    'audit_log disable trigger audit_log_append_only',
    'audit_checkpoints disable trigger audit_checkpoints_append_only',
  ];
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
        for (const t of TRIGGERS) await c.query(`alter table ${t}`);
        const r = await c.query(q, params);
        for (const t of TRIGGERS) await c.query(`alter table ${t.replace('disable', 'enable always')}`);
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
