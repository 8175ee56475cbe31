import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../tests/helpers/app.js';

/**
 * Phone both ways (API contract "Outgoing calls", issue #11 point 2) and approving what was read (point 5).
 * Ⅲ events: the township owes a phone report to the county within 30 minutes.
 */
let t: TestApp;
const U: Record<string, string> = {};
beforeAll(async () => {
  t = await createTestApp({ demo: true });
  for (const n of ['城关街道', '东城区', '示例市', '东城区委区政府总值班室', '东城区公安分局'])
    U[n] = await t.unitId(n);
});
afterAll(async () => t?.close());

const minutesAgo = (m: number) => new Date(t.clock.now().getTime() - m * 60_000).toISOString();
let seq = 0;
async function newEvent(occurredMinutesAgo = 10) {
  const r = await t.call('cgz_xxy', 'POST', '/api/events', {
    title: `城关街道建设路货车侧翻 ${++seq}`,
    categoryCode: '12H00',
    level: 'III',
    occurredAt: minutesAgo(occurredMinutesAgo),
    place: { address: '城关街道建设路', divisionCode: '990102001' },
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
}
const said = { cause: '货车侧翻，一人被困', measures: '消防正在救援' };
const outgoing = (over: Record<string, unknown> = {}) => ({
  kind: 'phone',
  direction: 'outgoing',
  toUnitId: U['东城区'],
  calledAt: minutesAgo(2),
  answeredBy: '郑敏',
  elements: said,
  ...over,
});
async function townPhoneDeadline(eventId: string, user = 'cgz_xxy') {
  const ev = await t.call(user, 'GET', `/api/events/${eventId}`);
  return ev.body.deadlines.find((d: any) => d.fromUnitId === U['城关街道'] && d.channel === 'phone');
}
async function intakeRows(user: string, eventId: string) {
  const r = await t.call(user, 'GET', '/api/intake');
  return r.body.items.filter((i: any) => i.eventId === eventId);
}

describe('a township records its own call to the county', () => {
  let eventId: string;
  let callId: string;
  let calledAt: string;

  beforeAll(async () => {
    eventId = await newEvent();
  });

  it('a call to a unit its deadline does not go to is refused with 422 and a clear message; nothing is recorded', async () => {
    for (const toUnitId of [U['示例市'], U['东城区公安分局']]) {
      const r = await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/reports`, outgoing({ toUnitId }));
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('call_wrong_recipient');
      expect(r.body.error.message).toContain('东城区');
    }
    const en = await t.call(
      'cgz_xxy',
      'POST',
      `/api/events/${eventId}/reports`,
      outgoing({ toUnitId: U['示例市'] }),
      { 'accept-language': 'en' },
    );
    expect(en.body.error.message).toMatch(/goes to 东城区/);
    const ev = await t.call('cgz_xxy', 'GET', `/api/events/${eventId}`);
    expect(ev.body.reports).toHaveLength(0);
    expect((await townPhoneDeadline(eventId)).status).toBe('pending');
  });

  it('a call time in the future or before the event occurred is refused', async () => {
    for (const at of [minutesAgo(-30), minutesAgo(60)]) {
      const r = await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/reports`, outgoing({ calledAt: at }));
      expect(r.status).toBe(400);
      expect(['called_at_invalid', 'time_in_future']).toContain(r.body.error.code);
    }
  });

  it('the call meets the township’s phone deadline at the time of the call and awaits confirmation', async () => {
    calledAt = minutesAgo(2);
    const r = await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/reports`, outgoing({ calledAt }));
    expect(r.status).toBe(201);
    callId = r.body.id;
    expect(r.body).toMatchObject({
      kind: 'phone',
      status: 'recorded',
      direction: 'outgoing',
      toUnitId: U['东城区'],
      unitId: U['城关街道'],
      answeredBy: '郑敏',
      confirmation: 'pending',
      recordedLate: false,
    });
    const d = await townPhoneDeadline(eventId);
    expect(d).toMatchObject({ status: 'met', metByReportId: callId });
    expect(new Date(d.metAt).toISOString()).toBe(calledAt);
  });

  it('the county’s intake shows the call, to confirm or dispute', async () => {
    const rows = await intakeRows('dc_zby', eventId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      reportId: callId,
      via: 'call',
      fromUnitId: U['城关街道'],
      call: { confirmation: 'pending', answeredBy: '郑敏', can: { confirm: true, dispute: true } },
    });
    const ev = await t.call('dc_zby', 'GET', `/api/events/${eventId}`);
    expect(ev.body.reports.find((x: any) => x.id === callId).can).toEqual({ confirm: true, dispute: true });
    const own = await t.call('cgz_xxy', 'GET', `/api/events/${eventId}`);
    expect(own.body.reports.find((x: any) => x.id === callId).can).toEqual({
      confirm: false,
      dispute: false,
    });
  });

  it('the township’s timeliness statistics flag the call as unconfirmed', async () => {
    const s = await t.call('dc_xxk', 'GET', '/api/stats/timeliness');
    const town = s.body.units.find((u: any) => u.unitId === U['城关街道']);
    expect(town?.unconfirmedCalls ?? 0).toBeGreaterThanOrEqual(1);
  });

  it('only the county’s offices may confirm: 404 to a unit that cannot see the event, 403 to others', async () => {
    const other = await t.call('hsz_xxy', 'POST', `/api/reports/${callId}/confirm`);
    expect(other.status).toBe(404);
    for (const u of ['cgz_xxy', 'sz_zby']) {
      const r = await t.call(u, 'POST', `/api/reports/${callId}/confirm`);
      expect(r.status).toBe(403);
    }
    const dispute = await t.call('sz_zby', 'POST', `/api/reports/${callId}/dispute`, { reason: '没接到' });
    expect(dispute.status).toBe(403);
    const anon = await t.call(null, 'POST', `/api/reports/${callId}/confirm`);
    expect(anon.status).toBe(401);
    const r = await t.call('cgz_xxy', 'GET', `/api/reports/${callId}`);
    expect(r.body.confirmation).toBe('pending');
  });

  it('confirming a written report is refused: it is signed for, not confirmed', async () => {
    const ev = await t.call('dc_zby', 'GET', `/api/events/${eventId}`);
    expect(ev.status).toBe(200);
    const draft = await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'followup',
      elements: { measures: '已疏散' },
    });
    const r = await t.call('cgz_xxy', 'POST', `/api/reports/${draft.body.id}/confirm`);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('not_an_outgoing_call');
  });

  it('the county duty officer confirms it once; a repeat with the same key answers the same', async () => {
    const h = { 'idempotency-key': 'confirm-1' };
    const r = await t.call('dc_zby', 'POST', `/api/reports/${callId}/confirm`, undefined, h);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: callId, confirmation: 'confirmed' });
    const again = await t.call('dc_zby', 'POST', `/api/reports/${callId}/confirm`, undefined, h);
    expect(again.body.confirmedAt).toBe(r.body.confirmedAt);
    const own = await t.call('cgz_xxy', 'GET', `/api/events/${eventId}`);
    expect(own.body.reports.find((x: any) => x.id === callId).confirmation).toBe('confirmed');
    expect((await townPhoneDeadline(eventId)).status).toBe('met');
    // confirming is not signing for a report: the township still owes its written report
    const w = own.body.deadlines.find((d: any) => d.fromUnitId === U['城关街道'] && d.channel === 'written');
    expect(w.metAt).toBeNull();
    const dispute = await t.call('dc_zby', 'POST', `/api/reports/${callId}/dispute`, { reason: '改主意' });
    expect(dispute.status).toBe(409);
    expect(dispute.body.error.code).toBe('call_already_confirmed');
    const tl = await t.call('cgz_xxy', 'GET', `/api/events/${eventId}/timeline`);
    expect(tl.body.items.map((x: any) => x.action)).toEqual(
      expect.arrayContaining(['call_recorded', 'call_confirmed']),
    );
  });
});

describe('a disputed call counts as not made', () => {
  it('disputed after the limit: the phone deadline it met becomes late, logged', async () => {
    const eventId = await newEvent(10);
    const call = await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/reports`, outgoing());
    expect(call.status).toBe(201);
    t.clock.advanceMinutes(40); // past the 30-minute limit
    expect((await townPhoneDeadline(eventId)).status).toBe('met');
    const noReason = await t.call('dc_xxk', 'POST', `/api/reports/${call.body.id}/dispute`, { reason: ' ' });
    expect(noReason.status).toBe(400);
    const r = await t.call('dc_xxk', 'POST', `/api/reports/${call.body.id}/dispute`, {
      reason: '当时值班电话没有接到城关街道来电',
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      confirmation: 'disputed',
      disputeReason: '当时值班电话没有接到城关街道来电',
    });
    const d = await townPhoneDeadline(eventId);
    expect(d).toMatchObject({ status: 'late', metAt: null, metByReportId: null });
    const tl = await t.call('cgz_xxy', 'GET', `/api/events/${eventId}/timeline`);
    const actions = tl.body.items.map((x: any) => x.action);
    expect(actions).toEqual(expect.arrayContaining(['call_disputed', 'deadline_reopened']));
    const trace = await t.call('dc_xxk', 'GET', `/api/events/${eventId}/trace`);
    expect(trace.status).toBe(200);
    expect(trace.body.steps.map((x: any) => x.action)).toContain('call_recorded');
    // after 24 h without another call it is missed
    t.clock.advanceMinutes(24 * 60);
    expect((await townPhoneDeadline(eventId)).status).toBe('missed');
    const late = await t.call('dc_xxk', 'POST', `/api/reports/${call.body.id}/confirm`);
    expect(late.status).toBe(409);
  });

  it('disputed while another call of the township counts: that call meets the deadline instead', async () => {
    const eventId = await newEvent(10);
    const first = await t.call(
      'cgz_xxy',
      'POST',
      `/api/events/${eventId}/reports`,
      outgoing({ calledAt: minutesAgo(8) }),
    );
    // the county recorded a later call itself (more than 10 minutes apart: another call)
    t.clock.advanceMinutes(15);
    const second = await t.call('dc_zby', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'phone',
      callerUnitId: U['城关街道'],
      callerName: '李晓梅',
      callerPhone: '13800000000',
      calledAt: minutesAgo(1),
      elements: said,
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ direction: 'incoming', confirmation: 'confirmed', sameCallAs: null });
    const r = await t.call('dc_zby', 'POST', `/api/reports/${first.body.id}/dispute`, {
      reason: '没有这个电话',
    });
    expect(r.status).toBe(200);
    const d = await townPhoneDeadline(eventId);
    expect(d.metByReportId).toBe(second.body.id);
    expect(d.status).toBe('met');
  });
});

