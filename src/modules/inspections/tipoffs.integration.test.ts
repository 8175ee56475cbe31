import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';
import { SAMPLES } from '../../../tests/helpers/files.js';
import { buildApp } from '../../server/app.js';

let t: TestApp;
let other: FastifyInstance;

beforeAll(async () => {
  t = await createTestApp();
  // a second instance on the same database (as in production behind a load balancer), trusting one proxy
  other = await buildApp({
    db: t.tdb.db,
    pool: t.tdb.pool,
    clock: t.clock,
    webDir: null,
    trustProxy: '10.0.0.1',
  });
  await other.ready();
});
afterAll(async () => {
  await other?.close();
  await t?.close();
});

const post = (app: FastifyInstance, body: unknown, ip: string, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/api/public/tipoffs',
    payload: body as any,
    remoteAddress: ip,
    headers,
  });
const lookup = (receipt: string, ip = '192.0.2.50') =>
  t.app.inject({
    method: 'GET',
    url: `/api/public/tipoffs/${encodeURIComponent(receipt)}`,
    remoteAddress: ip,
  });

let receipt: string;
const SCRIPT = '<script>alert("x")</script> 某化工厂夜间偷排 & 无证储存';

describe('public tip-offs (举报), no sign-in', () => {
  it('a tip-off with markup is stored and answered raw as JSON text; the receipt is 16 base32 characters', async () => {
    const r = await post(
      t.app,
      { text: SCRIPT, place: '东湖街道工业园', contact: '13900001111', divisionCode: '990102' },
      '192.0.2.1',
    );
    expect(r.statusCode).toBe(201);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    receipt = r.json().receipt;
    expect(receipt).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    const list = await t.call('dc_xxk', 'GET', '/api/inspections/tipoffs');
    expect(list.headers['content-type']).toMatch(/^application\/json/);
    expect(list.body.items[0].text).toBe(SCRIPT);
    expect(list.body.items[0].areaName).toBe('东城区');
    expect(list.body.items[0].contact).toBe('13900001111');
  });

  it('the receipt shows only the status, whatever its case or dashes; an unknown one is 404', async () => {
    const r = await lookup(receipt.toLowerCase().replace(/-/g, ''));
    expect(r.statusCode).toBe(200);
    expect(Object.keys(r.json()).sort()).toEqual(['status', 'updatedAt']);
    expect(r.json().status).toBe('received');
    expect((await lookup('AAAA-BBBB-CCCC-DDDD')).statusCode).toBe(404);
    expect((await lookup('not-a-receipt')).statusCode).toBe(404);
  });

  it('a plain HTML form (urlencoded) from a browser and a cookie-less curl both work; a session cookie is not needed', async () => {
    const form = await post(
      t.app,
      'text=%E8%B7%AF%E8%BE%B9%E7%87%83%E6%B0%94%E7%93%B6%E5%A0%86%E6%94%BE',
      '192.0.2.2',
      {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://localhost:80',
        cookie: 'jibao_session=whatever',
      },
    );
    expect(form.statusCode).toBe(201);
    const curl = await post(t.app, { text: '河道非法采砂' }, '192.0.2.3');
    expect(curl.statusCode).toBe(201);
  });

  it('an oversized body is refused with 413; bad input with 400; nothing stored', async () => {
    const before = (await t.tdb.pool.query('select count(*)::int as n from tipoffs')).rows[0].n;
    const big = await post(t.app, { text: '举'.repeat(20_000) }, '192.0.2.4');
    expect(big.statusCode).toBe(413);
    const empty = await post(t.app, { text: '   ' }, '192.0.2.4');
    expect(empty.statusCode).toBe(400);
    const badArea = await post(t.app, { text: '某事', divisionCode: '123456' }, '192.0.2.4');
    expect(badArea.statusCode).toBe(400);
    expect((await t.tdb.pool.query('select count(*)::int as n from tipoffs')).rows[0].n).toBe(before);
  });

  it('rate-limited per client across two instances on one database (429)', async () => {
    const ip = '198.51.100.7';
    const codes: number[] = [];
    for (let i = 0; i < 6; i++)
      codes.push((await post(i % 2 ? other : t.app, { text: `第${i}条` }, ip)).statusCode);
    expect(codes).toEqual([201, 201, 201, 201, 201, 429]);
    const limited = await post(t.app, { text: '再来' }, ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    // another client is not affected
    expect((await post(other, { text: '别人' }, '198.51.100.8')).statusCode).toBe(201);
    // X-Forwarded-For counts only from the configured proxy
    const spoofed = await post(other, { text: '伪造' }, ip, { 'x-forwarded-for': '203.0.113.9' });
    expect(spoofed.statusCode).toBe(429);
    const proxied = await post(other, { text: '经代理' }, '10.0.0.1', { 'x-forwarded-for': '203.0.113.9' });
    expect(proxied.statusCode).toBe(201);
    // and the window passes
    t.clock.advance(11 * 60_000);
    expect((await post(t.app, { text: '十分钟后' }, ip)).statusCode).toBe(201);
  });

  it('the status look-up is rate-limited too', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 31; i++)
      codes.push((await lookup('AAAA-BBBB-CCCC-DDDD', '198.51.100.20')).statusCode);
    expect(codes.slice(0, 30).every((c) => c === 404)).toBe(true);
    expect(codes[30]).toBe(429);
  });
});

