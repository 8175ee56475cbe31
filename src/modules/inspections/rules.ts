import { createHash, randomBytes } from 'node:crypto';
import { beijingParts } from '../../floor/working-hours.js';

/**
 * The rules of hazards and tip-offs as plain functions of their inputs and "now" — unit-tested without a
 * database (rules.test.ts). The clock is always passed in.
 */

export type HazardStatus = 'open' | 'reported' | 'closed';

/** Timer kinds of a hazard: reminders to the responsible unit, its escalation, the verifier's escalation. */
export const HAZARD_TIMERS = {
  remind50: 'hazard.remind50',
  remind80: 'hazard.remind80',
  overdue: 'hazard.overdue',
  verify: 'hazard.verify',
} as const;
export type HazardTimerKind = (typeof HAZARD_TIMERS)[keyof typeof HAZARD_TIMERS];

/** A reported rectification is verified within three days; after that its verifier is reminded. */
export const VERIFY_WITHIN_MS = 3 * 24 * 3600_000;

export interface Step {
  kind: HazardTimerKind;
  dueAt: Date;
}

/**
 * Steps already due are not replayed one by one: a record entered after the fact (or sent back after its deadline)
 * gets the latest step that is due, now, and the ones still ahead — its current verdict and one escalation.
 */
export function collapsePast(steps: Step[], now: Date): Step[] {
  const past = steps.filter((s) => s.dueAt.getTime() <= now.getTime());
  const ahead = steps.filter((s) => s.dueAt.getTime() > now.getTime());
  return past.length ? [{ kind: past[past.length - 1]!.kind, dueAt: now }, ...ahead] : ahead;
}

/**
 * The clock of an open hazard: reminders to the responsible unit at 50 % and 80 % of the time from `from` (found,
 * or sent back) to `rectifyBy`, and at `rectifyBy` the escalation to its principal(s) and the recording unit.
 */
export function openPlan(from: Date, rectifyBy: Date, now: Date): Step[] {
  const span = rectifyBy.getTime() - from.getTime();
  const at = (f: number) => new Date(from.getTime() + Math.round(span * f));
  const steps: Step[] =
    span > 0
      ? [
          { kind: HAZARD_TIMERS.remind50, dueAt: at(0.5) },
          { kind: HAZARD_TIMERS.remind80, dueAt: at(0.8) },
          { kind: HAZARD_TIMERS.overdue, dueAt: rectifyBy },
        ]
      : [{ kind: HAZARD_TIMERS.overdue, dueAt: rectifyBy }];
  return collapsePast(steps, now);
}

/** The clock of a reported hazard: its verifier is reminded when it has waited `VERIFY_WITHIN_MS`. */
export function verifyPlan(reportedAt: Date, now: Date): Step[] {
  return collapsePast(
    [{ kind: HAZARD_TIMERS.verify, dueAt: new Date(reportedAt.getTime() + VERIFY_WITHIN_MS) }],
    now,
  );
}

/** An open hazard past its (current) deadline. A reported or closed one is never overdue. */
export function isOverdue(h: { status: HazardStatus; rectifyBy: Date }, now: Date): boolean {
  return h.status === 'open' && now.getTime() > h.rectifyBy.getTime();
}

/**
 * 按期整改 for statistics: the rectification that was accepted was reported by the first deadline (a deadline
 * moved on a send-back does not make a late rectification on time).
 */
export function rectifiedOnTime(h: {
  status: HazardStatus;
  reportedAt: Date | null;
  firstRectifyBy: Date;
}): boolean {
  return h.status === 'closed' && !!h.reportedAt && h.reportedAt.getTime() <= h.firstRectifyBy.getTime();
}

/** Whether a timer of `kind` scheduled for the hazard's state in `payload` still applies to the hazard now. */
export function timerApplies(
  kind: string,
  payload: { rectifyBy?: string; reportedAt?: string },
  h: { status: HazardStatus; rectifyBy: Date; reportedAt: Date | null },
): boolean {
  if (kind === HAZARD_TIMERS.verify)
    return h.status === 'reported' && !!h.reportedAt && payload.reportedAt === h.reportedAt.toISOString();
  return h.status === 'open' && payload.rectifyBy === h.rectifyBy.toISOString();
}

// ---- tip-off receipts ------------------------------------------------------------------------------------------

/** Crockford's base32: no I, L, O, U — readable over the phone. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A receipt: 80 random bits as 16 Crockford base32 characters in groups of four (XXXX-XXXX-XXXX-XXXX). */
export function newReceipt(bytes: Buffer = randomBytes(10)): string {
  if (bytes.length !== 10) throw new Error('a receipt is 80 bits');
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 15; i >= 0; i--) out += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return out.match(/.{4}/g)!.join('-');
}

/**
 * A receipt as typed back: case, spaces and dashes ignored, the look-alikes I/L read as 1 and O as 0. Anything
 * else that is not 16 base32 characters is no receipt (null).
 */
export function normalizeReceipt(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return /^[0-9A-HJKMNP-TV-Z]{16}$/.test(s) ? s : null;
}

/** What is stored of a receipt: its hash only. */
export const receiptHash = (normalized: string) => createHash('sha256').update(normalized).digest('hex');

// ---- public rate limits --------------------------------------------------------------------------------------

export interface RateLimit {
  bucket: string;
  /** requests allowed per client and window */
  max: number;
  windowMs: number;
}

export const TIPOFF_SUBMIT_LIMIT: RateLimit = { bucket: 'tipoff.submit', max: 5, windowMs: 10 * 60_000 };
export const TIPOFF_PHOTO_LIMIT: RateLimit = { bucket: 'tipoff.photo', max: 10, windowMs: 10 * 60_000 };
export const TIPOFF_LOOKUP_LIMIT: RateLimit = { bucket: 'tipoff.lookup', max: 30, windowMs: 10 * 60_000 };

/** The window a request falls in (fixed windows aligned to the epoch). */
export const windowStart = (now: Date, windowMs: number) =>
  new Date(Math.floor(now.getTime() / windowMs) * windowMs);

/** Participating units file their action plan (行动方案) and leading body (领导机构) within this many days. */
export const PLAN_DUE_DAYS = 7;

/**
 * When a campaign's action plans are due: `planDueAt` as given (a date only = the end of that day, Beijing time),
 * otherwise the end of the Beijing day {@link PLAN_DUE_DAYS} days after `now`..
 */
export function planDue(now: Date, planDueAt?: string | null): Date {
  if (planDueAt)
    return /^\d{4}-\d{2}-\d{2}$/.test(planDueAt)
      ? new Date(`${planDueAt}T23:59:59.999+08:00`)
      : new Date(planDueAt);
  const today = beijingParts(now).date;
  const day = new Date(new Date(`${today}T00:00:00Z`).getTime() + PLAN_DUE_DAYS * 86_400_000)
    .toISOString()
    .slice(0, 10);
  return new Date(`${day}T23:59:59.999+08:00`);
}

/** The title of a campaign's plan collection. */
export const planCollectionTitle = (campaignTitle: string) => `「${campaignTitle}」行动方案和领导机构报送`;
