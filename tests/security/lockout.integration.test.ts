import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../helpers/app.js';

/**
 * Issue #9, point 7: the attempt is counted atomically before the password is checked, so however many
 * guesses arrive at once at most 5 are checked per window; an administrator of the person's unit (or above)
 * can unlock (logged), one of another county cannot; the locked person is told.
 */

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  for (const [username, unit] of [
    ['dc_admin', '东城区委办公室'],
    ['xs_admin', '西山县'],
  ]) {
    const r = await t.call('admin', 'POST', '/api/users', {
      username,
      password: DEMO_PASSWORD,
      name: `${unit}管理员`,
      unitId: await t.unitId(unit),
      roles: ['admin'],
    });
    expect(r.status).toBe(201);
  }
});
afterAll(async () => t?.close());

/** A real HTTP sign-in (so parallel attempts really run side by side in the server). */
async function signIn(username: string, password: string) {
  const r = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return { status: r.status, body: await r.json() };
}

async function userId(username: string): Promise<string> {
  return (await t.tdb.pool.query('select id from users where username = $1', [username])).rows[0].id;
}

/** 40 wrong passwords at once. */
async function storm(username: string) {
  const results = await Promise.all(
    Array.from({ length: 40 }, (_, i) => signIn(username, `wrong-guess-${i}`)),
  );
  const count = (s: number) => results.filter((r) => r.status === s).length;
  return { checked: count(401), locked: count(429), other: results.length - count(401) - count(429) };
}

describe('sign-in lockout under parallel guessing', () => {
  it('of 40 wrong passwords sent at once at most 5 are checked, and then the right one is refused too', async () => {
    const r = await storm('cgz_fgld');
    expect(r.other).toBe(0);
    expect(r.checked).toBeLessThanOrEqual(5);
    expect(r.locked).toBeGreaterThanOrEqual(35);
    const logged = await t.tdb.pool.query(
      `select count(*)::int n from audit_log where stream = 'login:cgz_fgld' and action in ('sign_in_failed', 'locked_out')`,
    );
    expect(logged.rows[0].n).toBeLessThanOrEqual(5);
    const right = await signIn('cgz_fgld', DEMO_PASSWORD);
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('locked_out');
  });

  it('the locked person finds a notice in the app saying the account was locked and how to get it unlocked', async () => {
    const token = await t.token('cgz_zyfzr'); // signed in at the desk before someone starts guessing
    await storm('cgz_zyfzr');
    const inbox = await t.app.inject({
      method: 'GET',
      url: '/api/notifications',
      headers: { authorization: `Bearer ${token}` },
    });
    const notice = inbox.json().items.find((n: any) => n.kind === 'account.locked');
    expect(notice).toBeTruthy();
    expect(notice.title).toContain('锁定');
    expect(notice.body).toMatch(/登录失败/);
    expect(notice.body).toMatch(/管理员.*解锁/);
    // one notice per lock, not one per refused guess
    const n = await t.tdb.pool.query(
      `select count(*)::int n from notifications where kind = 'account.locked' and user_id = $1`,
      [await userId('cgz_zyfzr')],
    );
    expect(n.rows[0].n).toBe(1);
  });

  it('an administrator of the person’s county unlocks at once (logged) and the right password works again', async () => {
    await storm('cgz_xxy');
    expect((await signIn('cgz_xxy', DEMO_PASSWORD)).status).toBe(429);
    const id = await userId('cgz_xxy');
    // the administrators' user list shows who is locked out, and until when
    const listed = await t.call('dc_admin', 'GET', '/api/users?q=cgz_xxy');
    expect(listed.body.items.find((u: any) => u.id === id).lockedUntil).toBeTruthy();
    const r = await t.call('dc_admin', 'POST', `/api/users/${id}/unlock`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ wasLocked: true });
    const log = await t.tdb.pool.query(
      `select a.actor_id, a.data from audit_log a where a.stream = $1 and a.action = 'sign_in_unlocked'`,
      [`user:${id}`],
    );
    expect(log.rows).toHaveLength(1);
    expect(log.rows[0].actor_id).toBe(await userId('dc_admin'));
    expect((await signIn('cgz_xxy', DEMO_PASSWORD)).status).toBe(200);
    const after = await t.call('dc_admin', 'GET', '/api/users?q=cgz_xxy');
    expect(after.body.items.find((u: any) => u.id === id).lockedUntil).toBeNull();
  });

  it('an administrator of another county, or a person who is no administrator, cannot unlock', async () => {
    await storm('cgz_xxy2');
    const id = await userId('cgz_xxy2');
    const other = await t.call('xs_admin', 'POST', `/api/users/${id}/unlock`);
    expect([403, 404]).toContain(other.status);
    const notAdmin = await t.call('dc_zby', 'POST', `/api/users/${id}/unlock`);
    expect(notAdmin.status).toBe(403);
    expect((await signIn('cgz_xxy2', DEMO_PASSWORD)).status).toBe(429);
    const log = await t.tdb.pool.query(
      `select count(*)::int n from audit_log where stream = $1 and action = 'sign_in_unlocked'`,
      [`user:${id}`],
    );
    expect(log.rows[0].n).toBe(0);
  });

  it('a successful sign-in clears the count: four failures, a success, four more do not lock', async () => {
    for (let i = 0; i < 4; i++) expect((await signIn('dc_xxk', `bad-${i}`)).status).toBe(401);
    expect((await signIn('dc_xxk', DEMO_PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signIn('dc_xxk', `bad-${i}`)).status).toBe(401);
    expect((await signIn('dc_xxk', DEMO_PASSWORD)).status).toBe(200);
  });
});
