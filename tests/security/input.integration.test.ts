import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** Point 8 of issue #9 (all but passwords): weak input is refused clearly, in the contract's shape. */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
});
afterAll(async () => t?.close());

const at = (minutesFromNow: number) =>
  new Date(t.clock.now().getTime() + minutesFromNow * 60_000).toISOString();
const eventBody = (over: Record<string, unknown> = {}) => ({
  title: '城关街道人民路货车与电动车相撞',
  categoryCode: '12H00',
  level: 'IV',
  occurredAt: at(-10),
  place: { address: '城关街道人民路与建设路交叉口', divisionCode: '990102001' },
  ...over,
});
const eventCount = async () =>
  (await t.tdb.pool.query('select count(*)::int as n from events')).rows[0].n as number;

describe('times of what happened', () => {
  it('an event dated year 1 is refused and nothing is registered', async () => {
    const before = await eventCount();
    const r = await t.call(
      'cgz_xxy',
      'POST',
      '/api/events',
      eventBody({ occurredAt: '0001-01-01T00:00:00Z' }),
    );
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('1949-10-01');
    expect(await eventCount()).toBe(before);
  });

  it('an event dated 1949-09-30 is refused, and a change of occurrence to year 1 too', async () => {
    const r = await t.call(
      'cgz_xxy',
      'POST',
      '/api/events',
      eventBody({ occurredAt: '1949-09-30T12:00:00+08:00' }),
    );
    expect(r.status).toBe(400);
    const ok = await t.call('cgz_xxy', 'POST', '/api/events', eventBody());
    expect(ok.status).toBe(201);
    const p = await t.call('cgz_xxy', 'PATCH', `/api/events/${ok.body.id}`, {
      occurredAt: '0001-01-01T00:00:00Z',
      reason: '更正',
    });
    expect(p.status).toBe(400);
  });

  it('a time learned 23 hours from now is refused', async () => {
    const before = await eventCount();
    const r = await t.call('cgz_xxy', 'POST', '/api/events', eventBody({ learnedAt: at(23 * 60) }));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('time_in_future');
    expect(await eventCount()).toBe(before);
  });

  it('a report whose elements say the event happens 23 hours from now is refused', async () => {
    const ev = await t.call('cgz_xxy', 'POST', '/api/events', eventBody());
    const r = await t.call('cgz_xxy', 'POST', `/api/events/${ev.body.id}/reports`, {
      kind: 'followup',
      elements: { occurredAt: at(23 * 60), measures: '处置中' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('time_in_future');
  });

  it('a time a few minutes ahead of the clock (other systems run fast) is still accepted', async () => {
    const r = await t.call(
      'cgz_xxy',
      'POST',
      '/api/events',
      eventBody({ occurredAt: at(-30), learnedAt: at(0.5) }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  });
});

describe('free text', () => {
  it('a title of only a zero-width space is refused as empty', async () => {
    const before = await eventCount();
    const r = await t.call('cgz_xxy', 'POST', '/api/events', eventBody({ title: '\u200b' }));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation');
    expect(r.body.error.message).toContain('不能为空');
    expect(await eventCount()).toBe(before);
  });

  it('invisible characters and white space around a title are stripped before it is stored', async () => {
    const r = await t.call(
      'cgz_xxy',
      'POST',
      '/api/events',
      eventBody({ title: '\u200b\ufeff 河西镇山体滑坡\u00a0\u2028\u200e' }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.title).toBe('河西镇山体滑坡');
  });

  it('a reason of only blanks and direction marks is refused', async () => {
    const ev = await t.call('cgz_xxy', 'POST', '/api/events', eventBody());
    const r = await t.call('cgz_xxy', 'PATCH', `/api/events/${ev.body.id}`, {
      level: 'III',
      reason: ' \u200f\u3000',
    });
    expect(r.status).toBe(400);
  });

  it('a NUL in a title is refused as invalid characters, without a database code', async () => {
    const r = await t.call('cgz_xxy', 'POST', '/api/events', eventBody({ title: '火灾\u0000' }));
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('无效字符');
    expect(r.body.error.message).not.toMatch(/22021/);
  });
});

describe('errors in the contract shape and the user’s language', () => {
  it('a NUL in a search reaches no user as a PostgreSQL code', async () => {
    const zh = await t.call('dc_xxk', 'GET', '/api/events?q=%00');
    expect(zh.status).toBe(400);
    expect(zh.body.error.code).toBe('validation');
    expect(zh.body.error.message).toContain('无效字符');
    expect(JSON.stringify(zh.body)).not.toMatch(/22021/);
    const en = await t.call('dc_xxk', 'GET', '/api/events?q=%00', undefined, { 'accept-language': 'en' });
    expect(en.body.error.message).toMatch(/invalid characters/);
  });

  it('validation messages follow the user’s language', async () => {
    const long = 'x'.repeat(300);
    const zh = await t.call('cgz_xxy', 'POST', '/api/events', eventBody({ title: long }));
    expect(zh.status).toBe(400);
    expect(zh.body.error.message).not.toMatch(/Too big|expected/);
    expect(zh.body.error.message).toMatch(/过大|过长|太长|不能超过|200/);
    const en = await t.call('cgz_xxy', 'POST', '/api/events', eventBody({ title: long }), {
      'accept-language': 'en',
    });
    expect(en.body.error.message).toMatch(/Too big/);
  });
});
