import { type SQL, sql } from 'drizzle-orm';
import { type Actor, hasRole, type Role } from '../../floor/context.js';
import { forbidden } from '../../floor/errors.js';
import { definePolicy } from '../../floor/policy.js';
import { areaIdOf } from '../units/acting.js';

/**
 * Who may see and do what with events and reports — the emergency module's one policy. Every route and query of
 * the module asks here; nothing else decides.
 *
 * - **Events** are registered and changed by people with a reporting role, for units in the area they act for
 *   (its subtree). The `admin` role administers units and people; it neither registers events nor widens the
 *   area a person may register them for.
 * - **Reports not yet sent** (draft, awaiting approval, returned) are seen only by the unit that writes them —
 *   not by the units above, their leaders, duty officers or administrators. With them go everything about them:
 *   their attachments, their entries on the timeline and in the registration log, their live messages. Once
 *   sent (or recorded from a phone call) a report is seen by everyone who sees its event.
 */

/** Roles that register events and write reports. */
export const REPORTING_ROLES = [
  'reporter',
  'editor',
  'duty_officer',
  'duty_leader',
  'approver',
  'principal',
  'leader',
] as const satisfies readonly Role[];

/** Statuses in which a report has left its unit. */
export const SENT_STATUSES = ['sent', 'recorded'] as const;
/** Statuses in which a report's unit may still change it (and attach files). */
export const EDITABLE_STATUSES = ['draft', 'returned'] as const;

type ReportRef = { unit_id: string; status: string };

export const canRegisterEvents = (a: Actor | null): a is Actor => hasRole(a, ...REPORTING_ROLES);

/** Registering or changing events: a reporting role is needed (`admin` alone is not one). */
export function requireEventWriter(a: Actor | null): asserts a is Actor {
  if (!canRegisterEvents(a)) throw forbidden('cannot_register_events', { requiredRoles: REPORTING_ROLES });
}

/** The area a person registers events for: the area the unit it acts for belongs to (an office's area). */
export const registrationArea = (a: Actor) =>
  areaIdOf({ id: a.acting.id, kind: a.acting.kind, parentId: a.acting.parentId });

/** A unit (by its path) may be made responsible for an event by this person: it lies in their area. */
export const mayMakeResponsible = (a: Actor, unitPath: string[]) => unitPath.includes(registrationArea(a));

/** The report (and what belongs to it) is visible to this person: sent, or written by the unit they act for. */
export const canSeeReport = (a: Actor, r: ReportRef) =>
  (SENT_STATUSES as readonly string[]).includes(r.status) || r.unit_id === a.acting.id;

/** The person may attach files to the report: their unit's, and not yet submitted (draft or returned). */
export function attachDecision(a: Actor, r: ReportRef): 'ok' | 'not_found' | 'not_editable' {
  if (r.unit_id !== a.acting.id) return 'not_found';
  if (!(EDITABLE_STATUSES as readonly string[]).includes(r.status)) return 'not_editable';
  return 'ok';
}

/** SQL: the report aliased `alias` is visible to the person (see `canSeeReport`). */
export function reportVisibleSql(a: Actor, alias = 'r'): SQL {
  const col = (c: string) => sql.raw(`${alias}.${c}`);
  return sql`(${col('status')} in ('sent', 'recorded') or ${col('unit_id')} = ${a.acting.id})`;
}

/**
 * SQL: the registration-log entry aliased `alias` may be shown to the person. An entry about a report (the
 * report itself, or anything carrying its `reportId`, such as an attachment) is shown only while the report is
 * visible — decided now, from the report's present status; the log itself is never rewritten.
 */
export function logEntryVisibleSql(a: Actor, alias = 'l'): SQL {
  const col = (c: string) => sql.raw(`${alias}.${c}`);
  const ref = sql`coalesce(case when ${col('entity_type')} = 'report' then ${col('entity_id')} end, ${col('data')}->>'reportId')`;
  return sql`not exists (select 1 from reports hidden_r
    where hidden_r.id = case when ${ref} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then (${ref})::uuid end
      and not ${reportVisibleSql(a, 'hidden_r')})`;
}

/**
 * The declared actions of the emergency routes converted so far (the rest of the module still decides in its
 * services and is listed in `UNDECLARED_PREFIXES`): the category tree, the proposed level and one's inbox are for
 * every signed-in person.
 */
export const emergencyPolicy = definePolicy('emergency', {
  readCategories: { roles: 'signed-in' },
  proposeLevel: { roles: 'signed-in' },
  /** the requests and reports waiting for the unit one acts for */
  inbox: { roles: 'signed-in' },
});
