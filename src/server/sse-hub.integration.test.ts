import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../tests/helpers/db.js';
import { ManualClock } from '../floor/clock.js';
import { OUTBOX_CHANNEL } from '../floor/outbox.js';
import { buildApp } from './app.js';
import { Hub, type OutboxRow } from './sse-hub.js';

let tdb: TestDb;
beforeAll(async () => {
  tdb = await createTestDb({ demo: false });
});
afterAll(async () => {
  await tdb?.drop();
});

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return cond();
};

describe('live message hub', () => {
  it('delivers a message whose transaction commits after a later one, exactly once, without re-reading old rows', async () => {
    const hub = new Hub(tdb.pool, tdb.db);
    await hub.start();
    const got: number[] = [];
    hub.add({ audiences: new Set(['unit:x']), send: (r: OutboxRow) => got.push(r.id) });
    try {
      const slow = await tdb.pool.connect();
      await slow.query('begin');
      const a = await slow.query(
        `insert into outbox (audience, type, data) values ('unit:x', 'report.arrived', '{}') returning id`,
      );
      const b = await tdb.pool.query(
        `insert into outbox (audience, type, data) values ('unit:x', 'report.arrived', '{}') returning id`,
      );
      await tdb.pool.query(`select pg_notify($1, '')`, [OUTBOX_CHANNEL]);
      expect(await until(() => got.includes(Number(b.rows[0].id)))).toBe(true);
      expect(got).not.toContain(Number(a.rows[0].id));
      await slow.query(`select pg_notify($1, '')`, [OUTBOX_CHANNEL]);
      await slow.query('commit');
      slow.release();
      expect(await until(() => got.includes(Number(a.rows[0].id)))).toBe(true);
      // more wake-ups deliver nothing twice
      for (let i = 0; i < 3; i++) await tdb.pool.query(`select pg_notify($1, '')`, [OUTBOX_CHANNEL]);
      await new Promise((r) => setTimeout(r, 300));
      expect(got.sort()).toEqual([Number(a.rows[0].id), Number(b.rows[0].id)].sort());
    } finally {
      await hub.stop();
    }
  });
});

describe('web app next to the API', () => {
  it('starts with a built web app and serves its page for unknown page paths', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jibao-web-'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>急报</title>');
    const app = await buildApp({
      db: tdb.db,
      pool: tdb.pool,
      clock: new ManualClock('2026-11-23T02:00:00Z'),
      webDir: dir,
    });
    try {
      await app.ready();
      const page = await app.inject({ method: 'GET', url: '/events/123' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('急报');
      const api = await app.inject({ method: 'POST', url: '/nothing-here' });
      expect(api.statusCode).toBe(404);
      expect(api.json().error.code).toBe('not_found');
    } finally {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
