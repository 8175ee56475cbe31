import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, createPool, type Db } from '../../src/db/index.js';

export interface TestDb {
  url: string;
  pool: pg.Pool;
  db: Db;
  drop(): Promise<void>;
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
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const pool = createPool(url, 10);
  return {
    url,
    pool,
    db: createDb(pool),
    async drop() {
      await pool.end();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
