import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endPool } from '../../bench/lib/pool.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

let tdb: TestDb;
beforeAll(async () => {
  tdb = await createTestDb({ demo: false });
});
afterAll(async () => tdb?.drop());

describe('the bench closes its pool before it stops PostgreSQL', () => {
  it('when endPool returns, every connection of the pool is closed (pool.end() alone returns before that)', async () => {
    const open = async () => {
      const pool = new pg.Pool({ connectionString: tdb.url, max: 4 });
      pool.on('error', () => {});
      // four connections at once, all idle afterwards: what the bench's pool holds when a run ends
      await Promise.all([1, 2, 3, 4].map(() => pool.query('select pg_sleep(0.02)')));
      let ended = 0;
      for (const c of (pool as any)._clients as pg.Client[]) c.once('end', () => ended++);
      return { pool, ended: () => ended };
    };
    const plain = await open();
    await plain.pool.end();
    expect(plain.ended()).toBeLessThan(4); // the race the bench lost: PostgreSQL stopped under live connections

    const ours = await open();
    await endPool(ours.pool);
    expect(ours.ended()).toBe(4);
  });
});
