import { actingUnitIdOf } from '../units/acting.js';

/**
 * 责任倒查, presented: who acted for which unit. The registration log is never rewritten; what it stored is read
 * here as the contract describes a trace step:
 * - `unitId`: the unit the acting person acted for (their own unit, or the area their office acts for);
 * - `actorUnitId`: their own unit; `asRole`: the role they acted in;
 * - `toUnitId`: where the step went (a report arriving at an intake).
 *
 * Two entries store another unit than the actor's: `report_arrived` stores the destination (the sender's person
 * is the actor), and `phone_recorded` stores the caller's unit (the receiving office's person is the actor).
 */
export interface TraceLogRow {
  action: string;
  unit_id: string | null;
  actor_id: string | null;
  data: Record<string, any> | null;
  entity_id: string | null;
  entity_type: string | null;
  /** the actor's own unit (users.unit_id), its kind and parent */
  actor_unit_id: string | null;
  actor_unit_kind: string | null;
  actor_unit_parent_id: string | null;
  actor_roles: string[] | null;
}

export interface PresentedStep {
  unitId: string | null;
  actorUnitId: string | null;
  asRole: string | null;
  toUnitId: string | null;
}

const WRITING = ['reporter', 'editor', 'duty_officer', 'duty_leader', 'approver', 'principal', 'leader'];
const RECEIVING = ['duty_officer', 'editor', 'duty_leader', 'reporter', 'principal', 'approver', 'leader'];
const LEADING = ['leader', 'principal', 'approver', 'duty_leader', 'editor', 'duty_officer', 'reporter'];

/** The roles, in preference, a person acts in for each kind of step (the first they hold is taken). */
const ROLE_PREFERENCE: Record<string, string[]> = {
  event_registered: WRITING,
  event_changed: WRITING,
  report_drafted: WRITING,
  report_edited: WRITING,
  report_amended: WRITING,
  report_submitted: WRITING,
  attachment_added: WRITING,
  phone_recorded: RECEIVING,
  signed: RECEIVING,
  acknowledged: RECEIVING,
  verified: RECEIVING,
  site_contacted: RECEIVING,
  requested: ['editor', 'duty_officer', 'duty_leader', 'leader', 'principal', 'approver', 'reporter'],
  report_returned: ['approver', 'principal', 'duty_leader'],
  instruction_given: LEADING,
  instruction_acknowledged: WRITING,
  instruction_feedback: WRITING,
  finding_recorded: ['editor', 'leader', 'principal', 'duty_officer', 'duty_leader'],
  events_linked: RECEIVING,
  published: WRITING,
};

/** Steps done in the same breath as the person's previous step on the report (sending after approving). */
const FOLLOWS = new Set(['report_sent', 'report_arrived']);

export function presentTraceSteps(rows: TraceLogRow[]): PresentedStep[] {
  // the role a person last acted in on a report: sending follows submitting or approving, in that role
  const lastRole = new Map<string, string>();
  return rows.map((r) => {
    const d = r.data ?? {};
    if (!r.actor_id) return { unitId: r.unit_id, actorUnitId: null, asRole: null, toUnitId: null };
    const acting = r.actor_unit_id
      ? actingUnitIdOf({
          id: r.actor_unit_id,
          kind: r.actor_unit_kind ?? '',
          parentId: r.actor_unit_parent_id,
        })
      : null;
    let unitId = r.unit_id ?? acting;
    let toUnitId: string | null = null;
    if (r.action === 'report_arrived') {
      unitId = (d.fromUnitId as string | undefined) ?? acting ?? r.unit_id;
      toUnitId = (d.toUnitId as string | undefined) ?? r.unit_id;
    } else if (r.action === 'phone_recorded') {
      unitId = acting ?? r.unit_id;
    }
    const reportId =
      r.entity_type === 'report' ? r.entity_id : ((d.reportId as string | undefined) ?? r.entity_id ?? '');
    const key = `${r.actor_id}|${reportId}`;
    const roles = r.actor_roles ?? [];
    let asRole: string | null = null;
    if (r.action === 'report_approved' && typeof d.asRole === 'string') asRole = d.asRole;
    else if (r.action === 'report_countersigned' && Array.isArray(d.steps) && d.steps.length)
      asRole = String(d.steps[0]);
    else if (FOLLOWS.has(r.action) && lastRole.has(key)) asRole = lastRole.get(key)!;
    else {
      const pref = ROLE_PREFERENCE[r.action] ?? WRITING;
      asRole = pref.find((p) => roles.includes(p)) ?? roles[0] ?? null;
    }
    if (asRole && reportId) lastRole.set(key, asRole);
    return { unitId, actorUnitId: r.actor_unit_id, asRole, toUnitId };
  });
}
