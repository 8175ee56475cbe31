import chineseDays from 'chinese-days';
import { beijingParts } from '../../floor/working-hours.js';

/**
 * The clocks of a supervised task (督查督办), as pure functions of the task and "now" (the injected clock):
 * when it is due, which timers it gets, what its status is and what a due timer decides. No database here,
 * so the rules are unit-tested with any clock (schedule.test.ts).
 */

export type TaskStatus = 'open' | 'done' | 'overdue';

const DAY_MS = 86_400_000;
const BEIJING_MS = 8 * 3_600_000;

/** The last instant of a Beijing calendar day (`2027-04-30` → 2027-04-30T23:59:59.999+08:00). */
export function endOfBeijingDay(date: string): Date {
  return new Date(new Date(`${date}T23:59:59.999+08:00`).getTime());
}

/** Beijing calendar date `n` days after `date` (YYYY-MM-DD). */
export function addCalendarDays(date: string, n: number): string {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + n * DAY_MS).toISOString().slice(0, 10);
}

/** The office's calendar: public holidays and adjusted working days (调休) from `chinese-days`. */
export const officeIsWorkday = (date: string): boolean => chineseDays.isWorkday(date);

/**
 * "N 日": the end of the N-th day after today (Beijing) — calendar days, or working days (工作日) skipping
 * weekends and public holidays and counting adjusted working days, from the office's calendar.
 */
export function dueInDays(
  now: Date,
  n: number,
  workingDays: boolean,
  isWorkday: (date: string) => boolean = officeIsWorkday,
): Date {
  const today = beijingParts(now).date;
  if (!workingDays) return endOfBeijingDay(addCalendarDays(today, n));
  let d = today;
  let left = n;
  // a year of days is more than any N we accept: the loop always ends
  for (let i = 0; left > 0 && i < 800; i++) {
    d = addCalendarDays(d, 1);
    if (isWorkday(d)) left--;
  }
  return endOfBeijingDay(d);
}

/** A due given as a date only means the end of that day, Beijing time; a date-time is taken as written. */
export function parseDue(value: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? endOfBeijingDay(value) : new Date(value);
}

/** open / done / overdue (past `dueAt` and not done), judged with the clock: never a stale stored verdict. */
export function taskStatus(t: { dueAt: Date; completedAt: Date | null }, now: Date): TaskStatus {
  if (t.completedAt) return 'done';
  return now.getTime() > t.dueAt.getTime() ? 'overdue' : 'open';
}

export type TaskTimerKind = 'task.remind' | 'task.due' | 'task.report';
export interface PlannedTimer {
  kind: TaskTimerKind;
  at: Date;
  payload: Record<string, unknown>;
}

/** Reminders to the owner unit at these fractions of the time between issue and due. */
export const REMIND_FRACTIONS = [0.5, 0.8] as const;

/**
 * The timers of a task issued at `issuedAt` (which may lie in the past: a paper task entered afterwards),
 * due at `dueAt`, judged at `now`. Steps whose time has passed are not scheduled — no burst of stale
 * reminders — except the due step: a task already past due gets it now, so it is escalated exactly once.
 * Periodic progress reports (every `reportEveryDays`) are scheduled one at a time: the next one from now.
 */
export function plannedTimers(t: {
  issuedAt: Date;
  dueAt: Date;
  now: Date;
  reportEveryDays?: number | null;
}): PlannedTimer[] {
  const out: PlannedTimer[] = [];
  const now = t.now.getTime();
  const start = t.issuedAt.getTime();
  const due = t.dueAt.getTime();
  const dueIso = t.dueAt.toISOString();
  if (due > start)
    for (const f of REMIND_FRACTIONS) {
      const at = start + (due - start) * f;
      if (at > now)
        out.push({ kind: 'task.remind', at: new Date(at), payload: { fraction: f, dueAt: dueIso } });
    }
  out.push({ kind: 'task.due', at: new Date(Math.max(due, now)), payload: { dueAt: dueIso } });
  const next = nextReportAt(
    { issuedAt: t.issuedAt, dueAt: t.dueAt, reportEveryDays: t.reportEveryDays },
    t.now,
  );
  if (next) out.push({ kind: 'task.report', at: next, payload: { dueAt: dueIso } });
  return out;
}

/**
 * When the next periodic progress report falls due after `after`: issue + k·N days, the first one later than
 * `after`, and not after the task's due time (by then the due itself judges the task). Null: none.
 */
export function nextReportAt(
  t: { issuedAt: Date; dueAt: Date; reportEveryDays?: number | null },
  after: Date,
): Date | null {
  const n = t.reportEveryDays;
  if (!n || n <= 0) return null;
  const period = n * DAY_MS;
  const start = t.issuedAt.getTime();
  const k = Math.max(1, Math.floor((after.getTime() - start) / period) + 1);
  const at = start + k * period;
  return at < t.dueAt.getTime() ? new Date(at) : null;
}

export interface TaskClockState {
  dueAt: Date;
  issuedAt: Date;
  completedAt: Date | null;
  lastProgressAt: Date | null;
  reportEveryDays: number | null;
  overdueEscalatedAt: Date | null;
}

/** Whether a reminder timer still applies: the task is not done and its due time is the one it was set for. */
export function remindApplies(t: TaskClockState, payload: { dueAt?: string }): boolean {
  return !t.completedAt && (!payload.dueAt || payload.dueAt === t.dueAt.toISOString());
}

/** Whether the due timer escalates: not done, really past due, and not escalated since (once per due). */
export function dueEscalates(t: TaskClockState, now: Date): boolean {
  return !t.completedAt && now.getTime() >= t.dueAt.getTime() && !t.overdueEscalatedAt;
}

/**
 * A periodic report timer that fell due at `at`: the report is missed when no progress came in the period
 * that ended then (flagged, the status unchanged); `next` is the following report time, if any.
 */
export function reportCheck(t: TaskClockState, at: Date): { missed: boolean; next: Date | null } {
  if (t.completedAt || !t.reportEveryDays) return { missed: false, next: null };
  const periodStart = at.getTime() - t.reportEveryDays * DAY_MS;
  const last = t.lastProgressAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  return { missed: last < periodStart, next: nextReportAt(t, at) };
}

/** Beijing wall-clock text for messages (2027-04-30 23:59). */
export function beijingText(at: Date): string {
  return new Date(at.getTime() + BEIJING_MS).toISOString().slice(0, 16).replace('T', ' ');
}
