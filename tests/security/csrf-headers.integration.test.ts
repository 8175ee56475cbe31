/**
 * Another site cannot act with a duty officer's browser session (CSRF, login CSRF); answers carry the headers
 * that keep pages from being framed, scripts from being injected and API answers from being cached; proxies are
 * trusted only when configured; a request that hangs is cut.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authPolicy } from '../../src/modules/auth/policy.js';
import { buildApp } from '../../src/server/app.js';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/app.js';

let t: TestApp;
let webDir: string;
const apps: FastifyInstance[] = [];

async function appWith(opts: { publicUrl?: string; trustProxy?: boolean; requestTimeoutMs?: number } = {}) {
  const a = await buildApp({ db: t.tdb.db, pool: t.tdb.pool, clock: t.clock, webDir, ...opts });
  apps.push(a);
  return a;
}

async function cookieFor(a: FastifyInstance, username: string): Promise<string> {
  const r = await a.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: DEMO_PASSWORD },
  });
  expect(r.statusCode).toBe(200);
  const set = String(r.headers['set-cookie']);
  return set.split(';')[0];
}

async function draftReport(): Promise<string> {
  const unit = await t.unitId('城关街道');
  const at = new Date(t.clock.now().getTime() - 10 * 60_000).toISOString();
  const ev = await t.call('cgz_xxy', 'POST', '/api/events', {
    title: '城关街道人民路一餐馆燃气泄漏',
    categoryCode: '12G02',
    level: 'IV',
    occurredAt: at,
    place: { address: '城关街道人民路 12 号' },
    responsibleUnitId: unit,
    source: 'self',
  });
  expect(ev.status).toBe(201);
  const rep = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
    kind: 'initial',
    elements: {
      occurredAt: at,
      place: '城关街道人民路 12 号',
      cause: '燃气管道老化',
      scope: '一家餐馆',
      casualties: { dead: 0 },
      loss: '无',
      measures: '已关阀',
      nextSteps: '检修',
      contact: '李晓梅 13900000001',
    },
  });
  expect(rep.status).toBe(201);
  return rep.body.id;
}

const statusOf = async (id: string) =>
  (await t.tdb.pool.query('select status from reports where id = $1', [id])).rows[0].status as string;

beforeAll(async () => {
  t = await createTestApp();
  webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jibao-web-'));
  fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><div id="root"></div>');
});

afterAll(async () => {
  for (const a of apps) await a.close();
  await t?.close();
  fs.rmSync(webDir, { recursive: true, force: true });
});

describe('cross-site requests with the session cookie', () => {
  it('a report cannot be submitted from another origin with the officer’s cookie, even as a form post', async () => {
    const a = await appWith();
    const cookie = await cookieFor(a, 'cgz_xxy');
    const id = await draftReport();
    const boundary = '----x';
    const r = await a.inject({
      method: 'POST',
      url: `/api/reports/${id}/submit`,
      headers: {
        cookie,
        origin: 'http://evil.example',
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="fastTrack"\r\n\r\ntrue\r\n--${boundary}--\r\n`,
    });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('csrf');
    expect(r.json().error.message).toMatch(/本系统以外/);
    expect(await statusOf(id)).toBe('draft');
  });

  it('a cookie-signed change with neither Origin nor Referer is refused; a foreign Referer too', async () => {
    const a = await appWith();
    const cookie = await cookieFor(a, 'cgz_xxy');
    const id = await draftReport();
    const none = await a.inject({ method: 'POST', url: `/api/reports/${id}/submit`, headers: { cookie } });
    expect(none.statusCode).toBe(403);
    const foreign = await a.inject({
      method: 'POST',
      url: `/api/reports/${id}/submit`,
      headers: { cookie, referer: 'https://evil.example/page' },
    });
    expect(foreign.statusCode).toBe(403);
    const nullOrigin = await a.inject({
      method: 'POST',
      url: `/api/reports/${id}/submit`,
      headers: { cookie, origin: 'null' },
    });
    expect(nullOrigin.statusCode).toBe(403);
    expect(await statusOf(id)).toBe('draft');
  });

  it('the app’s own page (its Origin, or its Referer) submits with the cookie', async () => {
    const a = await appWith();
    const cookie = await cookieFor(a, 'cgz_xxy');
    const id = await draftReport();
    const r = await a.inject({
      method: 'POST',
      url: `/api/reports/${id}/submit`,
      headers: { cookie, origin: 'http://localhost' },
    });
    expect(r.statusCode).toBeLessThan(300);
    expect(await statusOf(id)).not.toBe('draft');
    const id2 = await draftReport();
    const viaReferer = await a.inject({
      method: 'POST',
      url: `/api/reports/${id2}/submit`,
      headers: { cookie, referer: 'http://localhost/events/1' },
    });
    expect(viaReferer.statusCode).toBeLessThan(300);
  });

  it('behind a proxy the public URL is the only own origin', async () => {
    const a = await appWith({ publicUrl: 'https://jibao.dongcheng.gov.cn' });
    const cookie = await cookieFor(a, 'cgz_xxy');
    const id = await draftReport();
    const asHost = await a.inject({
      method: 'POST',
      url: `/api/reports/${id}/submit`,
      headers: { cookie, origin: 'http://localhost' },
    });
    expect(asHost.statusCode).toBe(403);
    const own = await a.inject({
      method: 'POST',
      url: `/api/reports/${id}/submit`,
      headers: { cookie, origin: 'https://jibao.dongcheng.gov.cn' },
    });
    expect(own.statusCode).toBeLessThan(300);
  });

  it('API clients with a bearer token are not affected by the origin check', async () => {
    const a = await appWith();
    const id = await draftReport();
    const token = await t.token('cgz_xxy');
    const r = await a.inject({
      method: 'POST',
      url: `/api/reports/${id}/submit`,
      headers: { authorization: `Bearer ${token}`, origin: 'http://tools.example' },
    });
    expect(r.statusCode).toBeLessThan(300);
  });

  it('a sign-in from another origin is refused (login CSRF); a script without an origin may sign in', async () => {
    const a = await appWith();
    const foreign = await a.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: 'http://evil.example' },
      payload: { username: 'cgz_xxy', password: DEMO_PASSWORD },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.headers['set-cookie']).toBeUndefined();
    const script = await a.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'cgz_xxy', password: DEMO_PASSWORD },
    });
    expect(script.statusCode).toBe(200);
  });
});

describe('security headers', () => {
  it('the app page forbids inline scripts, eval and framing, and is never sniffed', async () => {
    const a = await appWith();
    const r = await a.inject({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(200);
    const csp = String(r.headers['content-security-policy']);
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
    expect(scriptSrc.trim()).toBe("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(r.headers['strict-transport-security']).toBeUndefined();
  });

  it('API answers are never cached', async () => {
    const a = await appWith();
    const token = await t.token('dc_zby');
    const r = await a.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const anon = await a.inject({ method: 'GET', url: '/api/events' });
    expect(anon.headers['cache-control']).toBe('no-store');
  });

  it('a client cannot claim HTTPS through X-Forwarded-Proto unless the proxy is trusted', async () => {
    const direct = await appWith();
    const claimed = await direct.inject({
      method: 'GET',
      url: '/',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(claimed.headers['strict-transport-security']).toBeUndefined();
    const behindProxy = await appWith({ trustProxy: true });
    const https = await behindProxy.inject({
      method: 'GET',
      url: '/',
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(String(https.headers['strict-transport-security'])).toMatch(/max-age=\d+/);
    expect(String(https.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
  });
});

describe('requests that hang', () => {
  it('are cut with a clear 503 in the caller’s language, and live streams are exempt', async () => {
    const a = await appWith({ requestTimeoutMs: 200 });
    // a new route declares its policy like any other (the server refuses to start otherwise)
    a.get('/api/test-slow', { config: { policy: authPolicy.ref('me') } }, async () => {
      await new Promise((r) => setTimeout(r, 1000));
      return { late: true };
    });
    const token = await t.token('dc_zby');
    const r = await a.inject({
      method: 'GET',
      url: '/api/test-slow',
      headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' },
    });
    expect(r.statusCode).toBe(503);
    expect(r.json().error.code).toBe('timeout');
    expect(r.json().error.message).toMatch(/15 seconds/);
  });
});
