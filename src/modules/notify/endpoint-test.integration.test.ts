import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';
import { startReceiver, startSmtp } from './test-receivers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
});
afterAll(async () => t?.close());

async function endpoint(kind: string, name: string, config: Record<string, unknown>) {
  const r = await t.call('admin', 'POST', '/api/notifications/endpoints', { kind, name, config });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
}
async function testLog(id: string) {
  const r = await t.tdb.pool.query(
    `select action, data from audit_log where stream = 'notify:endpoints' and entity_id = $1 and action like 'endpoint_test%' order by id`,
    [id],
  );
  return r.rows as { action: string; data: any }[];
}

describe('发送测试 through an outbound endpoint', () => {
  it('a webhook receiver gets a real test message, and the answer and the registration log say ok', async () => {
    const rx = await startReceiver();
    try {
      const id = await endpoint('webhook', '测试 webhook', {
        url: `${rx.url}/hook`,
        secret: 'webhook-secret-1234',
      });
      const r = await t.call('admin', 'POST', `/api/notifications/endpoints/${id}/test`, {});
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ ok: true, error: null, target: `webhook:${id}` });
      expect(rx.requests).toHaveLength(1);
      expect(rx.requests[0].json).toMatchObject({ kind: 'endpoint_test', messageId: r.body.messageId });
      expect(rx.requests[0].json.body).toContain('测试 webhook');
      expect(rx.requests[0].headers['x-jibao-signature']).toMatch(/^sha256=/);
      expect(await testLog(id)).toEqual([
        expect.objectContaining({
          action: 'endpoint_test_sent',
          data: expect.objectContaining({ messageId: r.body.messageId }),
        }),
      ]);
    } finally {
      await rx.close();
    }
  });

  it('a receiver answering 500 shows its error, with the secret it echoed masked', async () => {
    const rx = await startReceiver(() => ({ status: 500, body: 'gateway down; token=abcdef0123456789xyz' }));
    try {
      const id = await endpoint('sms', '短信网关（坏）', {
        url: `${rx.url}/send?access_token=abcdef0123456789xyz`,
        bodyTemplate: '{"to":"{{phone}}","text":"{{text}}"}',
      });
      const r = await t.call('admin', 'POST', `/api/notifications/endpoints/${id}/test`, {
        to: '13800000001',
      });
      expect(r.status).toBe(200);
      expect(r.body.ok).toBe(false);
      expect(r.body.error).toContain('HTTP 500');
      expect(r.body.error).toContain('gateway down');
      expect(r.body.error).not.toContain('abcdef0123456789xyz');
      expect(r.body.target).toBe('13800000001');
      expect(rx.requests[0].json).toMatchObject({ to: '13800000001' });
      const log = await testLog(id);
      expect(log.map((l) => l.action)).toEqual(['endpoint_test_failed']);
      expect(JSON.stringify(log)).not.toContain('abcdef0123456789xyz');
    } finally {
      await rx.close();
    }
  });

  it('an SMTP endpoint sends a test mail to the chosen address; without an address it asks for one', async () => {
    const smtp = await startSmtp();
    try {
      const id = await endpoint('smtp', '测试邮件', {
        host: '127.0.0.1',
        port: smtp.port,
        from: 'jibao@test.local',
        ignoreTLS: true,
      });
      const r = await t.call('admin', 'POST', `/api/notifications/endpoints/${id}/test`, {
        to: 'zby@test.local',
      });
      expect(r.body).toMatchObject({ ok: true, target: 'zby@test.local' });
      expect(smtp.mails.map((m) => m.to)).toEqual([['zby@test.local']]);
      const none = await t.call(
        'admin',
        'POST',
        `/api/notifications/endpoints/${id}/test`,
        { to: 'not-an-address' },
        {
          'accept-language': 'en',
        },
      );
      expect(none.status).toBe(400);
      expect(none.body.error.message).toMatch(/e-mail address/);
      expect(smtp.mails).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  });

  it('a masked secret saved back keeps the stored one: the test still signs with the real secret', async () => {
    const rx = await startReceiver();
    try {
      const id = await endpoint('webhook', '签名 webhook', {
        url: `${rx.url}/h`,
        secret: 'the-real-secret-value',
      });
      const list = await t.call('admin', 'GET', '/api/notifications/endpoints');
      const shown = list.body.items.find((e: any) => e.id === id);
      expect(shown.config.secret).toBe('******');
      const save = await t.call('admin', 'PATCH', `/api/notifications/endpoints/${id}`, {
        name: '签名 webhook（改）',
        config: shown.config,
      });
      expect(save.status, JSON.stringify(save.body)).toBe(200);
      const r = await t.call('admin', 'POST', `/api/notifications/endpoints/${id}/test`, {});
      expect(r.body.ok).toBe(true);
      const { createHmac } = await import('node:crypto');
      const sig = createHmac('sha256', 'the-real-secret-value').update(rx.requests[0].body).digest('hex');
      expect(rx.requests[0].headers['x-jibao-signature']).toBe(`sha256=${sig}`);
    } finally {
      await rx.close();
    }
  });

  it('a non-admin gets 403 and nothing is sent; an unknown endpoint is 404; unauthenticated is 401', async () => {
    const rx = await startReceiver();
    try {
      const id = await endpoint('webhook', '不许测', { url: `${rx.url}/x` });
      const r = await t.call('dc_zby', 'POST', `/api/notifications/endpoints/${id}/test`, {});
      expect(r.status).toBe(403);
      expect((await t.call(null, 'POST', `/api/notifications/endpoints/${id}/test`, {})).status).toBe(401);
      expect(
        (
          await t.call(
            'admin',
            'POST',
            '/api/notifications/endpoints/00000000-0000-4000-8000-000000000000/test',
            {},
          )
        ).status,
      ).toBe(404);
      expect(rx.requests).toHaveLength(0);
      expect(await testLog(id)).toEqual([]);
    } finally {
      await rx.close();
    }
  });
});

