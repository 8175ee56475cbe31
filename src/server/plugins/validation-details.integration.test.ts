import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';

/**
 * Issue #10 item 8: a refused field says where (`path`), what (`code`) and its bounds (`minimum`, `maximum`,
 * `format`, `expected`, `values`) beside the message, so the web app words it in the user's language without
 * reading English text. The error shape itself is unchanged: {error: {code, message, details: {issues}}}.
 */

let t: TestApp;
let unitId: string;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
  unitId = await t.unitId('城关街道');
});
afterAll(async () => t?.close());

const event = (over: Record<string, unknown> = {}, place: Record<string, unknown> = {}) => ({
  title: '物流园火情',
  categoryCode: '12G02',
  level: 'IV',
  occurredAt: '2026-11-23T01:50:00Z',
  place: { address: '城关街道物流园', ...place },
  responsibleUnitId: unitId,
  ...over,
});

const issueAt = (body: any, path: string) =>
  (body.error.details.issues as any[]).find((i) => i.path === path);

describe('validation details', () => {
  it('a number out of range names its bounds, in Chinese and in English', async () => {
    const zh = await t.call('cgz_xxy', 'POST', '/api/events', event({}, { lat: 91, lng: -200 }));
    expect(zh.status).toBe(400);
    expect(zh.body.error.code).toBe('validation');
    expect(Object.keys(zh.body.error).sort()).toEqual(['code', 'details', 'message']);
    expect(issueAt(zh.body, 'body.place.lat')).toMatchObject({
      code: 'too_big',
      maximum: 90,
      inclusive: true,
      origin: 'number',
    });
    expect(issueAt(zh.body, 'body.place.lng')).toMatchObject({
      code: 'too_small',
      minimum: -180,
      origin: 'number',
    });
    expect(issueAt(zh.body, 'body.place.lat').message).toMatch(/[\u4e00-\u9fff]/);
    const en = await t.call('cgz_xxy', 'POST', '/api/events', event({}, { lat: 91 }), {
      'accept-language': 'en',
    });
    expect(issueAt(en.body, 'body.place.lat')).toMatchObject({ code: 'too_big', maximum: 90 });
    expect(issueAt(en.body, 'body.place.lat').message).toMatch(/too big/i);
  });

  it('a text too long says its maximum; a missing one says what type it expected', async () => {
    const r = await t.call('cgz_xxy', 'POST', '/api/events', event({ title: '火'.repeat(201), level: 'V' }));
    expect(r.status).toBe(400);
    expect(issueAt(r.body, 'body.title')).toMatchObject({ code: 'too_big', maximum: 200, origin: 'string' });
    expect(issueAt(r.body, 'body.level')).toMatchObject({ code: 'invalid_value' });
    expect(issueAt(r.body, 'body.level').values).toEqual(expect.arrayContaining(['I', 'II', 'III', 'IV']));
    const { title: _drop, ...untitled } = event();
    const missing = await t.call('cgz_xxy', 'POST', '/api/events', untitled);
    expect(issueAt(missing.body, 'body.title')).toMatchObject({ code: 'invalid_type', expected: 'string' });
  });

  it('a malformed id or time names the format it wanted', async () => {
    const r = await t.call(
      'cgz_xxy',
      'POST',
      '/api/events',
      event({ responsibleUnitId: 'not-a-uuid', occurredAt: 'yesterday' }),
    );
    expect(issueAt(r.body, 'body.responsibleUnitId')).toMatchObject({
      code: 'invalid_format',
      format: 'uuid',
    });
    expect(issueAt(r.body, 'body.occurredAt')).toMatchObject({ code: 'invalid_format', format: 'datetime' });
  });

  it('a rule of ours keeps its own message and is marked so the web shows it as is', async () => {
    const r = await t.call('cgz_xxy', 'POST', '/api/events', event({ title: '   ' }));
    expect(issueAt(r.body, 'body.title')).toMatchObject({
      code: 'too_small',
      minimum: 1,
      handwritten: true,
      message: expect.stringContaining('不能为空'),
    });
  });

  it('an invalid rule set lists its problems in the same form, with the bounds', async () => {
    const cur = (await t.call('admin', 'GET', '/api/rule-sets/timeliness')).body;
    const bad = {
      ...cur.body,
      rows: cur.body.rows.map((row: any, i: number) => (i === 0 ? { ...row, phoneMinutes: 0 } : row)),
      reminderFractions: [1.5],
    };
    const r = await t.call('admin', 'PUT', '/api/rule-sets/timeliness', { body: bad, note: '测试' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('bad_rule_set');
    const issue = issueAt(r.body, 'rows.0.phoneMinutes');
    expect(issue).toMatchObject({ code: 'too_small', origin: 'number', minimum: 1, inclusive: true });
    expect(issue.message).toMatch(/[\u4e00-\u9fff]/);
    expect(issueAt(r.body, 'reminderFractions.0')).toMatchObject({
      code: 'too_big',
      maximum: 1,
      inclusive: false,
    });
    expect((await t.call('admin', 'GET', '/api/rule-sets/timeliness')).body.version).toBe(cur.version);
  });

  it('overlapping rows of the time-limit table are named in the user language', async () => {
    const cur = (await t.call('admin', 'GET', '/api/rule-sets/timeliness')).body;
    const overlapping = { ...cur.body, rows: [...cur.body.rows, { ...cur.body.rows[0], key: 'dup' }] };
    const zh = await t.call('admin', 'PUT', '/api/rule-sets/timeliness', { body: overlapping, note: '测试' });
    expect(zh.status).toBe(400);
    const [issue] = zh.body.error.details.issues;
    expect(issue).toMatchObject({ path: `rows.${cur.body.rows.length}`, code: 'custom', handwritten: true });
    expect(issue.message).toContain('时限表有重叠的行');
    const en = await t.call(
      'admin',
      'PUT',
      '/api/rule-sets/timeliness',
      { body: overlapping, note: 'test' },
      { 'accept-language': 'en' },
    );
    expect(en.body.error.details.issues[0].message).toContain('overlap');
  });
});
