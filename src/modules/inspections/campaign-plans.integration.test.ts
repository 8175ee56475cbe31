import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';

/**
 * 行动方案和领导机构报送: a campaign issues one collection task to its participating units, due at `planDueAt`
 * (default: the end of the Beijing day 7 days after creation); the campaign board shows who filed, who has not,
 * and who is overdue.
 */
let t: TestApp;
let units: Record<string, string>;
const DAY = 24 * 3600_000;

/** A request with a fresh sign-in (the manual clock moves days ahead: cached sessions expire). */
async function fresh(
  username: string,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: 'Jibao@2026' },
  });
  const r = await t.app.inject({
    method,
    url,
    payload: body as any,
    headers: { ...headers, authorization: `Bearer ${login.json().token}` },
  });
  return { status: r.statusCode, body: r.json() };
}

const count = async (q: string, params: unknown[] = []) =>
  Number((await t.tdb.pool.query(q, params)).rows[0].n);

beforeAll(async () => {
  t = await createTestApp();
  units = {};
  for (const n of ['东城区', '城关街道', '东城区公安分局', '东城区应急管理局安全生产科'])
    units[n] = await t.unitId(n);
});
afterAll(async () => t?.close());

const campaign = (extra: Record<string, unknown> = {}) => ({
  title: '冬春火灾防控专项行动',
  from: '2026-11-23',
  to: '2027-02-28',
  sectors: [{ sector: '消防', leadUnitId: units['东城区应急管理局安全生产科'] }],
  unitIds: [units['城关街道'], units['东城区公安分局']],
  ...extra,
});

