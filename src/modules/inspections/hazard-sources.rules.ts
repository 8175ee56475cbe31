/**
 * The watch clock of a major hazard source as plain functions of its times and "now" (unit-tested without a
 * database, hazard-sources.rules.test.ts). The clock is always passed in.
 */

const MIN = 60_000;

/** When the next check is due: one interval after the last check (none yet: after registration). */
export function nextCheckBy(lastCheckAt: Date | null, registeredAt: Date, everyMinutes: number): Date {
  return new Date((lastCheckAt ?? registeredAt).getTime() + everyMinutes * MIN);
}

/** `missed` once the next check is overdue; a check puts it back to `ok`. */
export function watchOf(nextBy: Date, now: Date): 'ok' | 'missed' {
  return nextBy.getTime() < now.getTime() ? 'missed' : 'ok';
}

/**
 * Where the timer goes after a check at `lastCheckAt`: its due time, or now when a check entered late is already
 * an interval old (the miss is judged at once).
 */
export function timerAfterCheck(lastCheckAt: Date, everyMinutes: number, now: Date): Date {
  const due = lastCheckAt.getTime() + everyMinutes * MIN;
  return new Date(Math.max(due, now.getTime()));
}

/**
 * After a missed check is told, the next judgment: one interval after the later of the due time and now — so a
 * server down for many intervals tells the miss once on its return, not once per interval that passed.
 */
export function nextJudgment(dueAt: Date, now: Date, everyMinutes: number): Date {
  return new Date(Math.max(now.getTime(), dueAt.getTime()) + everyMinutes * MIN);
}

/** Whether a due timer still judges the source: no check came after the one it was set from. */
export function missApplies(since: string | undefined, lastCheckAt: Date | null): boolean {
  return !(lastCheckAt && since && lastCheckAt.getTime() > Date.parse(since));
}
