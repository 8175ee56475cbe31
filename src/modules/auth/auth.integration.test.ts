import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
});
afterAll(async () => t?.close());

describe('sign-in and access', () => {
  it('signs in with the demo password and returns the user with roles', async () => {
    const r = await t.call(null, 'POST', '/api/auth/login', { username: 'cgz_xxy', password: 'Jibao@2026' });
    expect(r.status).toBe(200);
    expect(r.body.token).toBeTruthy();
    expect(r.body.user).toMatchObject({ username: 'cgz_xxy', roles: ['reporter'] });
    const me = await t.call(null, 'GET', '/api/me', undefined, { authorization: `Bearer ${r.body.token}` });
    expect(me.body).toMatchObject({ username: 'cgz_xxy', name: '李晓梅' });
  });

  it('refuses a wrong password with 401 and a Chinese message', async () => {
    const r = await t.call(null, 'POST', '/api/auth/login', { username: 'cgz_fgld', password: 'wrong-one' });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('bad_credentials');
    expect(r.body.error.message).toBe('用户名或密码错误。');
  });

  it('answers in English when the caller asks for it', async () => {
    const r = await t.call(
      null,
      'POST',
      '/api/auth/login',
      { username: 'nobody', password: 'x' },
      { 'accept-language': 'en-US,en;q=0.9' },
    );
    expect(r.body.error.message).toBe('Wrong username or password.');
  });

  it('locks a username for 15 minutes after 5 failures, even with the right password', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await t.call(null, 'POST', '/api/auth/login', { username: 'hsz_xxy', password: `bad${i}` });
      expect(r.status).toBe(401);
    }
    const locked = await t.call(null, 'POST', '/api/auth/login', {
      username: 'hsz_xxy',
      password: 'Jibao@2026',
    });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('locked_out');
    t.clock.advanceMinutes(14);
    expect(
      (await t.call(null, 'POST', '/api/auth/login', { username: 'hsz_xxy', password: 'Jibao@2026' })).status,
    ).toBe(429);
    t.clock.advanceMinutes(2);
    expect(
      (await t.call(null, 'POST', '/api/auth/login', { username: 'hsz_xxy', password: 'Jibao@2026' })).status,
    ).toBe(200);
  });

  it('four failures do not lock', async () => {
    for (let i = 0; i < 4; i++)
      await t.call(null, 'POST', '/api/auth/login', { username: 'cgz_xxy2', password: `bad${i}` });
    expect(
      (await t.call(null, 'POST', '/api/auth/login', { username: 'cgz_xxy2', password: 'Jibao@2026' }))
        .status,
    ).toBe(200);
  });

  it('rejects unauthenticated calls with 401', async () => {
    const r = await t.call(null, 'GET', '/api/units');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthorized');
  });

  it('logout revokes the token', async () => {
    const r = await t.call(null, 'POST', '/api/auth/login', { username: 'dc_zby', password: 'Jibao@2026' });
    const h = { authorization: `Bearer ${r.body.token}` };
    expect((await t.call(null, 'POST', '/api/auth/logout', undefined, h)).status).toBe(204);
    expect((await t.call(null, 'GET', '/api/me', undefined, h)).status).toBe(401);
  });

  it('a disabled user cannot sign in, and their sessions end', async () => {
    const tok = await t.token('dc_dbld');
    const users = await t.call('admin', 'GET', '/api/users?q=dc_dbld');
    const id = users.body.items[0].id;
    expect((await t.call('admin', 'PATCH', `/api/users/${id}`, { disabled: true })).status).toBe(200);
    expect((await t.call(null, 'GET', '/api/me', undefined, { authorization: `Bearer ${tok}` })).status).toBe(
      401,
    );
    const r = await t.call(null, 'POST', '/api/auth/login', { username: 'dc_dbld', password: 'Jibao@2026' });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('user_disabled');
  });

  it('changes the own password and signs in with the new one', async () => {
    const r = await t.call('sz_zby', 'POST', '/api/auth/password', {
      currentPassword: 'Jibao@2026',
      newPassword: 'NewPass#2026',
    });
    expect(r.status).toBe(200);
    expect(
      (await t.call(null, 'POST', '/api/auth/login', { username: 'sz_zby', password: 'NewPass#2026' }))
        .status,
    ).toBe(200);
    expect(
      (await t.call(null, 'POST', '/api/auth/login', { username: 'sz_zby', password: 'Jibao@2026' })).status,
    ).toBe(401);
  });
});

