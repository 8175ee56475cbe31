import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { multipart, SAMPLES } from '../helpers/files.js';

// Issue #9, point 2: a township reporter's HTML/SVG "photo" ran as the county duty officer.
let t: TestApp;
let eventId: string;

const minutesAgo = (m: number) => new Date(t.clock.now().getTime() - m * 60_000).toISOString();
const fullElements = () => ({
  occurredAt: minutesAgo(10),
  place: '城关街道物流园',
  cause: '仓库电线老化起火',
  scope: '一座仓库',
  casualties: { dead: 0, missing: 0, seriouslyInjured: 0, lightlyInjured: 1, trapped: 0 },
  loss: '正在核实',
  measures: '消防已到场',
  nextSteps: '清理现场',
  contact: '李晓梅 13800000000',
});

async function upload(user: string, reportId: string, filename: string, type: string, data: Buffer) {
  const m = multipart(filename, type, data);
  const r = await t.app.inject({
    method: 'POST',
    url: `/api/reports/${reportId}/attachments`,
    headers: { authorization: `Bearer ${await t.token(user)}`, 'content-type': m.contentType },
    payload: m.payload,
  });
  return { status: r.statusCode, body: r.json() };
}

async function download(user: string, id: string) {
  const r = await t.app.inject({
    method: 'GET',
    url: `/api/attachments/${id}`,
    headers: { authorization: `Bearer ${await t.token(user)}` },
  });
  return { status: r.statusCode, headers: r.headers, bytes: r.rawPayload };
}

