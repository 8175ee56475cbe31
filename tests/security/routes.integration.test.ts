/**
 * Sign-in cannot be walked around: every route Fastify knows (HEAD and hidden routes included), called without a
 * session under every odd spelling of its path, answers a JSON 401 or 404 — never data, never the app page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { isApiPath, normalizedPath, PUBLIC_ROUTES } from '../../src/server/plugins/security.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let app: FastifyInstance;
let webDir: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  // the real app with a web directory, so the web fallback (`/*`) is part of the walk
  webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jibao-web-'));
  fs.writeFileSync(
    path.join(webDir, 'index.html'),
    '<!doctype html><title>急报</title><div id="root"></div>',
  );
  app = await buildApp({ db: t.tdb.db, pool: t.tdb.pool, clock: t.clock, webDir });
  await app.ready();
  // real ids of the demo data for path parameters
  ids.unit = await t.unitId('城关街道');
  const office = await t.unitId('城关街道党政办');
  const u = await t.tdb.pool.query(`select id from users where username = 'cgz_xxy'`);
  ids.user = u.rows[0].id;
  const ev = await t.call('cgz_xxy', 'POST', '/api/events', {
    title: '城关街道建设路一民房起火',
    categoryCode: '12G02',
    level: 'IV',
    occurredAt: new Date(t.clock.now().getTime() - 10 * 60_000).toISOString(),
    place: { address: '城关街道建设路 8 号' },
    responsibleUnitId: ids.unit,
    source: 'self',
  });
  expect(ev.status).toBe(201);
  ids.event = ev.body.id;
  const rep = await t.call('cgz_xxy', 'POST', `/api/events/${ids.event}/reports`, {
    kind: 'initial',
    elements: {
      occurredAt: new Date(t.clock.now().getTime() - 10 * 60_000).toISOString(),
      place: '城关街道建设路 8 号',
      cause: '电线老化',
      scope: '一户',
      casualties: { dead: 0 },
      loss: '正在统计',
      measures: '已扑灭',
      nextSteps: '排查',
      contact: '李晓梅 13900000001',
    },
  });
  expect(rep.status).toBe(201);
  ids.report = rep.body.id;
  ids.office = office;
});

afterAll(async () => {
  await app?.close();
  await t?.close();
  fs.rmSync(webDir, { recursive: true, force: true });
});

/** A real id (or value) for a path parameter, by the segment it follows. */
function fill(url: string): string {
  return url.replace(/\/([^/]*)\/:(\w+)/g, (_m, before: string, name: string) => {
    let v = ids.unit;
    if (name === 'kind') v = 'scoring';
    else if (name === 'version') v = '1';
    else if (name === 'code') v = '440000';
    else if (name === 'key') v = '2026-10-01';
    else if (before === 'events') v = ids.event;
    else if (before === 'reports') v = ids.report;
    else if (before === 'users') v = ids.user;
    else if (before === 'units') v = ids.unit;
    return `/${before}/${v}`;
  });
}

