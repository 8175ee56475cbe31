import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, type TestApp } from '../../../tests/helpers/app.js';

let t: TestApp;
const u: Record<string, string> = {};
let wh: string; // 东城区应急物资储备库
let wh2: string; // 东城区第二储备点
let eventId: string;

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  for (const n of ['东城区', '西山县委办公室', '城关街道党政办']) u[n] = await t.unitId(n);
  const mk = async (username: string, unit: string, roles: string[]) => {
    const r = await t.call('admin', 'POST', '/api/users', {
      username,
      password: DEMO_PASSWORD,
      name: username,
      unitId: u[unit],
      roles,
    });
    expect(r.status, username).toBe(201);
  };
  await mk('xs_zby', '西山县委办公室', ['duty_officer', 'editor']); // the sibling county
  await mk('cg_zyfzr2', '城关街道党政办', ['principal']);
  const w = await t.call('dc_xxk', 'POST', '/api/resources/warehouses', {
    unitId: u['东城区'],
    name: '东城区应急物资储备库',
    lng: 116.4,
    lat: 39.9,
  });
  wh = w.body.id;
  wh2 = (
    await t.call('dc_xxk', 'POST', '/api/resources/warehouses', {
      unitId: u['东城区'],
      name: '东城区第二储备点',
    })
  ).body.id;
  const ev = await t.call('cgz_xxy', 'POST', '/api/events', {
    title: '城关街道河堤管涌',
    categoryCode: '11A01',
    level: 'IV',
    occurredAt: new Date(t.clock.now().getTime() - 600_000).toISOString(),
    place: { address: '城关街道河堤', lng: 116.41, lat: 39.905 },
  });
  expect(ev.status).toBe(201);
  eventId = ev.body.id;
});
afterAll(async () => t?.close());

const move = (body: Record<string, unknown>, who = 'dc_xxk', headers: Record<string, string> = {}) =>
  t.call(who, 'POST', '/api/resources/stock-moves', { warehouseId: wh, itemCode: 'C01', ...body }, headers);
const stockOf = async (warehouseId: string, itemCode: string) =>
  (await t.call('dc_xxk', 'GET', `/api/resources/stock?warehouseId=${warehouseId}&itemCode=${itemCode}`)).body
    .items[0];
const moves = async () =>
  (await t.tdb.pool.query('select count(*)::int n from stock_moves')).rows[0].n as number;