describe('action plans of a campaign (行动方案报送)', () => {
  let id: string;
  let collectionId: string;

  it('creating a campaign issues one collection with a task per participating unit, due in 7 days by default', async () => {
    const key = { 'idempotency-key': 'campaign-plans-1' };
    const r = await t.call('dc_xxk', 'POST', '/api/inspections/campaigns', campaign(), key);
    expect(r.status).toBe(201);
    id = r.body.id;
    collectionId = r.body.planCollectionId;
    expect(collectionId).toBeTruthy();
    const plans = r.body.board.plans;
    expect(plans.title).toBe('「冬春火灾防控专项行动」行动方案和领导机构报送');
    // created Monday 2026-11-23 10:00 Beijing → due at the end of Monday 2026-11-30, Beijing time
    expect(plans.dueAt).toBe('2026-11-30T15:59:59.999Z');
    expect(plans.counts).toEqual({ total: 2, filed: 0, notFiled: 2, overdue: 0 });
    expect(plans.units.map((u: any) => [u.unitName, u.status])).toEqual(
      expect.arrayContaining([
        ['城关街道', 'open'],
        ['东城区公安分局', 'open'],
      ]),
    );
    expect(
      await count('select count(*) n from tasks where collection_id = $1 and due_at = $2 and source = $3', [
        collectionId,
        '2026-11-30T15:59:59.999Z',
        'campaign',
      ]),
    ).toBe(2);

    // the same request again (a retry): the same answer, no second campaign, no second collection
    const again = await t.call('dc_xxk', 'POST', '/api/inspections/campaigns', campaign(), key);
    expect(again.status).toBe(201);
    expect(again.body.planCollectionId).toBe(collectionId);
    expect(await count(`select count(*) n from task_collections where source = 'campaign'`)).toBe(1);
    expect(await count(`select count(*) n from inspection_campaigns`)).toBe(1);
  });

  it('the participating units are told and see their task; the issuing area opens the collection view', async () => {
    const mine = await t.call('cgz_xxy', 'GET', '/api/tasks');
    expect(mine.body.items.map((x: any) => x.title)).toContain(
      '「冬春火灾防控专项行动」行动方案和领导机构报送',
    );
    const told = await t.tdb.pool.query(
      `select n.title from notifications n join users u on u.id = n.user_id
        where u.username = 'cgz_xxy' and n.kind = 'task.assigned'`,
    );
    expect(told.rows.map((r) => r.title)).toEqual(['【督办】「冬春火灾防控专项行动」行动方案和领导机构报送']);
    const col = await t.call('dc_xxk', 'GET', `/api/tasks/collections/${collectionId}`);
    expect(col.status).toBe(200);
    expect(col.body.source).toBe('campaign');
    const board = await t.call('dc_xxk', 'GET', `/api/inspections/campaigns/${id}`);
    expect(board.body.board.plans.canViewCollection).toBe(true);
    // a participating township sees the board but not the county's collection view
    const township = await t.call('cgz_xxy', 'GET', `/api/inspections/campaigns/${id}`);
    expect(township.body.board.plans.canViewCollection).toBe(false);
  });

  it('one unit files its plan: the board shows it filed and the other not filed', async () => {
    const board0 = await t.call('dc_xxk', 'GET', `/api/inspections/campaigns/${id}`);
    const task = board0.body.board.plans.units.find((u: any) => u.unitName === '城关街道').taskId;
    // another participating unit cannot file for it
    const other = await t.call('dc_ga_xxy', 'POST', `/api/tasks/${task}/progress`, {
      text: '代报',
      done: true,
    });
    expect([403, 404]).toContain(other.status);
    const filed = await t.call('cgz_xxy', 'POST', `/api/tasks/${task}/progress`, {
      text: '已印发《城关街道冬春火灾防控专项行动方案》，成立以党工委书记为组长的领导小组。',
      done: true,
    });
    expect(filed.status).toBe(200);
    const board = await t.call('dc_xxk', 'GET', `/api/inspections/campaigns/${id}`);
    const byName = Object.fromEntries(board.body.board.plans.units.map((u: any) => [u.unitName, u]));
    expect(byName['城关街道']).toMatchObject({ filed: true, status: 'done', overdue: false });
    expect(byName['东城区公安分局']).toMatchObject({ filed: false, status: 'open', overdue: false });
    expect(board.body.board.plans.counts).toEqual({ total: 2, filed: 1, notFiled: 1, overdue: 0 });
  });

  it('past the due date the unit that has not filed shows overdue', async () => {
    t.clock.advance(8 * DAY); // Tuesday 2026-12-01, Beijing
    const board = await fresh('dc_xxk', 'GET', `/api/inspections/campaigns/${id}`);
    const byName = Object.fromEntries(board.body.board.plans.units.map((u: any) => [u.unitName, u]));
    expect(byName['城关街道']).toMatchObject({ filed: true, status: 'done', overdue: false });
    expect(byName['东城区公安分局']).toMatchObject({ filed: false, status: 'overdue', overdue: true });
    expect(board.body.board.plans.counts).toEqual({ total: 2, filed: 1, notFiled: 1, overdue: 1 });
  });

  it('takes a due date given as a date (end of that day, Beijing); refuses one in the past, creating nothing', async () => {
    const r = await fresh(
      'dc_xxk',
      'POST',
      '/api/inspections/campaigns',
      campaign({ title: '燃气安全专项检查', planDueAt: '2026-12-10' }),
    );
    expect(r.status).toBe(201);
    expect(r.body.board.plans.dueAt).toBe('2026-12-10T15:59:59.999Z');
    expect(r.body.board.plans.counts.total).toBe(2);

    const before = await count(`select count(*) n from task_collections`);
    const past = await fresh(
      'dc_xxk',
      'POST',
      '/api/inspections/campaigns',
      campaign({ title: '过期的活动', planDueAt: '2026-11-20' }),
    );
    expect(past.status).toBe(422);
    expect(past.body.error.message).toContain('行动方案报送期限');
    const en = await fresh(
      'dc_xxk',
      'POST',
      '/api/inspections/campaigns',
      campaign({ title: '过期的活动', planDueAt: '2026-11-20' }),
      { 'accept-language': 'en' },
    );
    expect(en.body.error.message).toContain('action plans');
    const bad = await fresh(
      'dc_xxk',
      'POST',
      '/api/inspections/campaigns',
      campaign({ title: '格式错误', planDueAt: '下周五' }),
    );
    expect(bad.status).toBe(400);
    expect(await count(`select count(*) n from task_collections`)).toBe(before);
    expect(await count(`select count(*) n from inspection_campaigns where title = '过期的活动'`)).toBe(0);
  });

  it('a campaign without participating units has no plan collection', async () => {
    const r = await fresh('dc_xxk', 'POST', '/api/inspections/campaigns', {
      ...campaign({ title: '区直部门自查' }),
      unitIds: [],
    });
    expect(r.status).toBe(201);
    expect(r.body.planCollectionId).toBeNull();
    expect(r.body.board.plans).toBeNull();
  });
});