describe('the same call recorded by both sides counts once', () => {
  it('caller first, then the county: linked, confirmed, one arrival, met once at the caller’s time', async () => {
    const eventId = await newEvent(10);
    const calledAt = minutesAgo(3);
    const out = await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/reports`, outgoing({ calledAt }));
    t.clock.advanceMinutes(4);
    const inc = await t.call('dc_zby', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'phone',
      callerUnitId: U['城关街道'],
      callerName: '李晓梅',
      callerPhone: '13800000000',
      calledAt: minutesAgo(2), // 5 minutes after the caller's time
      elements: said,
    });
    expect(inc.status).toBe(201);
    expect(inc.body.sameCallAs).toBe(out.body.id);
    const o = await t.call('cgz_xxy', 'GET', `/api/reports/${out.body.id}`);
    expect(o.body).toMatchObject({ confirmation: 'confirmed', sameCallAs: inc.body.id });
    const d = await townPhoneDeadline(eventId);
    expect(d.metByReportId).toBe(out.body.id);
    expect(new Date(d.metAt).toISOString()).toBe(calledAt);
    expect(await intakeRows('dc_zby', eventId)).toHaveLength(1);
    const ev = await t.call('dc_zby', 'GET', `/api/events/${eventId}`);
    const deliveries = ev.body.reports.flatMap((r: any) => r.deliveries);
    expect(deliveries).toHaveLength(1);
  });

  it('the county first, then the caller: the caller’s record is confirmed at once and arrives nowhere', async () => {
    const eventId = await newEvent(10);
    const inc = await t.call('dc_zby', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'phone',
      callerUnitId: U['城关街道'],
      callerName: '李晓梅',
      callerPhone: '13800000000',
      calledAt: minutesAgo(5),
      elements: said,
    });
    const out = await t.call(
      'cgz_xxy',
      'POST',
      `/api/events/${eventId}/reports`,
      outgoing({ calledAt: minutesAgo(1) }),
    );
    expect(out.status).toBe(201);
    expect(out.body).toMatchObject({ confirmation: 'confirmed', sameCallAs: inc.body.id });
    const d = await townPhoneDeadline(eventId);
    expect(d.metByReportId).toBe(inc.body.id);
    expect(await intakeRows('dc_zby', eventId)).toHaveLength(0);
  });
});

describe('a call recorded by the receiving office', () => {
  it('is confirmed by being recorded, also when it registers the event', async () => {
    const r = await t.call('dc_zby', 'POST', '/api/events', {
      title: `城关街道化工仓库冒烟 ${++seq}`,
      categoryCode: '12D00',
      level: 'III',
      occurredAt: minutesAgo(10),
      place: { address: '城关街道工业园' },
      source: 'phone',
      responsibleUnitId: U['城关街道'],
      callerUnitId: U['城关街道'],
      callerName: '李晓梅',
      callerPhone: '13800000000',
      calledAt: minutesAgo(3),
    });
    expect(r.status).toBe(201);
    const phone = r.body.reports.find((x: any) => x.kind === 'phone');
    expect(phone).toMatchObject({
      direction: 'incoming',
      confirmation: 'confirmed',
      toUnitId: U['东城区'],
      recordedLate: false,
    });
    // nothing to confirm: it was recorded by the office that took the call
    const c = await t.call('dc_xxk', 'POST', `/api/reports/${phone.id}/confirm`);
    expect(c.status).toBe(409);
  });
});

describe('a call recorded more than an hour after it was made is flagged', () => {
  it('recordedLate on both directions', async () => {
    const eventId = await newEvent(120);
    const out = await t.call(
      'cgz_xxy',
      'POST',
      `/api/events/${eventId}/reports`,
      outgoing({ calledAt: minutesAgo(70) }),
    );
    expect(out.status).toBe(201);
    expect(out.body.recordedLate).toBe(true);
    const inc = await t.call('dc_zby', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'phone',
      callerUnitId: U['城关街道'],
      callerName: '李晓梅',
      callerPhone: '13800000000',
      calledAt: minutesAgo(30),
      elements: said,
    });
    expect(inc.body.recordedLate).toBe(false);
  });
});

describe('approve what you read', () => {
  async function awaitingApproval() {
    const eventId = await newEvent(5);
    const draft = await t.call('cgz_xxy', 'POST', `/api/events/${eventId}/reports`, {
      kind: 'followup',
      elements: { measures: '伤者已送医' },
    });
    const sub = await t.call('cgz_xxy', 'POST', `/api/reports/${draft.body.id}/submit`);
    expect(sub.body.status).toBe('awaiting_approval');
    return draft.body.id as string;
  }

  it('a return, an edit and a resubmission each give a new version; approving a stale one is 409 and changes nothing', async () => {
    const id = await awaitingApproval();
    const read = (await t.call('cgz_fgld', 'GET', `/api/reports/${id}`)).body;
    expect(read.version).toBe(1);
    // meanwhile: returned, edited, resubmitted
    const ret = await t.call('cgz_zyfzr', 'POST', `/api/reports/${id}/return`, { reason: '补充伤亡' });
    expect(ret.body.version).toBe(2);
    const ed = await t.call('cgz_xxy', 'PATCH', `/api/reports/${id}`, {
      elements: { measures: '伤者已送医，2 人轻伤' },
    });
    expect(ed.body.version).toBe(3);
    const re = await t.call('cgz_xxy', 'POST', `/api/reports/${id}/submit`);
    expect(re.body.version).toBe(4);
    const stale = await t.call('cgz_fgld', 'POST', `/api/reports/${id}/approve`, { version: read.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('report_changed');
    expect(stale.body.error.message).toContain('已被修改');
    const after = (await t.call('cgz_xxy', 'GET', `/api/reports/${id}`)).body;
    expect(after.status).toBe('awaiting_approval');
    expect(after.approvals.every((a: any) => a.status === 'pending')).toBe(true);
    // Ⅲ: the principal's approval completes both steps
    const ok = await t.call('cgz_zyfzr', 'POST', `/api/reports/${id}/approve`, { version: after.version });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('sent');
  });

  it('approving without a version works as before', async () => {
    const id = await awaitingApproval();
    const r = await t.call('cgz_zyfzr', 'POST', `/api/reports/${id}/approve`, { comment: '同意' });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('sent');
  });
});
