import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';
import type { Ctx } from '../../floor/context.js';
import { processDueDeliveries } from './delivery.js';
import { notify } from './notify.js';
import { startReceiver, startSmtp } from './test-receivers.js';

let t: TestApp;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  const r = await t.tdb.pool.query(`select id, username from users`);
  for (const row of r.rows) ids[row.username] = row.id;
});
afterAll(async () => t?.close());

const sysCtx = (): Ctx => ({ actor: null, tx: t.tdb.db, clock: t.clock, lang: 'zh-CN' });
/** Run the delivery worker until nothing is due. */
async function pass(env: NodeJS.ProcessEnv = {}) {
  while ((await processDueDeliveries({ db: t.tdb.db, clock: t.clock, env })) > 0) {}
}
async function auditOf(notificationId: string) {
  const r = await t.tdb.pool.query(
    `select action, data from audit_log where entity_type = 'notification' and entity_id = $1 order by id`,
    [notificationId],
  );
  return r.rows as { action: string; data: any }[];
}
async function endpoint(kind: string, name: string, config: Record<string, unknown>) {
  const r = await t.call('admin', 'POST', '/api/notifications/endpoints', { kind, name, config });
  expect(r.status).toBe(201);
  return r.body.id as string;
}
async function setPrefs(username: string, body: Record<string, unknown>) {
  const r = await t.call(username, 'PUT', '/api/notifications/preferences', body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}
async function clearEndpoints() {
  await t.tdb.pool.query(`update notify_endpoints set enabled = false`);
}

describe('inbox', () => {
  it('lists my notifications, counts unread, marks read and acknowledges', async () => {
    const [id] = await notify(sysCtx(), {
      userIds: [ids.dc_zby],
      kind: 'report.arrived',
      title: '城关街道报来一起火灾',
      body: '请签收',
      urgent: true,
    });
    const list = await t.call('dc_zby', 'GET', '/api/notifications');
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ id, urgent: true, needsAck: true, readAt: null });
    const count = await t.call('dc_zby', 'GET', '/api/notifications/unread-count');
    expect(count.body.unread).toBeGreaterThanOrEqual(1);
    expect(count.body.unacked).toBeGreaterThanOrEqual(1);

    // somebody else cannot see or acknowledge it
    expect((await t.call('dc_dbld', 'POST', `/api/notifications/${id}/ack`, {})).status).toBe(404);
    expect((await t.call('dc_dbld', 'GET', `/api/notifications/${id}`)).status).toBe(404);

    const read = await t.call('dc_zby', 'POST', `/api/notifications/${id}/read`);
    expect(read.body.readAt).toBeTruthy();
    expect(read.body.needsAck).toBe(true);
    t.clock.advance(40_000);
    const ack = await t.call('dc_zby', 'POST', `/api/notifications/${id}/ack`, { note: '已签收' });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ needsAck: false, ackNote: '已签收' });
    const again = await t.call('dc_zby', 'POST', `/api/notifications/${id}/ack`, {});
    expect(again.body.ackedAt).toBe(ack.body.ackedAt);
    const log = await auditOf(id);
    expect(log.map((l) => l.action)).toEqual(['notified', 'acknowledged']);
    expect(log[1].data).toMatchObject({ seconds: 40, userId: ids.dc_zby });
    const unacked = await t.call('dc_zby', 'GET', '/api/notifications?filter=unacked');
    expect(unacked.body.items.find((n: any) => n.id === id)).toBeUndefined();
  });

  it('pages the inbox with a cursor', async () => {
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      await notify(sysCtx(), { userIds: [ids.cgz_xxy2], kind: 'info', title: `第${i}条`, body: '' });
    }
    const p1 = await t.call('cgz_xxy2', 'GET', '/api/notifications?limit=3');
    expect(p1.body.items.map((n: any) => n.title)).toEqual(['第4条', '第3条', '第2条']);
    const p2 = await t.call('cgz_xxy2', 'GET', `/api/notifications?limit=3&cursor=${p1.body.nextCursor}`);
    expect(p2.body.items.map((n: any) => n.title)).toEqual(['第1条', '第0条']);
    expect(p2.body.nextCursor).toBeNull();
    const all = await t.call('cgz_xxy2', 'POST', '/api/notifications/read-all');
    expect(all.body.count).toBe(5);
  });

  it('refuses a deputy who is oneself, in the caller’s language', async () => {
    const r = await t.call(
      'dc_zby',
      'PUT',
      '/api/notifications/preferences',
      { deputyUserId: ids.dc_zby, steps: [{ afterMinutes: 0, channel: 'in_app' }] },
      { 'accept-language': 'en' },
    );
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'deputy_is_self', message: 'The deputy cannot be yourself.' });
  });
});