describe('handling tip-offs (signed in)', () => {
  let id: string;
  it('a township of another county does not see it; without sign-in the list is 401', async () => {
    expect((await t.call(null, 'GET', '/api/inspections/tipoffs')).status).toBe(401);
    const list = await t.call('hsz_xxy', 'GET', '/api/inspections/tipoffs');
    expect(list.body.items.find((x: any) => x.text === SCRIPT)).toBeUndefined();
    id = (await t.call('dc_xxk', 'GET', '/api/inspections/tipoffs')).body.items.find(
      (x: any) => x.text === SCRIPT,
    ).id;
    expect((await t.call('hsz_xxy', 'GET', `/api/inspections/tipoffs/${id}`)).status).toBe(404);
  });

  it('assigned to a township: only the handling unit sees the contact, investigates and closes with a reward', async () => {
    const cg = await t.unitId('城关街道');
    expect(
      (await t.call('cgz_xxy', 'POST', `/api/inspections/tipoffs/${id}/assign`, { unitId: cg })).status,
    ).toBe(403);
    const foreign = await t.call('dc_xxk', 'POST', `/api/inspections/tipoffs/${id}/assign`, {
      unitId: await t.unitId('河西镇'),
    });
    expect(foreign.status).toBe(422);
    const a = await t.call('dc_xxk', 'POST', `/api/inspections/tipoffs/${id}/assign`, {
      unitId: cg,
      note: '请核查',
    });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ assignedUnitName: '城关街道', contact: null, contactHidden: true });
    const mine = await t.call('cgz_xxy', 'GET', `/api/inspections/tipoffs/${id}`);
    expect(mine.body.contact).toBe('13900001111');
    expect(mine.body.can.handleTipoff).toBe(true);
    expect((await t.call('dc_xxk', 'POST', `/api/inspections/tipoffs/${id}/investigate`, {})).status).toBe(
      403,
    );
    expect(
      (await t.call('cgz_xxy', 'POST', `/api/inspections/tipoffs/${id}/investigate`, {})).body.status,
    ).toBe('investigating');
    expect((await lookup(receipt, '192.0.2.60')).json().status).toBe('investigating');
    const noResult = await t.call('cgz_xxy', 'POST', `/api/inspections/tipoffs/${id}/close`, {});
    expect(noResult.status).toBe(400);
    const c = await t.call('cgz_xxy', 'POST', `/api/inspections/tipoffs/${id}/close`, {
      result: '经查属实，已责令停产整改',
      rewardNote: '奖励举报人 500 元',
    });
    expect(c.body).toMatchObject({ status: 'closed', rewardNote: '奖励举报人 500 元' });
    expect((await lookup(receipt, '192.0.2.60')).json().status).toBe('closed');
    expect(
      (await t.call('cgz_xxy', 'POST', `/api/inspections/tipoffs/${id}/close`, { result: 'x' })).status,
    ).toBe(409);
  });
});

