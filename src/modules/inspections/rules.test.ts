import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../floor/clock.js';
import {
  collapsePast,
  HAZARD_TIMERS,
  isOverdue,
  newReceipt,
  normalizeReceipt,
  openPlan,
  planCollectionTitle,
  planDue,
  rectifiedOnTime,
  timerApplies,
  VERIFY_WITHIN_MS,
  verifyPlan,
  windowStart,
} from './rules.js';

const DAY = 24 * 3600_000;
const clock = new ManualClock('2026-11-23T02:00:00Z');
const now = () => clock.now();
const plus = (ms: number) => new Date(now().getTime() + ms);

describe('the rectification clock', () => {
  it('a hazard found now with ten days to rectify: reminders at day 5 and day 8, escalation at day 10', () => {
    const plan = openPlan(now(), plus(10 * DAY), now());
    expect(plan).toEqual([
      { kind: HAZARD_TIMERS.remind50, dueAt: plus(5 * DAY) },
      { kind: HAZARD_TIMERS.remind80, dueAt: plus(8 * DAY) },
      { kind: HAZARD_TIMERS.overdue, dueAt: plus(10 * DAY) },
    ]);
  });

  it('entered after the fact, past 50 % but before 80 %: one reminder now, then the rest — no burst', () => {
    const found = plus(-6 * DAY);
    const plan = openPlan(found, plus(4 * DAY), now());
    expect(plan).toEqual([
      { kind: HAZARD_TIMERS.remind50, dueAt: now() },
      { kind: HAZARD_TIMERS.remind80, dueAt: plus(2 * DAY) },
      { kind: HAZARD_TIMERS.overdue, dueAt: plus(4 * DAY) },
    ]);
  });

  it('entered after its deadline: only the escalation, now', () => {
    expect(openPlan(plus(-20 * DAY), plus(-5 * DAY), now())).toEqual([
      { kind: HAZARD_TIMERS.overdue, dueAt: now() },
    ]);
  });

  it('a deadline equal to the finding time has no reminders', () => {
    expect(openPlan(plus(DAY), plus(DAY), now())).toEqual([
      { kind: HAZARD_TIMERS.overdue, dueAt: plus(DAY) },
    ]);
  });

  it('a reported hazard reminds its verifier after three days; a paper report older than that, now', () => {
    expect(verifyPlan(now(), now())).toEqual([{ kind: HAZARD_TIMERS.verify, dueAt: plus(VERIFY_WITHIN_MS) }]);
    expect(verifyPlan(plus(-5 * DAY), now())).toEqual([{ kind: HAZARD_TIMERS.verify, dueAt: now() }]);
  });

  it('collapsePast keeps nothing when all steps are ahead', () => {
    const steps = [{ kind: HAZARD_TIMERS.overdue, dueAt: plus(1) }];
    expect(collapsePast(steps, now())).toEqual(steps);
  });

  it('a timer applies only to the state it was scheduled for', () => {
    const by = plus(DAY);
    const open = { status: 'open' as const, rectifyBy: by, reportedAt: null };
    expect(timerApplies(HAZARD_TIMERS.overdue, { rectifyBy: by.toISOString() }, open)).toBe(true);
    // the deadline moved on a send-back: the old step is stale
    expect(timerApplies(HAZARD_TIMERS.overdue, { rectifyBy: plus(2 * DAY).toISOString() }, open)).toBe(false);
    expect(
      timerApplies(HAZARD_TIMERS.remind50, { rectifyBy: by.toISOString() }, { ...open, status: 'reported' }),
    ).toBe(false);
    const rep = { status: 'reported' as const, rectifyBy: by, reportedAt: now() };
    expect(timerApplies(HAZARD_TIMERS.verify, { reportedAt: now().toISOString() }, rep)).toBe(true);
    expect(
      timerApplies(HAZARD_TIMERS.verify, { reportedAt: now().toISOString() }, { ...rep, status: 'closed' }),
    ).toBe(false);
  });
});

describe('verdicts', () => {
  it('an open hazard past its deadline is overdue; reported or closed ones never are', () => {
    expect(isOverdue({ status: 'open', rectifyBy: plus(-1) }, now())).toBe(true);
    expect(isOverdue({ status: 'open', rectifyBy: now() }, now())).toBe(false);
    expect(isOverdue({ status: 'reported', rectifyBy: plus(-DAY) }, now())).toBe(false);
  });

  it('on time means the accepted rectification was reported by the first deadline', () => {
    expect(rectifiedOnTime({ status: 'closed', reportedAt: plus(-DAY), firstRectifyBy: now() })).toBe(true);
    expect(rectifiedOnTime({ status: 'closed', reportedAt: plus(DAY), firstRectifyBy: now() })).toBe(false);
    expect(rectifiedOnTime({ status: 'reported', reportedAt: plus(-DAY), firstRectifyBy: now() })).toBe(
      false,
    );
  });
});

describe('tip-off receipts', () => {
  it('are 80 bits as four groups of four Crockford base32 characters', () => {
    expect(newReceipt(Buffer.alloc(10))).toBe('0000-0000-0000-0000');
    expect(newReceipt(Buffer.alloc(10, 0xff))).toBe('ZZZZ-ZZZZ-ZZZZ-ZZZZ');
    const seen = new Set(Array.from({ length: 1000 }, () => newReceipt()));
    expect(seen.size).toBe(1000);
    for (const r of seen) expect(r).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  });

  it('are read back whatever the case, spacing and look-alike letters; anything else is no receipt', () => {
    expect(normalizeReceipt('ab12-cd34-ef56-gh78')).toBe('AB12CD34EF56GH78');
    expect(normalizeReceipt(' abio cd34 ef56 gh7l ')).toBe('AB10CD34EF56GH71');
    expect(normalizeReceipt('AB12-CD34-EF56-GH7U')).toBeNull();
    expect(normalizeReceipt('AB12-CD34')).toBeNull();
    expect(normalizeReceipt('<script>')).toBeNull();
  });

  it('rate windows are fixed and aligned', () => {
    expect(windowStart(new Date('2026-11-23T02:07:30Z'), 10 * 60_000).toISOString()).toBe(
      '2026-11-23T02:00:00.000Z',
    );
  });
});

describe("when a campaign's action plans are due (planDue)", () => {
  it('defaults to the end of the Beijing day 7 days after creation', () => {
    // Mon 2026-11-23 10:00 Beijing → end of Mon 2026-11-30, Beijing
    expect(planDue(new Date('2026-11-23T02:00:00Z')).toISOString()).toBe('2026-11-30T15:59:59.999Z');
    // 23:30 Beijing on the 23rd is still the 23rd in Beijing (15:30 UTC)
    expect(planDue(new Date('2026-11-23T15:30:00Z')).toISOString()).toBe('2026-11-30T15:59:59.999Z');
    // 00:30 Beijing on the 24th (16:30 UTC of the 23rd) counts from the 24th
    expect(planDue(new Date('2026-11-23T16:30:00Z')).toISOString()).toBe('2026-12-01T15:59:59.999Z');
  });
  it('takes a date as the end of that day in Beijing and a date-time as written', () => {
    const now = new Date('2026-11-23T02:00:00Z');
    expect(planDue(now, '2026-12-10').toISOString()).toBe('2026-12-10T15:59:59.999Z');
    expect(planDue(now, '2026-12-10T09:00:00+08:00').toISOString()).toBe('2026-12-10T01:00:00.000Z');
  });
  it('names the collection after the campaign', () => {
    expect(planCollectionTitle('冬春火灾防控')).toBe('「冬春火灾防控」行动方案和领导机构报送');
  });
});