async function draft(kind = 'initial') {
  const r = await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/reports`, {
    kind,
    elements: kind === 'initial' ? fullElements() : { measures: '明火已扑灭' },
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

const count = async (reportId: string) =>
  Number(
    (await t.tdb.pool.query('select count(*) from attachments where report_id = $1', [reportId])).rows[0]
      .count,
  );

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  const ev = await t.call('cgz_xxy', 'POST', '/api/events', {
    title: '城关街道物流园仓库起火',
    categoryCode: '12G03',
    level: 'IV',
    occurredAt: minutesAgo(10),
    place: { address: '城关街道物流园' },
  });
  eventId = ev.body.id;
});
afterAll(async () => t?.close());

describe('an uploaded file cannot run as the person who opens it', () => {
  it('an HTML page uploaded as "image/jpeg" is downloaded by the county duty officer, not rendered', async () => {
    const rep = await draft();
    const up = await upload('cgz_xxy', rep, '现场照片.jpg', 'image/jpeg', SAMPLES.html);
    expect(up.status).toBe(201);
    await t.call('cgz_xxy', 'POST', `/api/reports/${rep}/submit`, { fastTrack: true });
    const dl = await download('dc_zby', up.body.id);
    expect(dl.status).toBe(200);
    expect(dl.headers['content-disposition']).toMatch(/^attachment;/);
    expect(dl.headers['content-type']).toBe('application/octet-stream');
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.bytes.equals(SAMPLES.html)).toBe(true);
  });

  it('an SVG with a script is downloaded, even when the client calls it image/svg+xml', async () => {
    const rep = await draft('followup');
    const up = await upload('cgz_xxy', rep, '地图.svg', 'image/svg+xml', SAMPLES.svg);
    const dl = await download('cgz_xxy', up.body.id);
    expect(dl.headers['content-disposition']).toMatch(/^attachment;/);
    expect(dl.headers['content-type']).not.toMatch(/svg|html|xml/);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
  });

  it('a file already stored with a client-claimed type is served by what its bytes are', async () => {
    const rep = await draft('followup');
    const up = await upload('cgz_xxy', rep, 'a.png', 'image/png', SAMPLES.png);
    // a row stored before this rule: the client said text/html
    await t.tdb.pool.query(`update attachments set mime = 'text/html', data = $2 where id = $1`, [
      up.body.id,
      SAMPLES.html,
    ]);
    const dl = await download('cgz_xxy', up.body.id);
    expect(dl.headers['content-type']).toBe('application/octet-stream');
    expect(dl.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('a photo is shown inline in a sandbox; a PDF inline as a PDF', async () => {
    const rep = await draft('followup');
    const png = await upload('cgz_xxy', rep, '现场.png', 'text/html', SAMPLES.png);
    expect(png.body.mime).toBe('image/png');
    const img = await download('cgz_xxy', png.body.id);
    expect(img.headers['content-type']).toBe('image/png');
    expect(img.headers['content-disposition']).toMatch(/^inline;/);
    expect(img.headers['content-security-policy']).toBe('sandbox');
    expect(img.headers['x-content-type-options']).toBe('nosniff');
    const pdf = await upload('cgz_xxy', rep, '情况说明.pdf', 'application/octet-stream', SAMPLES.pdf);
    const doc = await download('cgz_xxy', pdf.body.id);
    expect(doc.headers['content-type']).toBe('application/pdf');
    expect(doc.headers['content-disposition']).toMatch(/^inline;/);
    expect(doc.headers['x-content-type-options']).toBe('nosniff');
  });

  it('a file name cannot break out of the Content-Disposition header', async () => {
    const rep = await draft('followup');
    const up = await upload('cgz_xxy', rep, "../../照片';x=1.png", 'image/png', SAMPLES.png);
    const dl = await download('cgz_xxy', up.body.id);
    const cd = String(dl.headers['content-disposition']);
    expect(cd).toMatch(/^inline; filename="[^"]*"; filename\*=UTF-8''[^\s;"']+$/);
    expect(cd).toContain(`filename*=UTF-8''${encodeURIComponent('照片')}%27%3Bx%3D1.png`);
  });
});

describe('files go on reports that are still being written', () => {
  it('a report waiting for approval or already sent takes no more files (409, nothing stored)', async () => {
    const waiting = await draft();
    await t.call('cgz_xxy', 'POST', `/api/reports/${waiting}/submit`);
    const r1 = await upload('cgz_xxy', waiting, 'later.png', 'image/png', SAMPLES.png);
    expect(r1.status).toBe(409);
    expect(r1.body.error.code).toBe('attachment_report_not_editable');
    expect(r1.body.error.message).toContain('续报');
    expect(await count(waiting)).toBe(0);

    const sent = await draft('followup');
    await t.call('cgz_xxy', 'POST', `/api/reports/${sent}/submit`, { fastTrack: true });
    expect((await t.call('cgz_xxy', 'GET', `/api/reports/${sent}`)).body.status).toBe('sent');
    const r2 = await t.app.inject({
      method: 'POST',
      url: `/api/reports/${sent}/attachments`,
      headers: {
        authorization: `Bearer ${await t.token('cgz_xxy')}`,
        'content-type': multipart('x.png', 'image/png', SAMPLES.png).contentType,
        'accept-language': 'en',
      },
      payload: multipart('x.png', 'image/png', SAMPLES.png).payload,
    });
    expect(r2.statusCode).toBe(409);
    expect(r2.json().error.message).toContain('follow-up report');
    expect(await count(sent)).toBe(0);
  });

  it('a returned report takes files again', async () => {
    const rep = await draft();
    await t.call('cgz_xxy', 'POST', `/api/reports/${rep}/submit`);
    const ret = await t.call('cgz_fgld', 'POST', `/api/reports/${rep}/return`, { reason: '补充现场照片' });
    expect(ret.body.status).toBe('returned');
    expect((await upload('cgz_xxy', rep, '补充.png', 'image/png', SAMPLES.png)).status).toBe(201);
  });

  it("another unit cannot attach to a township's report (404)", async () => {
    const rep = await draft('followup');
    expect((await upload('dc_xxk', rep, 'x.png', 'image/png', SAMPLES.png)).status).toBe(404);
    expect((await upload('hsz_xxy', rep, 'x.png', 'image/png', SAMPLES.png)).status).toBe(404);
    expect(await count(rep)).toBe(0);
  });
});
