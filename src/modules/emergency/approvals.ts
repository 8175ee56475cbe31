/**
 * 审签 rules (API contract): Ⅳ and ungraded reports need the leader in charge (`approver`); Ⅰ–Ⅲ also the
 * `principal`. A principal approving first completes the steps below; one person holding both roles approves
 * once per role; off-hours a `duty_leader` may approve in place of the approver.
 */
export type ApprovalStep = 'approver' | 'principal';

export function requiredSteps(level: string | null): ApprovalStep[] {
  return level === 'I' || level === 'II' || level === 'III' ? ['approver', 'principal'] : ['approver'];
}

export interface ApprovalDecision {
  completes: ApprovalStep[];
  asRole: 'approver' | 'principal' | 'duty_leader';
}

export function nextApproval(
  steps: Array<{ step: ApprovalStep; status: string }>,
  roles: string[],
  offHours: boolean,
): ApprovalDecision | null {
  const pending = steps.filter((s) => s.status === 'pending');
  if (pending.length === 0) return null;
  const next = pending[0];
  if (next.step === 'approver') {
    if (roles.includes('approver')) return { completes: ['approver'], asRole: 'approver' };
    if (roles.includes('principal')) return { completes: pending.map((p) => p.step), asRole: 'principal' };
    if (offHours && roles.includes('duty_leader')) return { completes: ['approver'], asRole: 'duty_leader' };
    return null;
  }
  if (roles.includes('principal')) return { completes: pending.map((p) => p.step), asRole: 'principal' };
  return null;
}

/** The version an approver read is still the report's: `undefined` (not sent) always passes. */
export function versionStillCurrent(read: number | null | undefined, current: number): boolean {
  return read === undefined || read === null || read === current;
}