describe('administration', () => {
  it('the admin API refuses non-admins with 403 and writes nothing', async () => {
    const before = await t.tdb.pool.query('select count(*)::int n from units');
    const r = await t.call('dc_xxk', 'POST', '/api/units', {
      name: '新乡镇',
      kind: 'area',
      level: 'township',
    });
    expect(r.status).toBe(403);
    const after = await t.tdb.pool.query('select count(*)::int n from units');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expect(
      (
        await t.call('cgz_xxy', 'POST', '/api/users', {
          username: 'x1',
          password: 'abcdef12',
          name: 'x',
          unitId: await t.unitId('城关街道'),
          roles: [],
        })
      ).status,
    ).toBe(403);
  });

  it('creates a township with a 9-digit code and refuses a 6-digit one', async () => {
    const county = await t.unitId('东城区');
    const bad = await t.call('admin', 'POST', '/api/units', {
      name: '新城街道',
      kind: 'area',
      level: 'township',
      parentId: county,
      divisionCode: '990102',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_division_code');
    const ok = await t.call('admin', 'POST', '/api/units', {
      name: '新城街道',
      kind: 'area',
      level: 'township',
      parentId: county,
      divisionCode: '990102003',
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      name: '新城街道',
      kind: 'area',
      level: 'township',
      parentId: county,
      divisionCode: '990102003',
    });
  });

  it('rejects a malformed JSON body with 400 invalid_json', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/units',
      headers: { authorization: `Bearer ${await t.token('admin')}`, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('invalid_json');
  });

  it('a repeated Idempotency-Key returns the first unit and creates no second one', async () => {
    const county = await t.unitId('西山县');
    const body = {
      name: '幂等测试镇',
      kind: 'area',
      level: 'township',
      parentId: county,
      divisionCode: '990121301',
    };
    const h = { 'idempotency-key': 'unit-create-1' };
    const a = await t.call('admin', 'POST', '/api/units', body, h);
    const b = await t.call('admin', 'POST', '/api/units', body, h);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    const n = await t.tdb.pool.query(`select count(*)::int n from units where name = '幂等测试镇'`);
    expect(n.rows[0].n).toBe(1);
    const c = await t.call('admin', 'POST', '/api/units', { ...body, name: '别的名字' }, h);
    expect(c.status).toBe(422);
    expect(c.body.error.code).toBe('idempotency_conflict');
  });
});

describe('visibility follows the tree', () => {
  it("a township's users do not see another township", async () => {
    const r = await t.call('cgz_xxy', 'GET', '/api/units');
    const names = r.body.items.map((u: any) => u.name);
    expect(names).toContain('城关街道');
    expect(names).toContain('东城区'); // where its reports go
    expect(names).not.toContain('东湖街道');
    expect(names).not.toContain('河西镇');
    const other = await t.unitId('东湖街道');
    expect((await t.call('cgz_xxy', 'GET', `/api/units/${other}`)).status).toBe(404);
  });

  it('a county editor sees its townships but not the other county', async () => {
    const names = (await t.call('dc_xxk', 'GET', '/api/units')).body.items.map((u: any) => u.name);
    expect(names).toEqual(expect.arrayContaining(['城关街道', '东湖街道', '东城区公安分局']));
    expect(names).not.toContain('河西镇');
    expect(names).not.toContain('西山县公安分局');
  });
});

describe('request bodies', () => {
  it('an action POST with a JSON content type and an empty body is accepted as no body', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${await t.token('cgz_xxy')}`, 'content-type': 'application/json' },
      payload: '',
    });
    expect(r.statusCode).toBe(204);
  });
});
