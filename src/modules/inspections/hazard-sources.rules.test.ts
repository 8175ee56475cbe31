import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../floor/clock.js';
import { missApplies, nextCheckBy, nextJudgment, timerAfterCheck, watchOf } from './hazard-sources.rules.js';

const at = (s: string) => new Date(s);

describe('the watch clock of a major hazard source', () => {
  it('the next check is one interval after the last one, or after registration', () => {
    expect(nextCheckBy(null, at('2026-11-23T02:00:00Z'), 120).toISOString()).toBe('2026-11-23T04:00:00.000Z');
    expect(nextCheckBy(at('2026-11-23T03:00:00Z'), at('2026-11-23T02:00:00Z'), 30).toISOString()).toBe(
      '2026-11-23T03:30:00.000Z',
    );
  });

  it('is missed only once the due time has passed (injected clock)', () => {
    const clock = new ManualClock('2026-11-23T02:00:00Z');
    const due = nextCheckBy(null, clock.now(), 60);
    expect(watchOf(due, clock.now())).toBe('ok');
    clock.advance(60 * 60_000);
    expect(watchOf(due, clock.now())).toBe('ok');
    clock.advance(1);
    expect(watchOf(due, clock.now())).toBe('missed');
  });

  it('a check entered late whose interval has already run out is judged now', () => {
    const now = at('2026-11-23T10:00:00Z');
    expect(timerAfterCheck(at('2026-11-23T09:30:00Z'), 60, now).toISOString()).toBe(
      '2026-11-23T10:30:00.000Z',
    );
    expect(timerAfterCheck(at('2026-11-23T06:00:00Z'), 60, now)).toEqual(now);
  });

  it('after a downtime of many intervals, one notice now and the next an interval later — no burst', () => {
    const due = at('2026-11-23T04:00:00Z');
    const back = at('2026-11-24T00:00:00Z'); // 20 h later
    expect(nextJudgment(due, back, 120).toISOString()).toBe('2026-11-24T02:00:00.000Z');
    // on time: the next judgment is one interval after the due time
    expect(nextJudgment(due, due, 120).toISOString()).toBe('2026-11-23T06:00:00.000Z');
  });

  it('a timer set before a later check no longer applies', () => {
    expect(missApplies('2026-11-23T02:00:00.000Z', null)).toBe(true);
    expect(missApplies('2026-11-23T02:00:00.000Z', at('2026-11-23T02:00:00Z'))).toBe(true);
    expect(missApplies('2026-11-23T02:00:00.000Z', at('2026-11-23T02:30:00Z'))).toBe(false);
  });
});
