import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processDueDeliveries } from '../../src/modules/notify/delivery.js';
import { notify } from '../../src/modules/notify/notify.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** Point 3 of issue #9: outbound endpoints' credentials reach no one and no log. */

const KEY = '693a91f6-7e2b-4bc4-97a0-0ec2f1fa5aaa';
const TOKEN = 'abcdef0123456789abcdef0123456789';
let t: TestApp;
let receiver: http.Server;
let receiverUrl = '';

async function admin(username: string, unit: string) {
  const r = await t.call('admin', 'POST', '/api/users', {
    username,
    password: 'Jibao@2026',
    name: `${unit}管理员`,
    unitId: await t.unitId(unit),
    roles: ['admin'],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  await admin('dc_admin', '东城区委办公室');
  await admin('xs_admin', '西山县委办公室');
  // a robot gateway that refuses and, like real ones, quotes the key it was called with
  receiver = http.createServer((req, res) => {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errcode: 93000, errmsg: `invalid webhook url ${req.url}` }));
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  receiver?.close();
  await t?.close();
});

async function createRobot(user: string, name: string) {
  const r = await t.call(user, 'POST', '/api/notifications/endpoints', {
    kind: 'wecom',
    name,
    config: {
      url: `${receiverUrl}/cgi-bin/webhook/send?key=${KEY}`,
      headers: { Authorization: `Bearer ${TOKEN}` },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

describe('who may see outbound endpoints', () => {
  it('a duty officer who is not an administrator cannot list the endpoints', async () => {
    await createRobot('admin', '全国值班群');
    const r = await t.call('dc_zby', 'GET', '/api/notifications/endpoints');
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.body)).not.toContain(KEY);
  });

  it("a county administrator sees their county's endpoints and not a sibling county's", async () => {
    const dc = await createRobot('dc_admin', '东城区值班群');
    const own = await t.call('dc_admin', 'GET', '/api/notifications/endpoints');
    expect(own.status).toBe(200);
    expect(own.body.items.map((e: any) => e.id)).toContain(dc.id);
    const sibling = await t.call('xs_admin', 'GET', '/api/notifications/endpoints');
    expect(sibling.status).toBe(200);
    expect(sibling.body.items.map((e: any) => e.id)).not.toContain(dc.id);
    expect(sibling.body.items.some((e: any) => e.name === '全国值班群')).toBe(false);
  });

  it("a sibling county's administrator cannot change another county's endpoint", async () => {
    const dc = await createRobot('dc_admin', '东城区值班群2');
    const r = await t.call('xs_admin', 'PATCH', `/api/notifications/endpoints/${dc.id}`, { enabled: false });
    expect(r.status).toBe(404);
    const row = await t.tdb.pool.query('select enabled from notify_endpoints where id = $1', [dc.id]);
    expect(row.rows[0].enabled).toBe(true);
    const byOfficer = await t.call('dc_zby', 'PATCH', `/api/notifications/endpoints/${dc.id}`, {
      enabled: false,
    });
    expect(byOfficer.status).toBe(403);
  });
});

describe('credentials are masked', () => {
  it('the robot key and the Authorization header are masked in the list, recognisably', async () => {
    const created = await createRobot('admin', '省值班群');
    expect(JSON.stringify(created)).not.toContain(KEY);
    const r = await t.call('admin', 'GET', '/api/notifications/endpoints');
    const e = r.body.items.find((x: any) => x.id === created.id);
    expect(e.config.url).toMatch(/key=••••5aaa$/);
    expect(e.config.headers.Authorization).not.toContain(TOKEN);
    expect(JSON.stringify(r.body)).not.toContain(KEY);
    expect(JSON.stringify(r.body)).not.toContain(TOKEN);
  });

  it('saving an endpoint back unchanged (masks and all) keeps the stored key and token', async () => {
    const created = await createRobot('admin', '市值班群');
    const r = await t.call('admin', 'PATCH', `/api/notifications/endpoints/${created.id}`, {
      name: '市值班群（改名）',
      config: created.config,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const row = await t.tdb.pool.query('select config from notify_endpoints where id = $1', [created.id]);
    expect(row.rows[0].config.url).toBe(`${receiverUrl}/cgi-bin/webhook/send?key=${KEY}`);
    expect(row.rows[0].config.headers.Authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('the registration log of endpoint changes holds masked values only', async () => {
    const created = await createRobot('admin', '县值班群');
    await t.call('admin', 'PATCH', `/api/notifications/endpoints/${created.id}`, {
      config: { url: `${receiverUrl}/cgi-bin/webhook/send?key=${KEY}-new` },
    });
    const log = await t.tdb.pool.query(`select data from audit_log where entity_type = 'notify_endpoint'`);
    expect(log.rows.length).toBeGreaterThan(0);
    const text = JSON.stringify(log.rows);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(TOKEN);
  });

  it('a failed robot delivery records its error without the key the gateway quoted', async () => {
    await t.tdb.pool.query('update notify_endpoints set enabled = false');
    const ep = await createRobot('admin', '失败的值班群');
    const me = (await t.tdb.pool.query(`select id from users where username = 'dc_dbld'`)).rows[0].id;
    const prefs = await t.call('dc_dbld', 'PUT', '/api/notifications/preferences', {
      steps: [
        { afterMinutes: 0, channel: 'in_app' },
        { afterMinutes: 0, channel: 'wecom', endpointId: ep.id },
      ],
    });
    expect(prefs.status, JSON.stringify(prefs.body)).toBe(200);
    const [id] = await notify(
      { actor: null, tx: t.tdb.db, clock: t.clock, lang: 'zh-CN' },
      { userIds: [me], kind: 'test', title: '测试', body: '测试', urgent: true },
    );
    while ((await processDueDeliveries({ db: t.tdb.db, clock: t.clock, env: {} })) > 0) {}
    const d = await t.tdb.pool.query(
      `select last_error from notification_deliveries where notification_id = $1 and channel = 'wecom'`,
      [id],
    );
    expect(d.rows[0].last_error).toMatch(/HTTP 400/);
    expect(d.rows[0].last_error).not.toContain(KEY);
    const log = await t.tdb.pool.query(`select data from audit_log where entity_id = $1`, [id]);
    expect(JSON.stringify(log.rows)).toContain('HTTP 400');
    expect(JSON.stringify(log.rows)).not.toContain(KEY);
    const shown = await t.call('dc_dbld', 'GET', `/api/notifications/${id}`);
    expect(JSON.stringify(shown.body)).not.toContain(KEY);
  });
});