describe('stock moves', () => {
  it('a receipt fixes the unit (from the catalogue or the first receipt); another unit later is 422', async () => {
    const r = await move({ kind: 'in', quantity: 1000, expiresOn: '2027-06-30', reason: 'purchase' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      kind: 'in',
      quantity: 1000,
      unit: '条',
      stock: { quantity: 1000, unit: '条' },
    });
    const again = await move({ kind: 'in', quantity: 500.5, unit: '条', expiresOn: '2027-01-31' });
    expect(again.body.stock.quantity).toBe(1500.5);
    const before = await moves();
    const bad = await move({ kind: 'in', quantity: 10, unit: '吨' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('stock_unit_mismatch');
    expect(bad.body.error.message).toContain('条');
    const en = await move({ kind: 'in', quantity: 10, unit: '吨' }, 'dc_xxk', { 'accept-language': 'en' });
    expect(en.body.error.message).toContain('first receipt');
    // an item outside the catalogue needs its name and unit
    const noName = await move({ kind: 'in', itemCode: 'X99', quantity: 1 });
    expect(noName.status).toBe(422);
    expect(noName.body.error.code).toBe('stock_item_unknown');
    const noUnit = await move({ kind: 'in', itemCode: 'X99', itemName: '救援绳', quantity: 1 });
    expect(noUnit.body.error.code).toBe('stock_unit_required');
    const decimals = await move({ kind: 'in', quantity: 1.2345 });
    expect(decimals.status).toBe(400);
    expect(await moves()).toBe(before);
  });

  it('issues take the earliest expiry first; the stock shows batches and flags what expires within 30 days', async () => {
    const out = await move({ kind: 'out', quantity: 600 });
    expect(out.status).toBe(201);
    expect(out.body.batches).toEqual([
      { expiresOn: '2027-01-31', quantity: 500.5 },
      { expiresOn: '2027-06-30', quantity: 99.5 },
    ]);
    expect(out.body.stock.quantity).toBe(900.5);
    await move({ kind: 'in', itemCode: 'D04', quantity: 20, expiresOn: '2026-12-10' });
    const s = await stockOf(wh, 'D04');
    expect(s).toMatchObject({ itemName: '消毒剂', unit: '千克', quantity: 20, expiringSoon: true });
    expect((await stockOf(wh, 'C01')).expiringSoon).toBe(false);
  });

  it('never negative: more than the stock is 409 insufficient_stock and changes nothing', async () => {
    const before = await moves();
    const r = await move({ kind: 'loss', quantity: 100000, reason: 'damaged' });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('insufficient_stock');
    expect(r.body.error.details.available).toBe(900.5);
    const none = await move({ kind: 'out', itemCode: 'A03', quantity: 1 });
    expect(none.status).toBe(409);
    expect(await moves()).toBe(before);
    expect((await stockOf(wh, 'C01')).quantity).toBe(900.5);
  });

  it('a transfer moves the batches with their expiry; both sides balance; each move is logged', async () => {
    const r = await move({ kind: 'transfer', quantity: 100.5, toWarehouseId: wh2 });
    expect(r.status).toBe(201);
    expect((await stockOf(wh, 'C01')).quantity).toBe(800);
    const there = await stockOf(wh2, 'C01');
    expect(there).toMatchObject({ quantity: 100.5, unit: '条' });
    expect(there.batches).toEqual([{ expiresOn: '2027-06-30', quantity: 100.5, expiringSoon: false }]);
    const log = await t.tdb.pool.query(`select action from audit_log where stream = $1 order by seq`, [
      `warehouse:${wh}`,
    ]);
    expect(log.rows.map((x) => x.action)).toEqual([
      'stock_in',
      'stock_in',
      'stock_out',
      'stock_in',
      'stock_transfer',
    ]);
    expect((await move({ kind: 'transfer', quantity: 1 })).body.error.code).toBe(
      'stock_transfer_target_required',
    );
  });

  it('only the warehouse’s keepers move stock; the sibling county does not even see the warehouse', async () => {
    const before = await moves();
    expect((await move({ kind: 'in', quantity: 1 }, 'dc_zby')).status).toBe(403); // a duty officer: no role
    expect((await move({ kind: 'in', quantity: 1 }, 'xs_zby')).status).toBe(404);
    expect(await moves()).toBe(before);
    const list = await t.call('xs_zby', 'GET', '/api/resources/stock');
    expect(list.body.items).toEqual([]);
    const mine = await t.call('dc_zby', 'GET', `/api/resources/stock-moves?warehouseId=${wh}`);
    expect(mine.body.items.length).toBe(5);
  });
});

describe('dispatch to an event', () => {
  const dispatch = (who: string, quantity: number, itemCode = 'C01', warehouseId = wh) =>
    t.call(who, 'POST', `/api/events/${eventId}/allocations`, { warehouseId, itemCode, quantity });

  it('the duty officer of the warehouse’s area dispatches: stock out at once, on the event’s log', async () => {
    const r = await dispatch('dc_zby', 200);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      eventId,
      warehouseId: wh,
      itemCode: 'C01',
      quantity: 200,
      unit: '条',
      status: 'dispatched',
    });
    expect((await stockOf(wh, 'C01')).quantity).toBe(600);
    const log = await t.tdb.pool.query(
      `select data from audit_log where stream = $1 and action = 'supplies_dispatched'`,
      [`event:${eventId}`],
    );
    expect(log.rows[0].data).toMatchObject({ quantity: 200, stockAfter: 600 });
    const list = await t.call('dc_dbld', 'GET', `/api/events/${eventId}/allocations`);
    expect(list.body.items.map((x: any) => x.id)).toEqual([r.body.id]);
    const m = await t.call('dc_xxk', 'GET', `/api/resources/stock-moves?eventId=${eventId}`);
    expect(m.body.items[0]).toMatchObject({ kind: 'out', reason: 'dispatch', eventId });
  });

  it('refuses an editor (wrong role), a township principal (not the warehouse’s area) and the sibling county', async () => {
    const before = await moves();
    const editor = await dispatch('dc_xxk', 1);
    expect(editor.status).toBe(403);
    expect(editor.body.error.details.requiredRoles).toEqual(['principal', 'duty_leader', 'duty_officer']);
    expect((await dispatch('cg_zyfzr2', 1)).status).toBe(403);
    expect((await dispatch('xs_zby', 1)).status).toBe(404); // the event (and the warehouse) are not theirs to see
    expect((await dispatch('dc_zby', 1000)).body.error.code).toBe('insufficient_stock');
    expect(await moves()).toBe(before);
  });

  it('a keeper cannot send stock out to an event through a stock move (a dispatch is the dispatchers’)', async () => {
    const before = await moves();
    const r = await move({ kind: 'out', quantity: 1, eventId });
    expect(r.status).toBe(403);
    expect(await moves()).toBe(before);
  });

  it('a return is an in move with the event', async () => {
    const r = await move({ kind: 'in', quantity: 50, eventId, reason: 'return' });
    expect(r.status).toBe(201);
    expect((await stockOf(wh, 'C01')).quantity).toBe(650);
  });

  it('two dispatches racing for the last units on separate connections: exactly one wins, 20 rounds', async () => {
    for (let round = 0; round < 20; round++) {
      const code = 'B04';
      const left = (await stockOf(wh, code))?.quantity ?? 0;
      if (left > 0) await move({ kind: 'loss', itemCode: code, quantity: left, reason: 'reset' });
      await move({ kind: 'in', itemCode: code, quantity: 3 });
      const [a, b] = await Promise.all([dispatch('dc_zby', 2, code), dispatch('dc_dbld', 2, code)]);
      const statuses = [a.status, b.status].sort();
      expect(statuses, `round ${round}`).toEqual([201, 409]);
      const loser = a.status === 409 ? a : b;
      expect(loser.body.error.code).toBe('insufficient_stock');
      expect((await stockOf(wh, code)).quantity).toBe(1);
    }
    const n = await t.tdb.pool.query(
      `select count(*)::int n from event_allocations where event_id = $1 and item_code = 'B04'`,
      [eventId],
    );
    expect(n.rows[0].n).toBe(20);
  });
});

