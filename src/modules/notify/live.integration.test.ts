import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../tests/helpers/db.js';
import { ManualClock } from '../../floor/clock.js';
import { type Running, startServer } from '../../server/server.js';
import { processDueDeliveries } from './delivery.js';
import { startReceiver } from './test-receivers.js';

/**
 * Two app instances on one database, each with its hub and its workers: live messages cross instances
 * (LISTEN/NOTIFY + outbox), a reconnecting client catches up with Last-Event-ID, and an escalation step
 * fires once although both workers race for it.
 */

let tdb: TestDb;
let a: Running;
let b: Running;
const clock = new ManualClock('2026-11-23T02:00:00Z');
const PASSWORD = 'Jibao@2026';

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
    { clock, logger: false, workers: true, log: () => {} },
  );
}

beforeAll(async () => {
  process.env.JIBAO_NOTIFY_POLL_MS = '40';
  tdb = await createTestDb({ demo: true });
  a = await start();
  b = await start();
});
afterAll(async () => {
  for (const c of openClients) c.abort();
  a?.app.server.closeAllConnections();
  b?.app.server.closeAllConnections();
  await a?.stop();
  await b?.stop();
  await tdb?.drop();
});

const tokens = new Map<string, string>();
async function login(inst: Running, username: string) {
  const key = `${inst.url}|${username}`;
  if (tokens.has(key)) return tokens.get(key)!;
  const r = await fetch(`${inst.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  const tok = (await r.json()).token as string;
  tokens.set(key, tok);
  return tok;
}
async function api(inst: Running, username: string, method: string, path: string, body?: unknown) {
  const r = await fetch(`${inst.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await login(inst, username)}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

type SseEvent = { id: number; event: string; data: any };
const openClients: AbortController[] = [];

/** A real SSE client over HTTP: collects events until closed. */
async function sse(inst: Running, username: string, lastEventId?: number) {
  const ctrl = new AbortController();
  openClients.push(ctrl);
  const res = await fetch(`${inst.url}/api/stream`, {
    headers: {
      authorization: `Bearer ${await login(inst, username)}`,
      accept: 'text/event-stream',
      ...(lastEventId ? { 'last-event-id': String(lastEventId) } : {}),
    },
    signal: ctrl.signal,
  });
  expect(res.status).toBe(200);
  const events: SseEvent[] = [];
  const waiters: Array<() => void> = [];
  (async () => {
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        let i = buf.indexOf('\n\n');
        while (i >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev: Partial<SseEvent> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) ev.id = Number(line.slice(4));
            else if (line.startsWith('event: ')) ev.event = line.slice(7);
            else if (line.startsWith('data: ')) ev.data = JSON.parse(line.slice(6));
          }
          if (ev.id) {
            events.push(ev as SseEvent);
            for (const w of waiters.splice(0)) w();
          }
          i = buf.indexOf('\n\n');
        }
      }
    } catch {
      /* aborted */
    }
  })();
  return {
    events,
    async waitFor(pred: (e: SseEvent) => boolean, ms = 6000): Promise<SseEvent> {
      const until = Date.now() + ms;
      for (;;) {
        const hit = events.find(pred);
        if (hit) return hit;
        if (Date.now() > until) throw new Error(`no matching SSE event; got ${JSON.stringify(events)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
    close: () => ctrl.abort(),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('two instances on one database', () => {
  it('a spot check started on instance A reaches the duty officer’s page on instance B at once', async () => {
    const room = (await tdb.pool.query(`select id from units where name = '东城区委区政府总值班室'`)).rows[0]
      .id;
    const client = await sse(b, 'dc_zby');
    const sc = await api(a, 'sz_zby', 'POST', '/api/duty/spot-checks', { targetUnitId: room });
    expect(sc.status).toBe(201);
    const committed = Date.now();
    const ev = await client.waitFor((e) => e.event === 'notification' && e.data.kind === 'spot_check');
    expect(ev.data.data.spotCheckId).toBe(sc.body.id);
    // woken by NOTIFY at commit, well before the hub's 2-second safety sweep (slack for a loaded CI machine)
    expect(Date.now() - committed).toBeLessThan(1800);

    // the answer given on B reaches the checker's page on A
    const checker = await sse(a, 'sz_zby');
    const ans = await api(b, 'dc_zby', 'POST', `/api/duty/spot-checks/${sc.body.id}/answer`);
    expect(ans.body.status).toBe('answered');
    const back = await checker.waitFor((e) => e.event === 'spot_check.answered');
    expect(back.data).toMatchObject({ id: sc.body.id, answeredByName: '郑敏' });
    client.close();
    checker.close();
  });

  it('a report submitted on instance A arrives live on the receiving desk’s page on instance B', async () => {
    const desk = await sse(b, 'dc_xxk'); // 东城区委办公室信息科: sees the district's intake
    const occurredAt = new Date(clock.now().getTime() - 10 * 60_000).toISOString();
    const ev = await api(a, 'cgz_xxy', 'POST', '/api/events', {
      title: '城关街道人民路货车与电动车相撞',
      categoryCode: '12H00',
      level: 'IV',
      occurredAt,
      place: { address: '城关街道人民路与建设路交叉口', divisionCode: '990102001' },
    });
    expect(ev.status).toBe(201);
    const rep = await api(a, 'cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
      kind: 'initial',
      fastTrack: true,
      elements: {
        occurredAt,
        place: '城关街道人民路与建设路交叉口',
        cause: '货车与电动自行车相撞',
        scope: '路口交通受阻',
        casualties: { dead: 0, missing: 0, seriouslyInjured: 1, lightlyInjured: 2, trapped: 0 },
        loss: '正在核实',
        measures: '交警、120 已到场',
        nextSteps: '疏导交通',
        contact: '李晓梅 13800000000',
      },
    });
    expect(rep.status).toBe(201);
    const sub = await api(a, 'cgz_xxy', 'POST', `/api/reports/${rep.body.id}/submit`);
    expect(sub.body.status).toBe('sent');
    const arrived = await desk.waitFor(
      (e) => e.event === 'report.arrived' && e.data.reportId === rep.body.id,
    );
    expect(arrived.data.eventId).toBe(ev.body.id);
    desk.close();
  });

  it('a page reconnecting with Last-Event-ID gets what it missed, in order and once', async () => {
    const first = await sse(b, 'dc_dbld');
    await api(a, 'dc_dbld', 'POST', '/api/notifications/test', {});
    const seen = await first.waitFor((e) => e.event === 'notification');
    first.close();
    // while disconnected: two more messages, written through the other instance
    const n1 = await api(a, 'dc_dbld', 'POST', '/api/notifications/test', {});
    const n2 = await api(a, 'dc_dbld', 'POST', '/api/notifications/test', { urgent: true });
    const again = await sse(b, 'dc_dbld', seen.id);
    await again.waitFor((e) => e.event === 'notification' && e.data.id === n2.body.id);
    await sleep(300);
    const notes = again.events.filter((e) => e.event === 'notification').map((e) => e.data.id);
    expect(notes).toEqual([n1.body.id, n2.body.id]);
    expect(again.events.every((e) => e.id > seen.id)).toBe(true);
    again.close();
  });

  it('an escalation step fires exactly once with both instances’ workers racing for it', async () => {
    const rx = await startReceiver(() => ({}));
    try {
      const admin = await api(a, 'admin', 'POST', '/api/notifications/endpoints', {
        kind: 'sms',
        name: '短信网关',
        config: { url: `${rx.url}/sms` },
      });
      expect(admin.status).toBe(201);
      const deputy = (await tdb.pool.query(`select id from users where username = 'dc_fgld'`)).rows[0].id;
      const prefs = await api(b, 'dc_zyfzr', 'PUT', '/api/notifications/preferences', {
        phone: '13900002222',
        deputyUserId: deputy,
        steps: [
          { afterMinutes: 0, channel: 'in_app' },
          { afterMinutes: 2, channel: 'sms', urgentOnly: true },
          { afterMinutes: 3, channel: 'deputy', urgentOnly: true },
        ],
      });
      expect(prefs.status).toBe(200);
      const n = await api(a, 'dc_zyfzr', 'POST', '/api/notifications/test', { urgent: true });
      const id = n.body.id as string;
      const deputyPage = await sse(a, 'dc_fgld');

      clock.advanceMinutes(3);
      // besides the two running workers, hammer the claim from both instances' pools at once
      const dbs = [a.app.deps.db, b.app.deps.db];
      await Promise.all(Array.from({ length: 8 }, (_, i) => processDueDeliveries({ db: dbs[i % 2], clock })));
      await deputyPage.waitFor((e) => e.event === 'notification' && e.data.title.startsWith('【转交】'));
      // (other urgent notifications of earlier tests escalate by SMS too: look at this one's)
      const mine = () => rx.requests.filter((r) => r.json?.messageId?.startsWith(`jibao-${id}-`));
      const until = Date.now() + 4000;
      while (mine().length === 0 && Date.now() < until) await sleep(50);
      await sleep(600);

      expect(mine()).toHaveLength(1);
      expect(mine()[0].json.messageId).toBe(`jibao-${id}-2`);
      const handed = await tdb.pool.query(`select id from notifications where escalated_from_id = $1`, [id]);
      expect(handed.rowCount).toBe(1);
      const log = await tdb.pool.query(
        `select action from audit_log where entity_type = 'notification' and entity_id = $1 order by id`,
        [id],
      );
      expect(log.rows.map((r) => r.action).sort()).toEqual(['notified', 'notify_escalated', 'notify_sent']);
      expect(deputyPage.events.filter((e) => e.data?.title?.startsWith?.('【转交】'))).toHaveLength(1);
      deputyPage.close();
    } finally {
      await rx.close();
    }
  });
});