describe('outbound channels (real peers)', () => {
  it('sends e-mail through a real SMTP server with a stable message id', async () => {
    const smtp = await startSmtp();
    try {
      await clearEndpoints();
      await endpoint('smtp', '政务邮箱', {
        host: '127.0.0.1',
        port: smtp.port,
        from: 'jibao@example.gov.cn',
      });
      await setPrefs('sz_zby', {
        email: 'xieting@example.gov.cn',
        steps: [
          { afterMinutes: 0, channel: 'in_app' },
          { afterMinutes: 0, channel: 'email' },
        ],
      });
      const [id] = await notify(sysCtx(), {
        userIds: [ids.sz_zby],
        kind: 'report.arrived',
        title: '东城区报来一起交通事故',
        body: '3人受伤',
      });
      await pass();
      expect(smtp.mails).toHaveLength(1);
      const mail = smtp.mails[0];
      expect(mail.to).toEqual(['xieting@example.gov.cn']);
      expect(mail.raw).toContain(`Message-ID: <jibao-${id}-2@jibao>`);
      expect(mail.raw).toMatch(new RegExp(`X-Jibao-Message-Id: jibao-${id}-2`, 'i'));
      expect(mail.raw).toMatch(/Subject: =\?UTF-8\?/);
      const log = await auditOf(id);
      expect(log.map((l) => l.action)).toEqual(['notified', 'notify_sent']);
      expect(log[1].data).toMatchObject({ channel: 'email', target: 'xieting@example.gov.cn', attempt: 1 });
      const detail = await t.call('sz_zby', 'GET', `/api/notifications/${id}`);
      expect(detail.body.deliveries).toMatchObject([{ channel: 'email', status: 'sent', attempts: 1 }]);
    } finally {
      await smtp.close();
    }
  });

  it('posts a generic webhook (signed) and the WeCom, DingTalk and Feishu robot formats', async () => {
    const rx = await startReceiver();
    try {
      await clearEndpoints();
      const hook = await endpoint('webhook', '指挥平台', { url: `${rx.url}/hook`, secret: 's3cret' });
      const wecom = await endpoint('wecom', '值班群（企业微信）', { url: `${rx.url}/wecom?key=k1` });
      const ding = await endpoint('dingtalk', '值班群（钉钉）', {
        url: `${rx.url}/ding?access_token=t1`,
        secret: 'SECdd',
      });
      const feishu = await endpoint('feishu', '值班群（飞书）', { url: `${rx.url}/feishu`, secret: 'fs' });
      await setPrefs('dc_dbld', {
        steps: [
          { afterMinutes: 0, channel: 'in_app' },
          { afterMinutes: 0, channel: 'webhook', endpointId: hook },
          { afterMinutes: 0, channel: 'wecom', endpointId: wecom },
          { afterMinutes: 0, channel: 'dingtalk', endpointId: ding },
          { afterMinutes: 0, channel: 'feishu', endpointId: feishu },
        ],
      });
      const [id] = await notify(sysCtx(), {
        userIds: [ids.dc_dbld],
        kind: 'report.arrived',
        title: '河西镇报来一起山体滑坡',
        body: '2人被困',
        urgent: true,
        data: { reportId: 'r1' },
      });
      await pass();
      expect(rx.requests).toHaveLength(4);
      const by = (p: string) => rx.requests.find((r) => r.url.startsWith(p))!;

      const h = by('/hook');
      expect(h.headers['x-jibao-message-id']).toBe(h.json.messageId);
      expect(h.json).toMatchObject({
        notificationId: id,
        kind: 'report.arrived',
        title: '河西镇报来一起山体滑坡',
        urgent: true,
        data: { reportId: 'r1' },
        recipient: { id: ids.dc_dbld, name: '冯军' },
      });
      expect(h.headers['x-jibao-signature']).toBe(
        `sha256=${createHmac('sha256', 's3cret').update(h.body).digest('hex')}`,
      );

      const w = by('/wecom');
      expect(w.json.msgtype).toBe('text');
      expect(w.json.text.content).toContain('河西镇报来一起山体滑坡');
      expect(w.json.text.content).toContain(w.headers['x-jibao-message-id']);
      expect(w.json.text.mentioned_mobile_list).toEqual([expect.stringMatching(/^1380000/)]);

      const d = by('/ding');
      const u = new URL(d.url, rx.url);
      const ts = u.searchParams.get('timestamp')!;
      expect(ts).toBe(String(t.clock.now().getTime()));
      expect(u.searchParams.get('sign')).toBe(
        createHmac('sha256', 'SECdd').update(`${ts}\nSECdd`).digest('base64'),
      );
      expect(d.json).toMatchObject({ msgtype: 'text', at: { isAtAll: false } });
      expect(d.json.at.atMobiles).toHaveLength(1);

      const f = by('/feishu');
      expect(f.json.msg_type).toBe('text');
      expect(f.json.content.text).toContain('2人被困');
      expect(f.json.sign).toBe(createHmac('sha256', `${f.json.timestamp}\nfs`).update('').digest('base64'));

      const sent = (await auditOf(id)).filter((l) => l.action === 'notify_sent');
      expect(sent.map((s) => s.data.channel).sort()).toEqual(['dingtalk', 'feishu', 'webhook', 'wecom']);
    } finally {
      await rx.close();
    }
  });

  it('a robot answering with an error code counts as a failure', async () => {
    const rx = await startReceiver(() => ({ body: '{"errcode":93000,"errmsg":"invalid webhook url"}' }));
    try {
      await clearEndpoints();
      const wecom = await endpoint('wecom', '失效的群机器人', { url: `${rx.url}/wecom` });
      await setPrefs('cgz_fgld', {
        steps: [
          { afterMinutes: 0, channel: 'in_app' },
          { afterMinutes: 0, channel: 'wecom', endpointId: wecom },
        ],
      });
      const [id] = await notify(sysCtx(), { userIds: [ids.cgz_fgld], kind: 'x', title: 't', body: 'b' });
      await pass();
      const log = await auditOf(id);
      expect(log[1]).toMatchObject({ action: 'notify_send_failed' });
      expect(log[1].data.error).toContain('93000');
    } finally {
      await rx.close();
    }
  });
});