describe('allocation requests', () => {
  const ask = (who: string, quantity: number, itemCode = 'C01') =>
    t.call(who, 'POST', `/api/events/${eventId}/allocation-requests`, {
      warehouseId: wh,
      itemCode,
      quantity,
      reason: '加固河堤',
    });

  it('a township asks; the county duty officer sees it and approves: the supplies are dispatched at once', async () => {
    const before = (await stockOf(wh, 'C01')).quantity;
    const r = await ask('cgz_xxy', 30);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      status: 'requested',
      quantity: 30,
      itemName: '编织袋',
      can: { approve: false },
    });
    expect((await stockOf(wh, 'C01')).quantity).toBe(before);
    const note = await t.tdb.pool.query(
      `select count(*)::int n from notifications n join users u on u.id = n.user_id
       where n.kind = 'supplies.requested' and u.username = 'dc_zby'`,
    );
    expect(note.rows[0].n).toBe(1);
    const pending = await t.call('dc_zby', 'GET', '/api/allocation-requests?status=requested');
    expect(pending.body.items.find((x: any) => x.id === r.body.id).can.approve).toBe(true);
    const ok = await t.call('dc_zby', 'POST', `/api/allocation-requests/${r.body.id}/approve`);
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('approved');
    expect(ok.body.allocationId).toBeTruthy();
    expect((await stockOf(wh, 'C01')).quantity).toBe(before - 30);
    const again = await t.call('dc_dbld', 'POST', `/api/allocation-requests/${r.body.id}/approve`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('allocation_request_decided');
    expect((await stockOf(wh, 'C01')).quantity).toBe(before - 30);
    // the requester sees its request decided
    const mine = await t.call('cgz_xxy', 'GET', `/api/allocation-requests?eventId=${eventId}`);
    expect(mine.body.items.find((x: any) => x.id === r.body.id).status).toBe('approved');
  });

  it('only the warehouse area’s dispatchers decide; a decline keeps the stock and needs a reason', async () => {
    const r = await ask('cgz_xxy', 5);
    expect((await t.call('dc_xxk', 'POST', `/api/allocation-requests/${r.body.id}/approve`)).status).toBe(
      403,
    );
    expect((await t.call('cg_zyfzr2', 'POST', `/api/allocation-requests/${r.body.id}/approve`)).status).toBe(
      403,
    );
    expect((await t.call('xs_zby', 'POST', `/api/allocation-requests/${r.body.id}/approve`)).status).toBe(
      404,
    );
    expect((await t.call('dc_zby', 'POST', `/api/allocation-requests/${r.body.id}/decline`, {})).status).toBe(
      400,
    );
    const before = (await stockOf(wh, 'C01')).quantity;
    const no = await t.call('dc_dbld', 'POST', `/api/allocation-requests/${r.body.id}/decline`, {
      reason: '库存留作防汛储备',
    });
    expect(no.status).toBe(200);
    expect(no.body).toMatchObject({ status: 'declined', declineReason: '库存留作防汛储备' });
    expect((await stockOf(wh, 'C01')).quantity).toBe(before);
    const log = await t.tdb.pool.query(
      `select action from audit_log where stream = $1 and action like 'supplies_request%'`,
      [`event:${eventId}`],
    );
    expect(log.rows.map((x) => x.action)).toEqual(
      expect.arrayContaining(['supplies_requested', 'supplies_request_declined']),
    );
  });

  it('an approval beyond the stock is 409 and leaves the request open; the sibling county cannot ask', async () => {
    const r = await ask('cgz_xxy', 100000);
    const no = await t.call('dc_zby', 'POST', `/api/allocation-requests/${r.body.id}/approve`);
    expect(no.status).toBe(409);
    expect(no.body.error.code).toBe('insufficient_stock');
    expect(
      (await t.call('dc_zby', 'GET', `/api/allocation-requests?eventId=${eventId}`)).body.items.find(
        (x: any) => x.id === r.body.id,
      ).status,
    ).toBe('requested');
    expect((await ask('xs_zby', 1)).status).toBe(404);
    expect((await ask('admin', 1)).status).toBe(403);
  });
});