describe('registration-log viewer', () => {
  it('the auditor lists streams, pages through a stream and verifies the chain; a duty officer is refused', async () => {
    const u = await t.call('admin', 'POST', '/api/users', {
      username: 'e_auditor',
      password: 'Jibao@2026',
      name: '审计员',
      unitId: await t.unitId('东城区委办公室'),
      roles: ['auditor'],
    });
    expect(u.status, JSON.stringify(u.body)).toBe(201);
    const s = await t.call('e_auditor', 'GET', '/api/audit/streams');
    expect(s.status).toBe(200);
    const ep = s.body.items.find((x: any) => x.stream === 'notify:endpoints');
    expect(ep.entries).toBeGreaterThanOrEqual(5);
    const p1 = await t.call('e_auditor', 'GET', '/api/audit/log?stream=notify:endpoints&limit=2');
    expect(p1.body.items).toHaveLength(2);
    expect(p1.body.nextCursor).toBe(String(p1.body.items[1].seq));
    const p2 = await t.call(
      'e_auditor',
      'GET',
      `/api/audit/log?stream=notify:endpoints&limit=2&before=${p1.body.nextCursor}`,
    );
    expect(p2.body.items[0].seq).toBe(p1.body.items[1].seq - 1);
    const all = await t.call('e_auditor', 'GET', `/api/audit/log?stream=notify:endpoints&limit=1000`);
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.items).toHaveLength(ep.entries);
    const v = await t.call('e_auditor', 'GET', '/api/audit/verify');
    expect(v.body).toMatchObject({ ok: true, firstBrokenId: null });
    expect(v.body.checked).toBeGreaterThan(0);
    expect((await t.call('dc_zby', 'GET', '/api/audit/streams')).status).toBe(403);
  });
});