describe('escalation and retries', () => {
  it('an unacknowledged urgent notification goes by SMS after 2 min, voice after 5, the deputy after 10', async () => {
    const rx = await startReceiver();
    try {
      await clearEndpoints();
      await endpoint('sms', '短信网关', {
        url: `${rx.url}/sms`,
        bodyTemplate: '{"mobile":"{{phone}}","content":"{{text}}","bizId":"{{messageId}}"}',
      });
      await endpoint('voice', '语音网关', {
        url: `${rx.url}/voice`,
        contentType: 'application/x-www-form-urlencoded',
        bodyTemplate: 'tel={{phone}}&tts={{title}}&id={{messageId}}',
      });
      await setPrefs('dc_zyfzr', {
        phone: '13900001111',
        deputyUserId: ids.dc_fgld,
        steps: [
          { afterMinutes: 0, channel: 'in_app' },
          { afterMinutes: 2, channel: 'sms', urgentOnly: true },
          { afterMinutes: 5, channel: 'voice', urgentOnly: true },
          { afterMinutes: 10, channel: 'deputy', urgentOnly: true },
        ],
      });
      const [id] = await notify(sysCtx(), {
        userIds: [ids.dc_zyfzr],
        kind: 'report.arrived',
        title: '较大火灾',
        body: '东湖街道仓库起火',
        urgent: true,
        watchers: [ids.dc_xxk],
      });
      await pass();
      expect(rx.requests).toHaveLength(0);
      t.clock.advanceMinutes(2);
      await pass();
      expect(rx.requests).toHaveLength(1);
      expect(rx.requests[0].url).toBe('/sms');
      expect(rx.requests[0].json).toMatchObject({ mobile: '13900001111', bizId: `jibao-${id}-2` });
      expect(rx.requests[0].json.content).toContain('较大火灾');
      t.clock.advanceMinutes(3);
      await pass();
      expect(rx.requests).toHaveLength(2);
      expect(rx.requests[1].url).toBe('/voice');
      expect(new URLSearchParams(rx.requests[1].body).get('tel')).toBe('13900001111');
      expect(new URLSearchParams(rx.requests[1].body).get('tts')).toBe('较大火灾');
      t.clock.advanceMinutes(5);
      await pass();
      const deputy = await t.call('dc_fgld', 'GET', '/api/notifications?filter=unacked');
      const handed = deputy.body.items.find((n: any) => n.escalatedFromId === id);
      expect(handed).toMatchObject({ urgent: true, title: '【转交】较大火灾' });
      const log = await auditOf(id);
      expect(log.map((l) => l.action)).toEqual([
        'notified',
        'notify_sent',
        'notify_sent',
        'notify_escalated',
      ]);
      expect(log[3].data).toMatchObject({ toUserId: ids.dc_fgld, afterMinutes: 10 });

      // the deputy acknowledges: both are settled, and the original person's page is told
      const ack = await t.call('dc_fgld', 'POST', `/api/notifications/${handed.id}/ack`, {});
      expect(ack.status).toBe(200);
      const orig = await t.call('dc_zyfzr', 'GET', `/api/notifications/${id}`);
      expect(orig.body.needsAck).toBe(false);
      expect(orig.body.ackNote).toContain('黄涛');
      const outbox = await t.tdb.pool.query(
        `select audience from outbox where type = 'notification.acked' and data->>'id' = $1`,
        [handed.id],
      );
      expect(outbox.rows.map((r) => r.audience)).toEqual(
        expect.arrayContaining([`user:${ids.dc_zyfzr}`, `user:${ids.dc_xxk}`]),
      );
    } finally {
      await rx.close();
    }
  });

  it('acknowledging stops the chain: no voice call, no deputy', async () => {
    const rx = await startReceiver();
    try {
      await clearEndpoints();
      await endpoint('sms', '短信网关', { url: `${rx.url}/sms` });
      await endpoint('voice', '语音网关', { url: `${rx.url}/voice` });
      const [id] = await notify(sysCtx(), {
        userIds: [ids.dc_zyfzr],
        kind: 'report.arrived',
        title: '一般事故',
        body: '…',
        urgent: true,
      });
      t.clock.advanceMinutes(2);
      await pass();
      await t.call('dc_zyfzr', 'POST', `/api/notifications/${id}/ack`, {});
      t.clock.advanceMinutes(20);
      await pass();
      const detail = await t.call('dc_zyfzr', 'GET', `/api/notifications/${id}`);
      expect(detail.body.deliveries.map((d: any) => [d.channel, d.status])).toEqual([
        ['sms', 'sent'],
        ['voice', 'cancelled'],
        ['deputy', 'cancelled'],
      ]);
      expect(rx.requests.map((r) => r.url)).toEqual(['/sms']);
    } finally {
      await rx.close();
    }
  });

  it('retries a failing gateway with backoff under the same message id, then records the failure', async () => {
    let fail = true;
    const rx = await startReceiver(() => (fail ? { status: 503, body: 'busy' } : {}));
    try {
      await clearEndpoints();
      await endpoint('sms', '短信网关', { url: `${rx.url}/sms` });
      await setPrefs('hsz_ld', {
        steps: [
          { afterMinutes: 0, channel: 'in_app' },
          { afterMinutes: 0, channel: 'sms' },
        ],
      });
      const [id] = await notify(sysCtx(), { userIds: [ids.hsz_ld], kind: 'x', title: '请回电', body: '' });
      await pass();
      t.clock.advance(29_000);
      await pass();
      expect(rx.requests).toHaveLength(1); // backoff 30 s not yet over
      t.clock.advance(1_000);
      await pass();
      expect(rx.requests).toHaveLength(2);
      fail = false;
      t.clock.advance(60_000);
      await pass();
      expect(rx.requests).toHaveLength(3);
      expect(new Set(rx.requests.map((r) => r.json.messageId))).toEqual(new Set([`jibao-${id}-2`]));
      expect(new Set(rx.requests.map((r) => r.headers['x-jibao-message-id']))).toEqual(
        new Set([`jibao-${id}-2`]),
      );
      const log = (await auditOf(id)).map((l) => l.action);
      expect(log).toEqual([
        'notified',
        'notify_send_failed',
        'notify_retry',
        'notify_send_failed',
        'notify_retry',
        'notify_sent',
      ]);

      // with every attempt failing, the last one is recorded as a failure and the person is told live
      fail = true;
      const [id2] = await notify(sysCtx(), { userIds: [ids.hsz_ld], kind: 'x', title: '再试', body: '' });
      const env = { JIBAO_NOTIFY_MAX_ATTEMPTS: '2' };
      await pass(env);
      t.clock.advance(30_000);
      await pass(env);
      t.clock.advance(600_000);
      await pass(env);
      const d = await t.call('hsz_ld', 'GET', `/api/notifications/${id2}`);
      expect(d.body.deliveries[0]).toMatchObject({ status: 'failed', attempts: 2 });
      expect(d.body.deliveries[0].lastError).toContain('503');
      const last = (await auditOf(id2)).at(-1)!;
      expect(last).toMatchObject({ action: 'notify_failed', data: { final: true, attempt: 2 } });
      const live = await t.tdb.pool.query(
        `select 1 from outbox where type = 'notification.delivery_failed' and data->>'id' = $1`,
        [id2],
      );
      expect(live.rowCount).toBe(1);
    } finally {
      await rx.close();
    }
  });

  it('a channel with nothing configured is skipped and recorded, not silently lost', async () => {
    await clearEndpoints();
    const [id] = await notify(sysCtx(), {
      userIds: [ids.cgz_zyfzr],
      kind: 'x',
      title: '紧急',
      body: '',
      urgent: true,
    });
    t.clock.advanceMinutes(2);
    await pass();
    const log = await auditOf(id);
    expect(log[1]).toMatchObject({
      action: 'notify_skipped',
      data: { channel: 'sms', reason: 'no_endpoint' },
    });
  });
});
