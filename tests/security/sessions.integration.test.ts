import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/floor/clock.js';
import { type Running, startServer } from '../../src/server/server.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

/**
 * Issue #9, point 5: a session that was signed out, disabled, or whose roles, unit or password changed is
 * refused for every request and live stream on EVERY instance within a second. Two real instances (own
 * pools, hubs and session caches) share one database; the change is made on A, the refusal is watched on B
 * (and A), polling for at most a second after A answered.
 */

let tdb: TestDb;
let a: Running;
let b: Running;
const clock = new ManualClock('2026-11-23T02:00:00Z');
const PASSWORD = 'Jibao@2026';
const LIMIT_MS = 1000;

async function start(): Promise<Running> {
  return startServer(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: tdb.url,
      dataDir: '/nonexistent',
      demo: true,
      adminPassword: PASSWORD,
    },
    { clock, logger: false, workers: false, log: () => {} },
  );
}

const streams: AbortController[] = [];
beforeAll(async () => {
  tdb = await createTestDb({ demo: true });
  a = await start();
  b = await start();
  userOf.dc_ga_xxy = await userId('dc_ga_xxy');
});
const userOf: Record<string, string> = {};
afterAll(async () => {
  for (const c of streams) c.abort();
  a?.app.server.closeAllConnections();
  b?.app.server.closeAllConnections();
  await a?.stop();
  await b?.stop();
  await tdb?.drop();
});

async function signIn(inst: Running, username: string): Promise<string> {
  const r = await fetch(`${inst.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(r.status).toBe(200);
  return (await r.json()).token;
}

async function call(inst: Running, token: string, method: string, path: string, body?: unknown) {
  const r = await fetch(`${inst.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

/** An open /api/stream; `closed` turns true when the server ends it. */
async function openStream(inst: Running, token: string) {
  const ctrl = new AbortController();
  streams.push(ctrl);
  const res = await fetch(`${inst.url}/api/stream`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: ctrl.signal,
  });
  expect(res.status).toBe(200);
  const state = { closed: false, text: '' };
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let connected: () => void = () => {};
  const ready = new Promise<void>((r) => {
    connected = r;
  });
  (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        state.text += dec.decode(value, { stream: true });
        if (state.text.includes(': connected')) connected();
      }
      state.closed = true;
    } catch {
      /* aborted by the test */
    }
  })();
  await ready;
  return state;
}

