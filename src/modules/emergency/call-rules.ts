import { isOfficeKind } from '../../floor/context.js';

/**
 * Phone both ways (电话双向登记) — the pure rules, decided without the database (unit-tested in
 * call-rules.test.ts; the service is calls.ts).
 *
 * A phone report is a call. The receiving office records an incoming call (confirmed by being recorded); the
 * calling unit may record its own outgoing call, which meets its phone deadline at `calledAt` and stays
 * `pending` until a user of an office of the called area confirms or disputes it. A disputed call counts as not
 * made. The same call recorded by both sides within 10 minutes of each other counts once; a call recorded more
 * than an hour after it was made is flagged.
 */

export type CallDirection = 'incoming' | 'outgoing';
export type Confirmation = 'pending' | 'confirmed' | 'disputed';

/** Two records of one call by both sides: their call times lie within this of each other. */
export const SAME_CALL_WINDOW_MS = 10 * 60_000;
/** A call recorded more than this after it was made is flagged (`recordedLate`). */
export const RECORDED_LATE_AFTER_MS = 60 * 60_000;
/** The called area may confirm or dispute until this long after the call (or the event's closing, if sooner). */
export const CONFIRM_WINDOW_MS = 24 * 3600_000;

/** Recorded more than an hour after the call. */
export function isRecordedLate(calledAt: Date, recordedAt: Date): boolean {
  return recordedAt.getTime() - calledAt.getTime() > RECORDED_LATE_AFTER_MS;
}

/** Until when the called area may confirm or dispute: 24 h after the call, or the event's closing if sooner. */
export function confirmableUntil(calledAt: Date, eventClosedAt: Date | null): Date {
  const end = calledAt.getTime() + CONFIRM_WINDOW_MS;
  return new Date(eventClosedAt ? Math.min(end, eventClosedAt.getTime()) : end);
}

/** A unit as the rules need it. */
export interface UnitLike {
  id: string;
  kind: string;
  parentId: string | null;
}

/**
 * Where the caller's call must go: the unit its phone deadline (else any deadline) of the event reports to;
 * without a deadline, where its reports go (a non-area unit's own area; an area's parent area).
 */
export function expectedCallTarget(
  caller: UnitLike,
  deadlines: Array<{ fromUnitId: string; toUnitId: string | null; channel: string }>,
): string | null {
  const own = deadlines.filter((d) => d.fromUnitId === caller.id && d.toUnitId);
  const phone = own.find((d) => d.channel === 'phone');
  if (phone) return phone.toUnitId;
  if (own[0]) return own[0].toUnitId;
  if (caller.kind === 'area') return caller.parentId;
  return caller.parentId ?? null;
}

/** The area a given `toUnitId` means, when it is the expected area or one of its offices; otherwise null. */
export function callTargetArea(given: UnitLike | null, expectedAreaId: string | null): string | null {
  if (!given || !expectedAreaId) return null;
  if (given.id === expectedAreaId) return expectedAreaId;
  if (isOfficeKind(given.kind) && given.parentId === expectedAreaId) return expectedAreaId;
  return null;
}

/** A recorded call, as pairing and re-meeting need it. */
export interface CallRecord {
  id: string;
  calledAt: Date;
  direction: CallDirection | null;
  confirmation: Confirmation | null;
  sameCallAs: string | null;
}

/**
 * The other side's record of the same call: opposite direction, not disputed, not yet paired, its call time
 * within 10 minutes of this one — the nearest such. Candidates are the calls of the same caller to the same
 * area on the same event.
 */
export function findSameCall<T extends CallRecord>(
  candidates: T[],
  direction: CallDirection,
  calledAt: Date,
): T | null {
  let best: T | null = null;
  let bestGap = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    if ((c.direction ?? 'incoming') === direction) continue;
    if (c.confirmation === 'disputed' || c.sameCallAs) continue;
    const gap = Math.abs(c.calledAt.getTime() - calledAt.getTime());
    if (gap <= SAME_CALL_WINDOW_MS && gap < bestGap) {
      best = c;
      bestGap = gap;
    }
  }
  return best;
}

/**
 * After a call is disputed, what meets the caller's phone deadline instead: the earliest other call of the
 * caller that counts (not disputed, not the disputed one nor its twin), or null (the deadline is open again and
 * judged late or missed by the clock).
 */
export function replacementMeeting<T extends CallRecord>(calls: T[], disputedId: string): T | null {
  const valid = calls
    .filter((c) => c.id !== disputedId && c.sameCallAs !== disputedId && c.confirmation !== 'disputed')
    .sort((a, b) => a.calledAt.getTime() - b.calledAt.getTime());
  return valid[0] ?? null;
}

export type ConfirmOutcome = { ok: true; change: boolean } | { ok: false; status: 403 | 409; code: string };

/**
 * Whether the person may confirm / dispute an outgoing call now. `actor`: whether they are a user of an office
 * (or the area itself) and the area their office acts for.
 */
export function decideConfirmation(p: {
  action: 'confirm' | 'dispute';
  call: { direction: string | null; confirmation: string | null; toAreaId: string | null };
  actor: { officeUser: boolean; actingAreaId: string };
  now: Date;
  until: Date;
}): ConfirmOutcome {
  if (p.call.direction !== 'outgoing' || !p.call.confirmation)
    return { ok: false, status: 409, code: 'not_an_outgoing_call' };
  if (!p.actor.officeUser || p.actor.actingAreaId !== p.call.toAreaId)
    return { ok: false, status: 403, code: 'not_receiving_office' };
  const target = p.action === 'confirm' ? 'confirmed' : 'disputed';
  if (p.call.confirmation === target) return { ok: true, change: false };
  if (p.call.confirmation !== 'pending')
    return {
      ok: false,
      status: 409,
      code: p.call.confirmation === 'confirmed' ? 'call_already_confirmed' : 'call_already_disputed',
    };
  if (p.now.getTime() > p.until.getTime()) return { ok: false, status: 409, code: 'confirmation_closed' };
  return { ok: true, change: true };
}
