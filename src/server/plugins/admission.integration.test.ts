import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../tests/helpers/db.js';
import { ManualClock } from '../../floor/clock.js';
import { buildApp } from '../app.js';

/**
 * Issue #10 item 7: bounded admission. A real server with a low limit (4 in flight, reads refused from 2);
 * the requests admitted are held inside PostgreSQL by a lock on `events` taken from another connection, so
 * they really are in flight while the next ones arrive over HTTP.
 */

let tdb: TestDb;
let app: FastifyInstance;
let base: string;
let token: string;
beforeAll(async () => {
  tdb = await createTestDb({ demo: true });
  const clock = new ManualClock('2026-11-23T02:00:00Z');
  app = await buildApp({
    db: tdb.db,
    pool: tdb.pool,
    clock,
    webDir: null,
    admission: { maxInflight: 4, maxInflightReads: 2, retryAfter: 1 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const r = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'cgz_xxy', password: 'Jibao@2026' }),
  });
  token = (await r.json()).token;
});
afterAll(async () => {
  await app?.close();
  await tdb?.drop();
});

const send = async (method: string, path: string, body?: unknown, lang = 'zh-CN') => {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'accept-language': lang,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, retryAfter: r.headers.get('retry-after'), body: text ? JSON.parse(text) : null };
};

const until = async (cond: () => boolean) => {
  const end = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** Hold every statement that touches `events` until the returned function is called. */
async function lockEvents(): Promise<() => Promise<void>> {
  const c: pg.PoolClient = await tdb.owner().connect();
  await c.query('begin');
  await c.query('lock table events in access exclusive mode');
  return async () => {
    await c.query('rollback');
    c.release();
  };
}

const newEvent = (title: string) => ({
  title,
  categoryCode: '12G02',
  level: 'IV',
  occurredAt: '2026-11-23T01:50:00Z',
  place: { address: '测试镇建设路 8 号' },
  responsibleUnitId: null as string | null,
  source: 'self',
});

describe('a surge past the admission limit', () => {
  it('is answered at once with 503 busy and Retry-After, reads shed before submits, and the admitted ones finish', async () => {
    const me = await send('GET', '/api/me');
    expect(me.status).toBe(200);
    const unitId = me.body.unitId as string;
    const unlock = await lockEvents();
    let released = false;
    try {
      // two reads fill the read allowance
      const reads = [send('GET', '/api/events'), send('GET', '/api/events')];
      await until(() => app.admission.inflight === 2);
      const shedRead = await send('GET', '/api/events');
      expect(shedRead.status).toBe(503);
      expect(shedRead.retryAfter).toBe('1');
      expect(shedRead.body.error.code).toBe('busy');
      expect(shedRead.body.error.details).toEqual({ retryAfter: 1 });
      expect(shedRead.body.error.message).toContain('系统繁忙');

      // a submit is still taken while reads are refused, up to the full limit
      const submits = [
        send('POST', '/api/events', { ...newEvent('涌入时的第一起'), responsibleUnitId: unitId }),
        send('POST', '/api/events', { ...newEvent('涌入时的第二起'), responsibleUnitId: unitId }),
      ];
      await until(() => app.admission.inflight === 4);
      const shedWrite = await send('POST', '/api/events', newEvent('超出上限'), 'en');
      expect(shedWrite.status).toBe(503);
      expect(shedWrite.retryAfter).toBe('1');
      expect(shedWrite.body.error.code).toBe('busy');
      expect(shedWrite.body.error.message).toMatch(/busy/);

      // the health check and the live stream are not counted against the limit
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      await health.text();

      await unlock();
      released = true;
      const done = await Promise.all([...reads, ...submits]);
      expect(done.map((d) => d.status)).toEqual([200, 200, 201, 201]);
      await until(() => app.admission.inflight === 0);
      expect(app.admission.refusedReads).toBe(1);
      expect(app.admission.refusedWrites).toBe(1);
      // the refused submit did nothing: only the two admitted events exist
      const titles = (
        await tdb.pool.query("select title from events where title like '%涌入%' or title = '超出上限'")
      ).rows
        .map((r) => r.title)
        .sort();
      expect(titles).toEqual(['涌入时的第一起', '涌入时的第二起'].sort());
      // and the server takes requests again
      expect((await send('GET', '/api/events')).status).toBe(200);
    } finally {
      if (!released) await unlock();
    }
  });

  it('a request the client gives up on frees its place', async () => {
    const unlock = await lockEvents();
    try {
      // a browser tab closed mid-request: the socket goes away under it
      const req = http.get(`${base}/api/events`, { headers: { authorization: `Bearer ${token}` } });
      req.on('error', () => {});
      await until(() => app.admission.inflight === 1);
      req.destroy();
      await until(() => app.admission.inflight === 0);
    } finally {
      await unlock();
    }
  });
});
