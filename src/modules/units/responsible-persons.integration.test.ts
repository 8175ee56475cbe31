import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';

let t: TestApp;
let town: string; // 城关街道
beforeAll(async () => {
  t = await createTestApp({ demo: true });
  town = await t.unitId('城关街道');
});
afterAll(async () => t?.close());

const persons = [
  { tier: 'principal', name: '赵志强', post: '党工委书记', phone: '13800000003' },
  { tier: 'leader_in_charge', name: '王建国', post: '分管副主任', phone: '13800000002' },
  { tier: 'office_director', name: '钱主任', post: '党政办主任', phone: '13800009999' },
];

/** Sign in afresh for each call: the test moves the clock past the sessions' lifetime. */
async function call(user: string, method: 'GET' | 'PUT' | 'POST', url: string, body?: unknown, headers = {}) {
  const login = await t.call(null, 'POST', '/api/auth/login', { username: user, password: 'Jibao@2026' });
  expect(login.status).toBe(200);
  return t.call(null, method, url, body, { ...headers, authorization: `Bearer ${login.body.token}` });
}

const defectsOf = async (user: string, unitId: string) => {
  const r = await call(user, 'GET', '/api/units/defects?limit=2000');
  expect(r.status).toBe(200);
  return r.body.items.find((i: any) => i.unitId === unitId);
};

describe('三级责任人 responsible persons', () => {
  it('a unit without a list shows it as a defect, with the missing tiers in Chinese', async () => {
    const d = await defectsOf('admin', town);
    expect(d.responsible).toMatchObject({ status: 'unconfirmed', missingTiers: persons.map((p) => p.tier) });
    expect(d.problems.map((p: any) => p.code)).toEqual(['responsible_missing', 'responsible_unconfirmed']);
    expect(d.problems[0].message).toContain('主要负责人');
    const en = await call('admin', 'GET', '/api/units/defects?limit=2000', undefined, {
      'accept-language': 'en',
    });
    expect(en.body.items.find((i: any) => i.unitId === town).problems[1].message).toBe(
      'Responsible persons not confirmed',
    );
  });

  it('an incomplete list cannot be confirmed', async () => {
    const put = await call('admin', 'PUT', `/api/units/${town}/responsible-persons`, {
      persons: persons.slice(0, 2),
    });
    expect(put.status).toBe(200);
    expect(put.body.missingTiers).toEqual(['office_director']);
    const c = await call('admin', 'POST', `/api/units/${town}/responsible-persons/confirm`);
    expect(c.status).toBe(422);
    expect(c.body.error.code).toBe('responsible_incomplete');
    expect(c.body.error.message).toContain('办公室主任');
  });

  it('the unit’s principal fills in and confirms the list; it holds for 90 days, then expires', async () => {
    const put = await call('cgz_zyfzr', 'PUT', `/api/units/${town}/responsible-persons`, { persons });
    expect(put.status).toBe(200);
    expect(put.body.persons.map((p: any) => p.tierName)).toEqual([
      '主要负责人（领导责任）',
      '分管领导',
      '办公室主任（直接责任人）',
    ]);
    const c = await call('cgz_zyfzr', 'POST', `/api/units/${town}/responsible-persons/confirm`);
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ status: 'confirmed', confirmedAt: t.clock.now().toISOString() });
    expect(new Date(c.body.expiresAt).getTime() - t.clock.now().getTime()).toBe(90 * 86_400_000);
    expect(await defectsOf('admin', town)).toBeUndefined();

    t.clock.advanceMinutes(89 * 24 * 60);
    expect((await call('cgz_xxy', 'GET', `/api/units/${town}/responsible-persons`)).body.status).toBe(
      'confirmed',
    );
    expect(await defectsOf('admin', town)).toBeUndefined();

    t.clock.advanceMinutes(24 * 60);
    const got = await call('cgz_xxy', 'GET', `/api/units/${town}/responsible-persons`);
    expect(got.body.status).toBe('expired');
    const d = await defectsOf('admin', town);
    expect(d.problems.map((p: any) => p.code)).toEqual(['responsible_expired']);
    expect(d.problems[0].message).toMatch(/确认已过期.*90 天/);

    const again = await call('admin', 'POST', `/api/units/${town}/responsible-persons/confirm`);
    expect(again.body.status).toBe('confirmed');
    expect(await defectsOf('admin', town)).toBeUndefined();
  });

  it('saving the same list keeps the confirmation; changing a person clears it, and both are logged', async () => {
    const same = await call('admin', 'PUT', `/api/units/${town}/responsible-persons`, { persons });
    expect(same.body.status).toBe('confirmed');
    const changed = persons.map((p) => (p.tier === 'office_director' ? { ...p, name: '孙主任' } : p));
    const r = await call('admin', 'PUT', `/api/units/${town}/responsible-persons`, { persons: changed });
    expect(r.body).toMatchObject({ status: 'unconfirmed', confirmedAt: null });
    expect(r.body.persons[2].name).toBe('孙主任');
    expect((await defectsOf('admin', town)).problems.map((p: any) => p.code)).toEqual([
      'responsible_unconfirmed',
    ]);
    const log = await t.tdb.pool.query(
      `select action, data from audit_log where stream = $1 and action like 'responsible%' order by seq`,
      [`unit:${town}`],
    );
    expect(log.rows.map((l) => l.action)).toEqual([
      'responsible_persons_changed',
      'responsible_persons_changed',
      'responsible_persons_confirmed',
      'responsible_persons_confirmed',
      'responsible_persons_changed',
    ]);
    expect(log.rows[4].data.confirmationCleared).toBe(true);
  });

  it('others may read but not change a unit’s list; a sibling cannot even see it', async () => {
    const reader = await call('cgz_xxy', 'PUT', `/api/units/${town}/responsible-persons`, { persons });
    expect(reader.status).toBe(403);
    const otherPrincipal = await call('hsz_ld', 'POST', `/api/units/${town}/responsible-persons/confirm`);
    expect(otherPrincipal.status).toBe(404);
    const dup = await call('admin', 'PUT', `/api/units/${town}/responsible-persons`, {
      persons: [persons[0], persons[0]],
    });
    expect(dup.status).toBe(400);
    expect(dup.body.error.code).toBe('responsible_duplicate_tier');
  });

  it('the defect list covers the caller’s subtree only and flags units without a duty phone', async () => {
    const r = await call('dc_zyfzr', 'GET', '/api/units/defects?limit=2000');
    const names = r.body.items.map((i: any) => i.name);
    expect(names).toContain('东湖街道');
    expect(names).not.toContain('河西镇');
    expect(r.body.total).toBe(r.body.items.length);
    const county = await t.unitId('东城区');
    await call('admin', 'POST', '/api/units', { name: '东城区档案馆', kind: 'department', parentId: county });
    const d = (await call('dc_zyfzr', 'GET', '/api/units/defects?kind=department')).body.items.find(
      (i: any) => i.name === '东城区档案馆',
    );
    expect(d.dutyPhoneMissing).toBe(true);
    expect(d.problems.map((p: any) => p.message)).toContain('没有值班电话');
    const page = await call('dc_zyfzr', 'GET', '/api/units/defects?limit=2');
    expect(page.body.items).toHaveLength(2);
    const next = await call('dc_zyfzr', 'GET', `/api/units/defects?limit=2&cursor=${page.body.nextCursor}`);
    expect(next.body.items[0].unitId).not.toBe(page.body.items[0].unitId);
  });
});
