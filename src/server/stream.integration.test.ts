import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../tests/helpers/app.js';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
  await t.app.deps.hub.start();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
});
afterAll(async () => {
  await t.app.deps.hub.stop();
  await t?.close();
});

interface Msg {
  id: number;
  event: string;
  data: any;
}

/** A minimal SSE client over fetch, collecting messages until `until` is satisfied. */
async function listen(
  token: string,
  until: (m: Msg[]) => boolean,
  headers: Record<string, string> = {},
  ms = 5000,
) {
  const ctrl = new AbortController();
  const res = await fetch(`${base}/api/stream`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
    signal: ctrl.signal,
  });
  expect(res.status).toBe(200);
  const msgs: Msg[] = [];
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = '';
  const timer = setTimeout(() => ctrl.abort(), ms);
  const ready = { resolve: () => {} };
  const connected = new Promise<void>((r) => {
    ready.resolve = r;
  });
  const done = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += dec.decode(value, { stream: true });
        if (buf.includes(': connected')) ready.resolve();
        let i = buf.indexOf('\n\n');
        while (i >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const id = block.match(/^id: (\d+)$/m);
          const ev = block.match(/^event: (.+)$/m);
          const data = block.match(/^data: (.+)$/m);
          if (id && ev && data) msgs.push({ id: Number(id[1]), event: ev[1], data: JSON.parse(data[1]) });
          i = buf.indexOf('\n\n');
        }
        if (until(msgs)) break;
      }
    } catch {
      /* aborted */
    } finally {
      clearTimeout(timer);
      ctrl.abort();
    }
    return msgs;
  })();
  await connected;
  return done;
}

async function sendReport(title: string) {
  const ev = await t.call('cgz_xxy', 'POST', '/api/events', {
    title,
    categoryCode: '12H00',
    level: 'IV',
    occurredAt: t.clock.now().toISOString(),
    place: { address: '城关街道' },
  });
  const rep = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
    kind: 'initial',
    fastTrack: true,
    elements: {
      occurredAt: t.clock.now().toISOString(),
      place: '城关街道',
      cause: '碰撞',
      scope: '路口',
      casualties: { dead: 0 },
      loss: '轻微',
      measures: '已处置',
      nextSteps: '疏导',
      contact: '13800000000',
    },
  });
  await t.call('cgz_xxy', 'POST', `/api/reports/${rep.body.id}/submit`);
  return { eventId: ev.body.id as string, reportId: rep.body.id as string };
}

describe('live stream', () => {
  it("a report submitted by the township arrives on the county duty officer's open stream", async () => {
    const token = await t.token('dc_zby');
    let sent: { eventId: string; reportId: string } | null = null;
    const pending = listen(
      token,
      (m) => !!sent && m.some((x) => x.event === 'report.arrived' && x.data.reportId === sent!.reportId),
    );
    sent = await sendReport('实时到达');
    const msgs = await pending;
    const arrived = msgs.find((x) => x.event === 'report.arrived' && x.data.reportId === sent!.reportId);
    expect(arrived?.data).toMatchObject({ eventId: sent.eventId, fromUnitId: await t.unitId('城关街道') });
  });

  it('a township officer does not receive the county intake', async () => {
    const token = await t.token('hsz_xxy');
    const pending = listen(token, () => false, {}, 1500);
    const sent = await sendReport('不应收到');
    const msgs = await pending;
    expect(msgs.some((x) => x.data?.reportId === sent.reportId)).toBe(false);
  });

  it('a page reconnecting with Last-Event-ID receives what it missed', async () => {
    const token = await t.token('dc_xxk');
    const first = await sendReport('断线前');
    const seen = await listen(token, () => false, { 'last-event-id': '1' }, 1500);
    const last = seen.filter((m) => m.event === 'report.arrived').at(-1)!;
    expect(last.data.reportId).toBe(first.reportId);
    const missed = await sendReport('断线期间');
    const caught = await listen(token, (m) => m.some((x) => x.data?.reportId === missed.reportId), {
      'last-event-id': String(last.id),
    });
    const got = caught.filter((m) => m.event === 'report.arrived');
    expect(got.map((m) => m.data.reportId)).toEqual([missed.reportId]);
  });
});
