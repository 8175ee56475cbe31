export type DeadlineStatus = 'pending' | 'met' | 'late' | 'missed';

/**
 * pending: not yet due and not met; met: met by dueAt; late: met after dueAt, or past dueAt and not yet
 * met; missed: not met within the missed limit (24 h of occurrence by default), or met after it.
 */
export function deadlineStatus(
  d: { dueAt: Date | null; metAt: Date | null; missedAt: Date | null },
  now: Date,
): DeadlineStatus {
  const due = d.dueAt?.getTime() ?? null;
  const missed = d.missedAt?.getTime() ?? null;
  if (d.metAt) {
    const met = d.metAt.getTime();
    if (missed !== null && met > missed) return 'missed';
    if (due === null || met <= due) return 'met';
    return 'late';
  }
  const t = now.getTime();
  if (missed !== null && t > missed) return 'missed';
  if (due !== null && t > due) return 'late';
  return 'pending';
}