/** Poll `check` until it holds; fails if it does not within `ms` of `since`. */
async function within(ms: number, since: number, what: string, check: () => boolean | Promise<boolean>) {
  for (;;) {
    if (await check()) return Date.now() - since;
    if (Date.now() - since > ms) throw new Error(`${what}: still not so ${Date.now() - since} ms later`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const adminToken = () => signIn(a, 'admin');
async function userId(username: string): Promise<string> {
  return (await tdb.pool.query('select id from users where username = $1', [username])).rows[0].id;
}

/** Sign in on A and B, warm B's session cache, open a stream on each. */
async function signedInEverywhere(username: string) {
  const token = await signIn(a, username);
  expect((await call(b, token, 'GET', '/api/me')).status).toBe(200);
  expect((await call(a, token, 'GET', '/api/me')).status).toBe(200);
  const onA = await openStream(a, token);
  const onB = await openStream(b, token);
  return { token, onA, onB };
}

async function expectRefusedEverywhere(
  s: Awaited<ReturnType<typeof signedInEverywhere>>,
  since: number,
  limit = LIMIT_MS,
) {
  for (const [name, inst] of [
    ['B', b],
    ['A', a],
  ] as const)
    await within(limit, since, `a request on instance ${name}`, async () => {
      return (await call(inst, s.token, 'GET', '/api/me')).status === 401;
    });
  await within(limit, since, 'the open stream on instance B', () => s.onB.closed);
  await within(limit, since, 'the open stream on instance A', () => s.onA.closed);
  expect((await call(b, s.token, 'GET', '/api/units')).status).toBe(401);
}

describe('a session that ends is refused on every instance within a second', () => {
  it('signing out on one instance closes the open live streams and refuses the token on the other', async () => {
    const s = await signedInEverywhere('dc_xxk');
    const r = await call(a, s.token, 'POST', '/api/auth/logout');
    expect(r.status).toBe(204);
    await expectRefusedEverywhere(s, Date.now());
  });

  it('the other instance is told of a sign-out by the cross-instance signal itself, not only by its fallbacks', async () => {
    const { onSignal } = await import('../../src/floor/signal.js');
    const token = await signIn(a, 'dc_ga_xxy');
    const heard: Array<{ userId: string; tokenHash?: string | null }> = [];
    const stop = onSignal(b.app.deps.db, 'session.revoked', (p) => heard.push(p));
    expect((await call(a, token, 'POST', '/api/auth/logout')).status).toBe(204);
    await within(LIMIT_MS, Date.now(), 'the signal on instance B', () =>
      heard.some((p) => p.userId === userOf.dc_ga_xxy && !!p.tokenHash),
    );
    stop();
  });

  it('signing out ends only that session: the same person signed in elsewhere stays signed in', async () => {
    const other = await signIn(b, 'dc_fgld');
    const otherStream = await openStream(b, other);
    const s = await signedInEverywhere('dc_fgld');
    expect((await call(a, s.token, 'POST', '/api/auth/logout')).status).toBe(204);
    await expectRefusedEverywhere(s, Date.now());
    expect((await call(b, other, 'GET', '/api/me')).status).toBe(200);
    expect(otherStream.closed).toBe(false);
  });

  it('a person disabled by an administrator on one instance is cut off on the other, streams too', async () => {
    const s = await signedInEverywhere('cgz_xxy2');
    const r = await call(a, await adminToken(), 'PATCH', `/api/users/${await userId('cgz_xxy2')}`, {
      disabled: true,
    });
    expect(r.status).toBe(200);
    await expectRefusedEverywhere(s, Date.now());
  });

  it('a person whose roles change must sign in again: the old session is refused everywhere', async () => {
    const s = await signedInEverywhere('dc_zyfzr');
    const r = await call(a, await adminToken(), 'PATCH', `/api/users/${await userId('dc_zyfzr')}`, {
      roles: ['reporter'],
    });
    expect(r.status).toBe(200);
    await expectRefusedEverywhere(s, Date.now());
    // and the new session carries the new roles
    const fresh = await signIn(b, 'dc_zyfzr');
    expect((await call(b, fresh, 'GET', '/api/me')).body.roles).toEqual(['reporter']);
  });

  it('a person moved to another unit is refused everywhere under the old unit', async () => {
    const s = await signedInEverywhere('hsz_xxy');
    const unitId = (await tdb.pool.query(`select id from units where name = '城关街道党政办'`)).rows[0].id;
    const r = await call(a, await adminToken(), 'PATCH', `/api/users/${await userId('hsz_xxy')}`, { unitId });
    expect(r.status).toBe(200);
    await expectRefusedEverywhere(s, Date.now());
  });

  it('a password reset by an administrator ends the person’s sessions everywhere', async () => {
    const s = await signedInEverywhere('sz_xxk');
    const r = await call(
      a,
      await adminToken(),
      'POST',
      `/api/users/${await userId('sz_xxk')}/reset-password`,
      {
        password: 'Reset#Desk-2026',
      },
    );
    expect(r.status).toBe(200);
    await expectRefusedEverywhere(s, Date.now());
  });

  it('changing one’s own password ends one’s other sessions everywhere and keeps this one', async () => {
    const old = await signedInEverywhere('sz_fgld');
    const current = await signIn(b, 'sz_fgld');
    const r = await call(b, current, 'POST', '/api/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'Changed#Desk-2026',
    });
    expect(r.status).toBe(200);
    await expectRefusedEverywhere(old, Date.now());
    expect((await call(a, current, 'GET', '/api/me')).status).toBe(200);
  });

  it('a session removed with no signal at all (a lost NOTIFY) is still refused and its streams closed soon', async () => {
    const s = await signedInEverywhere('sz_zby');
    // straight in the database: no instance is told; only the short cache life and the stream check remain
    await tdb.pool.query('delete from sessions where user_id = $1', [await userId('sz_zby')]);
    const since = Date.now();
    // cache life (1 s) and the streams' session check (every second), plus a request's time
    await expectRefusedEverywhere(s, since, 2 * LIMIT_MS + 500);
  });

  it('an open live stream ends when its session expires', async () => {
    const s = await signedInEverywhere('dc_ld');
    clock.advance(7 * 86_400_000 + 60_000); // past the 7-day session
    await expectRefusedEverywhere(s, Date.now(), 2 * LIMIT_MS + 500);
  });
});