/** Odd spellings of one path that a router, a proxy or a server may read as the same path. */
function spellings(p: string): string[] {
  const out = new Set<string>([p]);
  // %XX of each letter of the prefix and of one letter in each later static segment
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (!/[a-z]/i.test(c)) continue;
    const seg = p.slice(0, i).split('/').length - 1;
    const firstInSeg = p[i - 1] === '/';
    if (seg === 1 || firstInSeg)
      out.add(`${p.slice(0, i)}%${c.charCodeAt(0).toString(16).toUpperCase()}${p.slice(i + 1)}`);
  }
  const slashes = [...p.matchAll(/\//g)].map((m) => m.index as number).filter((i) => i > 0);
  for (const i of slashes) {
    out.add(`${p.slice(0, i)}%2F${p.slice(i + 1)}`);
    out.add(`${p.slice(0, i)}//${p.slice(i + 1)}`);
    out.add(`${p.slice(0, i)}/./${p.slice(i + 1)}`);
    out.add(`${p.slice(0, i)};x/${p.slice(i + 1)}`);
  }
  out.add(`/${p}`);
  out.add(`/x/..${p}`);
  out.add(`/api/x/..${p.slice(4)}`);
  out.add(`/%2e%2e${p}`);
  out.add(`${p}/`);
  out.add(`${p};x`);
  out.add(p.toUpperCase());
  out.add(`/API${p.slice(4)}`);
  out.add(`/Api${p.slice(4)}`);
  return [...out];
}

describe('sign-in cannot be walked around', () => {
  it('the routes callable without signing in are exactly the fixed public list', () => {
    const open = app.routeTable.filter((r) => r.public).map((r) => `${r.method} ${r.url}`);
    expect(new Set(open)).toEqual(
      new Set([
        'POST /api/auth/login',
        'GET /healthz',
        'HEAD /healthz',
        'GET /api/openapi.json',
        'HEAD /api/openapi.json',
        'POST /api/public/tipoffs',
        'POST /api/public/tipoffs/:receipt/photos',
        'GET /api/public/tipoffs/:receipt',
        'HEAD /api/public/tipoffs/:receipt',
        'GET /api/public/tipoff-areas',
        'HEAD /api/public/tipoff-areas',
        'GET /*',
        'HEAD /*',
      ]),
    );
    expect([...PUBLIC_ROUTES].sort()).toEqual([...new Set(open)].sort());
  });

  it('a route that declares itself public without being on the list stops the server from starting', async () => {
    const other = await buildApp({ db: t.tdb.db, pool: t.tdb.pool, clock: t.clock, webDir: null });
    expect(() =>
      other.get('/api/duty/roster-export-open', { config: { public: true } }, async () => ({ leaked: true })),
    ).toThrow(/PUBLIC_ROUTES/);
    await other.close();
  });

  it('every route, under every spelling of its path, answers an anonymous caller with a JSON 401 or 404', async () => {
    const routes = app.routeTable.filter((r) => !r.public);
    expect(routes.length).toBeGreaterThan(100);
    expect(routes.some((r) => r.method === 'HEAD')).toBe(true);
    const leaks: string[] = [];
    let calls = 0;
    for (const r of routes) {
      const filled = fill(r.url);
      for (const url of spellings(filled)) {
        const res = await app.inject({
          method: r.method as any,
          url,
          headers: { origin: 'http://localhost' },
        });
        calls++;
        const type = String(res.headers['content-type'] ?? '');
        const ok =
          (res.statusCode === 401 || res.statusCode === 404) &&
          (r.method === 'HEAD' || type.startsWith('application/json'));
        if (!ok) leaks.push(`${r.method} ${url} → ${res.statusCode} ${type}`);
      }
    }
    expect(calls).toBeGreaterThan(3000);
    expect(leaks).toEqual([]);
  });

  it('API paths that match no route are a JSON 401 without a session, a JSON 404 with one — never the app page', async () => {
    const token = await t.token('dc_zby');
    for (const url of [
      '/API/x',
      '/api/nothing-here',
      '/%61pi/nothing',
      '//api/events',
      '/Api/Events',
      '/api',
    ]) {
      const anon = await app.inject({ method: 'GET', url });
      expect(anon.statusCode, url).toBe(401);
      expect(anon.headers['content-type'], url).toMatch(/^application\/json/);
      expect(anon.body).not.toContain('<div id="root">');
      const signed = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      expect([404, 200], url).toContain(signed.statusCode);
      expect(signed.body).not.toContain('<div id="root">');
    }
    // the app page is still served for its own paths
    const page = await app.inject({ method: 'GET', url: '/events/123' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<div id="root">');
  });

  it('a signed-in caller reaches a route under an encoded spelling only with their own rights', async () => {
    const token = await t.token('cgz_xxy');
    const res = await app.inject({
      method: 'GET',
      url: '/%61pi/notifications/endpoints',
      headers: { authorization: `Bearer ${token}` },
    });
    // a township reporter is not an admin: the route's own policy refuses, whatever the spelling
    expect([403, 404]).toContain(res.statusCode);
  });

  it('normalizes paths the way a proxy or server might read them', () => {
    expect(normalizedPath('/%61pi/x')).toBe('/api/x');
    expect(normalizedPath('//API/./x/../y;jsessionid=1')).toBe('/api/y');
    expect(normalizedPath('/%2561pi/x')).toBe('/api/x');
    expect(isApiPath('/ap%69')).toBe(true);
    expect(isApiPath('/apiary')).toBe(false);
    expect(isApiPath('/events/1')).toBe(false);
  });
});

describe('one command, however its path is spelled', () => {
  it('the same Idempotency-Key under two spellings of a path registers the event once', async () => {
    const token = await t.token('cgz_xxy');
    const body = {
      title: '城关街道幸福路一仓库冒烟',
      categoryCode: '12G02',
      level: 'IV',
      occurredAt: new Date(t.clock.now().getTime() - 5 * 60_000).toISOString(),
      place: { address: '城关街道幸福路 3 号' },
      responsibleUnitId: ids.unit,
      source: 'self',
    };
    const headers = { authorization: `Bearer ${token}`, 'idempotency-key': 'evt-smoke-1' };
    const a = await app.inject({ method: 'POST', url: '/api/events', payload: body, headers });
    const b = await app.inject({ method: 'POST', url: '/%61pi/events', payload: body, headers });
    const c = await app.inject({ method: 'POST', url: '/api/%65vents', payload: body, headers });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(c.statusCode).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    expect(c.json().id).toBe(a.json().id);
    expect(b.headers['idempotent-replayed']).toBe('true');
    const n = await t.tdb.pool.query(`select count(*)::int as n from events where title = $1`, [body.title]);
    expect(n.rows[0].n).toBe(1);
  });

  it('the same key on a record spelled in upper case is still one command', async () => {
    const token = await t.token('cgz_xxy');
    const headers = { authorization: `Bearer ${token}`, 'idempotency-key': 'followup-key-2' };
    const payload = { kind: 'followup', elements: { measures: '已疏散周边住户' } };
    const first = await app.inject({
      method: 'POST',
      url: `/api/events/${ids.event}/reports`,
      headers,
      payload,
    });
    expect(first.statusCode).toBe(201);
    const again = await app.inject({
      method: 'POST',
      url: `/api/events/${ids.event.toUpperCase()}/reports`,
      headers,
      payload,
    });
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    const count = await t.tdb.pool.query(
      `select count(*)::int as n from reports where event_id = $1 and kind = 'followup'`,
      [ids.event],
    );
    expect(count.rows[0].n).toBe(1);
  });

  it('the same key on two different records is two commands', async () => {
    const token = await t.token('cgz_xxy');
    const other = await t.call('cgz_xxy', 'POST', '/api/events', {
      title: '城关街道南门一商铺起火',
      categoryCode: '12G02',
      level: 'IV',
      occurredAt: new Date(t.clock.now().getTime() - 5 * 60_000).toISOString(),
      place: { address: '城关街道南门 1 号' },
      responsibleUnitId: ids.unit,
      source: 'self',
    });
    const headers = { authorization: `Bearer ${token}`, 'idempotency-key': 'followup-key-3' };
    const payload = { kind: 'followup', elements: { measures: '已设置警戒' } };
    const a = await app.inject({ method: 'POST', url: `/api/events/${ids.event}/reports`, headers, payload });
    const b = await app.inject({
      method: 'POST',
      url: `/api/events/${other.body.id}/reports`,
      headers,
      payload,
    });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.json().id).not.toBe(a.json().id);
  });
});