function photoUpload(app: FastifyInstance, receipt: string, bytes: Buffer, ip: string, name = '现场.jpg') {
  const boundary = '----jibaotip';
  return app.inject({
    method: 'POST',
    url: `/api/public/tipoffs/${encodeURIComponent(receipt)}/photos`,
    remoteAddress: ip,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  });
}

describe('tip-off photos (a separate upload by the receipt, no sign-in)', () => {
  let rc = '';
  it('photos are typed from their bytes, size-limited, at most five; an unknown receipt is 404', async () => {
    const r = await post(t.app, { text: '某工地夜间违规动火作业', divisionCode: '990102' }, '198.51.100.1');
    expect(r.statusCode).toBe(201);
    rc = r.json().receipt;
    const ok = await photoUpload(t.app, rc.toLowerCase(), SAMPLES.png, '198.51.100.1');
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({ photos: 1 });
    const html = await photoUpload(t.app, rc, SAMPLES.html, '198.51.100.1', 'x.jpg');
    expect(html.statusCode).toBe(422);
    expect(html.json().error.code).toBe('photo_not_image');
    const svg = await photoUpload(t.app, rc, SAMPLES.svg, '198.51.100.1', 'x.png');
    expect(svg.statusCode).toBe(422);
    const pdf = await photoUpload(t.app, rc, SAMPLES.pdf, '198.51.100.1', 'x.png');
    expect(pdf.statusCode).toBe(422);
    const big = await photoUpload(
      t.app,
      rc,
      Buffer.concat([SAMPLES.jpeg, Buffer.alloc(6 * 1024 * 1024)]),
      '198.51.100.2',
    );
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('photo_too_large');
    const unknown = await photoUpload(t.app, 'ZZZZ-ZZZZ-ZZZZ-ZZZZ', SAMPLES.png, '198.51.100.2');
    expect(unknown.statusCode).toBe(404);
    for (const b of [SAMPLES.jpeg, SAMPLES.webp, SAMPLES.gif, SAMPLES.png])
      expect((await photoUpload(t.app, rc, b, '198.51.100.3')).statusCode).toBe(201);
    const sixth = await photoUpload(t.app, rc, SAMPLES.png, '198.51.100.3');
    expect(sixth.statusCode).toBe(409);
    expect(sixth.json().error.code).toBe('tipoff_photos_full');
    // the public status still says nothing but the status
    expect(Object.keys((await lookup(rc, '198.51.100.3')).json()).sort()).toEqual(['status', 'updatedAt']);
  });

  it('the handling unit sees the photos, served by their bytes; a sibling county does not', async () => {
    const list = await t.call('dc_xxk', 'GET', '/api/inspections/tipoffs');
    const tip = list.body.items.find((x: any) => x.text === '某工地夜间违规动火作业');
    expect(tip.photos.map((p: any) => p.mime)).toEqual([
      'image/png',
      'image/jpeg',
      'image/webp',
      'image/gif',
      'image/png',
    ]);
    const get = await t.app.inject({
      method: 'GET',
      url: tip.photos[0].url,
      headers: { authorization: `Bearer ${await t.token('dc_xxk')}` },
    });
    expect(get.statusCode).toBe(200);
    expect(get.headers['content-type']).toBe('image/png');
    expect(get.headers['x-content-type-options']).toBe('nosniff');
    const other = await t.app.inject({
      method: 'GET',
      url: tip.photos[0].url,
      headers: { authorization: `Bearer ${await t.token('hsz_xxy')}` },
    });
    expect(other.statusCode).toBe(404);
    const log = await t.tdb.pool.query(
      `select count(*)::int as n from audit_log where stream = $1 and action = 'tipoff_photo_added'`,
      [`tipoff:${tip.id}`],
    );
    expect(log.rows[0].n).toBe(5);
  });

  it('uploads are rate-limited per client across instances (429)', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++)
      codes.push(
        (await photoUpload(i % 2 ? other : t.app, 'ZZZZ-ZZZZ-ZZZZ-ZZZ0', SAMPLES.png, '198.51.100.9'))
          .statusCode,
      );
    expect(codes.slice(0, 10).every((c) => c === 404)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
  });
});
