import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';

/** A field report from the scene, sent when the network returns: idempotent steps and the device's time. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
});
afterAll(async () => t?.close());

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
function multipart(bytes: Buffer, name = '现场.jpg') {
  const boundary = '----jibao';
  return {
    boundary,
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

describe('field report', () => {
  it('replayed steps change nothing: one event, one report, one photo; the device time is kept and never counts', async () => {
    const draft = 'f0e1d2c3-0000-4000-8000-000000000001';
    const now = t.clock.now().getTime();
    const occurredAt = new Date(now - 40 * 60_000).toISOString();
    const capturedAt = new Date(now - 30 * 60_000).toISOString();
    const evBody = {
      title: '城关街道现场报告：民房起火',
      categoryCode: '12G03',
      level: 'IV',
      occurredAt,
      place: { address: '城关街道建设路 3 号', lng: 116.4, lat: 39.9 },
    };
    const k = (step: string) => ({ 'idempotency-key': `field:${draft}:${step}` });
    const ev1 = await t.call('cgz_xxy', 'POST', '/api/events', evBody, k('event'));
    const ev2 = await t.call('cgz_xxy', 'POST', '/api/events', evBody, k('event'));
    expect(ev1.status).toBe(201);
    expect(ev2.body.id).toBe(ev1.body.id);
    const repBody = {
      kind: 'initial',
      capturedAt,
      elements: {
        occurredAt,
        place: '城关街道建设路 3 号',
        cause: '正在调查',
        scope: '一户民房',
        casualties: { dead: 0, missing: 0, seriouslyInjured: 0, lightlyInjured: 0, trapped: 0 },
        loss: '正在统计',
        measures: '消防到场',
        nextSteps: '继续处置',
        contact: '李晓梅 13800000001',
      },
    };
    const url = `/api/events/${ev1.body.id}/reports`;
    const r1 = await t.call('cgz_xxy', 'POST', url, repBody, k('report'));
    const r2 = await t.call('cgz_xxy', 'POST', url, repBody, k('report'));
    expect(r1.status).toBe(201);
    expect(r2.body.id).toBe(r1.body.id);
    expect(r1.body.capturedAt).toBe(capturedAt);

    const token = await t.token('cgz_xxy');
    const upload = async (bytes: Buffer) => {
      const m = multipart(bytes);
      return t.app.inject({
        method: 'POST',
        url: `/api/reports/${r1.body.id}/attachments`,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${m.boundary}`,
          ...k('photo:0'),
        },
        payload: m.payload,
      });
    };
    const u1 = await upload(JPEG);
    const u2 = await upload(JPEG);
    expect(u1.statusCode).toBe(201);
    expect(u2.statusCode).toBe(201);
    expect(u2.json().id).toBe(u1.json().id);
    // the same key with another file is a conflict, not a second photo
    const u3 = await upload(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 9, 9]));
    expect(u3.statusCode).toBe(422);
    const list = await t.call('cgz_xxy', 'GET', `/api/reports/${r1.body.id}/attachments`);
    expect(list.body.items).toHaveLength(1);

    t.clock.advance(5 * 60_000);
    const s1 = await t.call(
      'cgz_xxy',
      'POST',
      `/api/reports/${r1.body.id}/submit`,
      { fastTrack: true },
      k('submit'),
    );
    const s2 = await t.call(
      'cgz_xxy',
      'POST',
      `/api/reports/${r1.body.id}/submit`,
      { fastTrack: true },
      k('submit'),
    );
    expect(s1.status).toBe(200);
    expect(s2.status).toBe(200);
    const ev = (await t.call('cgz_xxy', 'GET', `/api/events/${ev1.body.id}`)).body;
    expect(ev.reports).toHaveLength(1);
    const sentAt = ev.reports[0].sentAt;
    // the written deadline is met at the server's arrival time, not at the device's capture time
    const written = ev.deadlines.find((d: any) => d.channel === 'written' && d.metAt);
    expect(written.metAt).toBe(sentAt);
    expect(written.metAt).not.toBe(capturedAt);
  });

  it('a device clock running fast does not block the report: its capture time is dropped', async () => {
    const now = t.clock.now().getTime();
    const occurredAt = new Date(now - 10 * 60_000).toISOString();
    const ev = await t.call('cgz_xxy', 'POST', '/api/events', {
      title: '城关街道现场报告：路面塌陷',
      categoryCode: '12G03',
      level: 'IV',
      occurredAt,
      place: { address: '城关街道和平路' },
    });
    const r = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
      kind: 'followup',
      capturedAt: new Date(now + 3 * 3600_000).toISOString(),
      elements: { measures: '已设置围挡' },
    });
    expect(r.status).toBe(201);
    expect(r.body.capturedAt).toBeNull();
  });
});
