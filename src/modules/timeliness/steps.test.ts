import { describe, expect, it } from 'vitest';
import { deadlineSteps, deadlineTimers, nextDeadlineTimer } from './deadlines.js';
import { DEFAULT_TIMELINESS } from './rules.js';

const t0 = new Date('2026-12-03T00:00:00Z');
const min = (m: number) => new Date(t0.getTime() + m * 60_000);
/** a township's 60-minute written deadline counted from occurrence at t0; 漏报 24 h after occurrence */
const d = { id: 'd1', met_at: null, base_at: t0, due_at: min(60), missed_at: min(24 * 60) };
const rs = { reminderFractions: [0.5, 0.8] };

describe('one pending timer per deadline: its next step', () => {
  it('the steps in time order: 50 %, 80 %, the limit, the 漏报 line', () => {
    expect(deadlineSteps(d, rs, t0).map((s) => [s.kind, s.dueAt.toISOString()])).toEqual([
      ['deadline.remind', min(30).toISOString()],
      ['deadline.remind', min(48).toISOString()],
      ['deadline.overdue', min(60).toISOString()],
      ['deadline.missed', min(1440).toISOString()],
    ]);
    expect(DEFAULT_TIMELINESS.reminderFractions).toEqual([0.5, 0.8]);
  });

  it('a new deadline gets one timer; each step fired schedules the one after it, then nothing', () => {
    const first = deadlineTimers(d, rs, t0);
    expect(first).toHaveLength(1);
    const chain = [first[0]];
    for (;;) {
      const n = nextDeadlineTimer(d, rs, chain[chain.length - 1].dueAt);
      if (!n) break;
      chain.push(n);
    }
    expect(chain.map((s) => `${s.kind}@${(s.dueAt.getTime() - t0.getTime()) / 60_000}`)).toEqual([
      'deadline.remind@30',
      'deadline.remind@48',
      'deadline.overdue@60',
      'deadline.missed@1440',
    ]);
    expect(chain[1].payload).toEqual({ fraction: 0.8 });
  });

  it('a deadline that comes into being past its reminders starts at the limit; a met one has none', () => {
    expect(deadlineTimers(d, rs, min(55)).map((s) => s.kind)).toEqual(['deadline.overdue']);
    // created after its limit: the overdue step is due at once
    expect(deadlineTimers(d, rs, min(90))[0]).toMatchObject({ kind: 'deadline.overdue', dueAt: min(60) });
    expect(deadlineTimers({ ...d, met_at: min(20) }, rs, t0)).toEqual([]);
  });
});
