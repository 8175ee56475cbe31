import { describe, expect, test } from 'vitest';
import {
  dueEscalates,
  dueInDays,
  endOfBeijingDay,
  nextReportAt,
  parseDue,
  plannedTimers,
  remindApplies,
  reportCheck,
  type TaskClockState,
  taskStatus,
} from './schedule.js';

const d = (s: string) => new Date(s);
const DAY = 86_400_000;

describe('when a task is due', () => {
  test('a date-only due means the end of that day, Beijing time', () => {
    expect(parseDue('2027-04-30').toISOString()).toBe('2027-04-30T15:59:59.999Z');
    expect(endOfBeijingDay('2027-04-30').getTime()).toBe(d('2027-04-30T23:59:59.999+08:00').getTime());
    expect(parseDue('2027-04-30T10:00:00+08:00').toISOString()).toBe('2027-04-30T02:00:00.000Z');
  });

  test('"5 日" counts calendar days; 工作日 skips the weekend and the National Day holiday', () => {
    // Monday 2026-11-23 10:00 Beijing
    const now = d('2026-11-23T02:00:00Z');
    expect(dueInDays(now, 5, false).toISOString()).toBe(d('2026-11-28T23:59:59.999+08:00').toISOString());
    // 5 working days from Monday: Tue..Fri (4) and next Monday
    expect(dueInDays(now, 5, true).toISOString()).toBe(d('2026-11-30T23:59:59.999+08:00').toISOString());
    // from 2026-09-30 (Wed): 10-01..10-07 are holidays (chinese-days), 3 working days land after them
    const before = d('2026-09-30T02:00:00Z');
    const due = dueInDays(
      before,
      3,
      true,
      (x) =>
        !(x >= '2026-10-01' && x <= '2026-10-07') && ![0, 6].includes(new Date(`${x}T00:00:00Z`).getUTCDay()),
    );
    expect(due.toISOString()).toBe(d('2026-10-12T23:59:59.999+08:00').toISOString());
  });
});

describe('status', () => {
  const due = d('2027-04-30T15:59:59.999Z');
  test('open before the due time, overdue after it, done once completed (whenever)', () => {
    expect(taskStatus({ dueAt: due, completedAt: null }, d('2027-04-30T15:00:00Z'))).toBe('open');
    expect(taskStatus({ dueAt: due, completedAt: null }, d('2027-04-30T16:00:00Z'))).toBe('overdue');
    expect(
      taskStatus({ dueAt: due, completedAt: d('2027-05-02T00:00:00Z') }, d('2027-06-01T00:00:00Z')),
    ).toBe('done');
  });
});

describe('the clocks of a task', () => {
  test('a task issued now gets reminders at 50 % and 80 %, the due step and its first progress report', () => {
    const now = d('2026-11-23T02:00:00Z');
    const t = plannedTimers({
      issuedAt: now,
      dueAt: new Date(now.getTime() + 10 * DAY),
      now,
      reportEveryDays: 3,
    });
    expect(t.map((x) => [x.kind, (x.at.getTime() - now.getTime()) / DAY])).toEqual([
      ['task.remind', 5],
      ['task.remind', 8],
      ['task.due', 10],
      ['task.report', 3],
    ]);
  });

  test('a paper task entered after its due time: no stale reminders, one escalation at once', () => {
    const now = d('2026-11-23T02:00:00Z');
    const t = plannedTimers({
      issuedAt: d('2026-10-01T02:00:00Z'),
      dueAt: d('2026-11-01T02:00:00Z'),
      now,
      reportEveryDays: 7,
    });
    expect(t).toEqual([{ kind: 'task.due', at: now, payload: { dueAt: '2026-11-01T02:00:00.000Z' } }]);
  });

  test('a task issued in the past and due later keeps only the steps still ahead', () => {
    const now = d('2026-11-23T02:00:00Z');
    const issuedAt = new Date(now.getTime() - 6 * DAY);
    const t = plannedTimers({ issuedAt, dueAt: new Date(now.getTime() + 4 * DAY), now, reportEveryDays: 4 });
    // 50 % (day 5 of 10) has passed; 80 % is day 8 = 2 days from now; the report on day 8 too
    expect(t.map((x) => [x.kind, (x.at.getTime() - now.getTime()) / DAY])).toEqual([
      ['task.remind', 2],
      ['task.due', 4],
      ['task.report', 2],
    ]);
  });

  const state = (over: Partial<TaskClockState> = {}): TaskClockState => ({
    issuedAt: d('2026-11-01T00:00:00Z'),
    dueAt: d('2026-11-30T00:00:00Z'),
    completedAt: null,
    lastProgressAt: null,
    reportEveryDays: 7,
    overdueEscalatedAt: null,
    ...over,
  });

  test('a reminder applies only to an open task whose due time is unchanged', () => {
    expect(remindApplies(state(), { dueAt: '2026-11-30T00:00:00.000Z' })).toBe(true);
    expect(remindApplies(state({ completedAt: d('2026-11-10T00:00:00Z') }), {})).toBe(false);
    expect(remindApplies(state(), { dueAt: '2026-11-20T00:00:00.000Z' })).toBe(false);
  });

  test('the due step escalates an open task once, never a done one', () => {
    const now = d('2026-11-30T00:00:01Z');
    expect(dueEscalates(state(), now)).toBe(true);
    expect(dueEscalates(state({ overdueEscalatedAt: now }), now)).toBe(false);
    expect(dueEscalates(state({ completedAt: d('2026-11-29T00:00:00Z') }), now)).toBe(false);
    expect(dueEscalates(state(), d('2026-11-29T00:00:00Z'))).toBe(false);
  });

  test('a progress report is missed when nothing came in its period; the next one follows', () => {
    const at = d('2026-11-08T00:00:00Z');
    expect(reportCheck(state(), at)).toEqual({ missed: true, next: d('2026-11-15T00:00:00Z') });
    expect(reportCheck(state({ lastProgressAt: d('2026-11-05T00:00:00Z') }), at).missed).toBe(false);
    // the last period before the due: no report after the due time
    expect(reportCheck(state(), d('2026-11-29T00:00:00Z')).next).toBeNull();
    expect(nextReportAt(state(), d('2026-11-09T00:00:00Z'))).toEqual(d('2026-11-15T00:00:00Z'));
  });
});
