import type { Ctx } from '../../floor/context.js';
import { badRequest, notFound } from '../../floor/errors.js';
import { definePolicy } from '../../floor/policy.js';
import { ELEMENT_NAMES, type ElementName, type Elements } from './elements.js';
import { getVisibleEvent } from './emergency.repo.js';
import { countyReportsOf, type UpwardSource, upwardSources, upwardWriter } from './upward.repo.js';

export type { UpwardSource };

/**
 * 转报上级: the receiving level reports upward from what arrived. The draft copies the nine elements of the
 * source report(s) — a signed arrival or a phone record — and makes only the reporting unit, the signer and the
 * contact the level's own. Several arrivals merge: per element the latest report wins, and where units disagree
 * their values are returned side by side for the user to confirm; casualties are never summed.
 */
export const upwardPolicy = definePolicy('upward', {
  /** Compose the level's report from arrivals: the roles that write reports. */
  draft: { roles: ['reporter', 'editor', 'duty_officer', 'duty_leader', 'approver', 'principal'] },
});

export interface ConflictValue {
  reportId: string;
  unitId: string;
  unitName: string;
  value: unknown;
  at: Date;
}

export interface UpwardComposition {
  elements: Elements;
  pendingElements: Record<string, string>;
  /** Elements on which units disagree: each unit's latest value, oldest first (the chosen one last). */
  conflicts: Partial<Record<ElementName, ConflictValue[]>>;
  /** For each element, the report its value was taken from. */
  takenFrom: Partial<Record<ElementName, string>>;
}

const present = (v: unknown) =>
  v !== undefined &&
  v !== null &&
  !(typeof v === 'string' && !v.trim()) &&
  !(typeof v === 'object' && !Object.keys(v as object).length);

/** Casualty objects compare by their five figures (missing figures are 0); strings by trimmed text. */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'object' && a && typeof b === 'object' && b) {
    const keys = ['dead', 'missing', 'seriouslyInjured', 'lightlyInjured', 'trapped'];
    return keys.every((k) => ((a as any)[k] ?? 0) === ((b as any)[k] ?? 0));
  }
  if (typeof a === 'string' && typeof b === 'string') {
    const ta = Date.parse(a);
    const tb = Date.parse(b);
    if (/^\d{4}-\d\d-\d\dT/.test(a) && /^\d{4}-\d\d-\d\dT/.test(b) && !Number.isNaN(ta)) return ta === tb;
    return a.trim() === b.trim();
  }
  return a === b;
}

/**
 * The merge (pure): per element the latest source that carries it wins; units whose latest values differ are
 * listed as a conflict. An element no source carries keeps the latest source's 待核实 reason. `contact` is never
 * copied: it becomes the level's own.
 */
export function composeUpward(sources: UpwardSource[], contact: string): UpwardComposition {
  const ordered = [...sources].sort((a, b) => a.at.getTime() - b.at.getTime());
  const elements: Elements = {};
  const pendingElements: Record<string, string> = {};
  const conflicts: UpwardComposition['conflicts'] = {};
  const takenFrom: UpwardComposition['takenFrom'] = {};
  for (const name of ELEMENT_NAMES) {
    if (name === 'contact') continue;
    // the latest value of each unit (a unit's later report supersedes its own earlier one)
    const perUnit = new Map<string, ConflictValue>();
    for (const s of ordered) {
      const v = (s.elements as Record<string, unknown>)[name];
      if (present(v))
        perUnit.set(s.unitId, {
          reportId: s.reportId,
          unitId: s.unitId,
          unitName: s.unitName,
          value: v,
          at: s.at,
        });
    }
    const values = [...perUnit.values()].sort((a, b) => a.at.getTime() - b.at.getTime());
    const latest = values[values.length - 1];
    if (latest) {
      (elements as Record<string, unknown>)[name] = latest.value;
      takenFrom[name] = latest.reportId;
      if (values.some((v) => !sameValue(v.value, latest.value))) conflicts[name] = values;
    } else {
      const reason = [...ordered].reverse().find((s) => s.pendingElements?.[name])?.pendingElements[name];
      if (reason) pendingElements[name] = reason;
    }
  }
  elements.contact = contact;
  return { elements, pendingElements, conflicts, takenFrom };
}

/** The level's contact line: its office's duty phone, the person and their phone. */
export function upwardContact(w: {
  unitName: string;
  dutyPhone: string | null;
  userName: string;
  phone: string | null;
}) {
  const phones = [
    w.dutyPhone ? `值班电话 ${w.dutyPhone}` : null,
    w.phone && w.phone !== w.dutyPhone ? w.phone : null,
  ]
    .filter(Boolean)
    .join('，');
  return `${w.unitName} ${w.userName}${phones ? `（${phones}）` : ''}`;
}

/** GET /api/events/{id}/reports/upward-draft: the level's own report composed from what reached it. */
export async function upwardDraft(ctx: Ctx, eventId: string, sourceReportIds: string[] | null) {
  const actor = ctx.actor!;
  const ev = await getVisibleEvent(ctx, eventId);
  if (!ev) throw notFound();
  const ids = sourceReportIds ? [...new Set(sourceReportIds)] : null;
  const sources = await upwardSources(ctx, eventId, actor.acting.id, ids);
  if (ids && sources.length !== ids.length) throw badRequest('source_reports_invalid');
  if (!sources.length) throw badRequest('no_source_reports');
  const writer = await upwardWriter(ctx);
  const contact = upwardContact(writer);
  const c = composeUpward(sources, contact);
  const own = await countyReportsOf(ctx, eventId, actor.acting.id);
  const kind: 'initial' | 'followup' = own.some((r) => r.kind !== 'phone' && r.status === 'sent')
    ? 'followup'
    : 'initial';
  return {
    eventId,
    unitId: actor.acting.id,
    unitName: actor.acting.name,
    kind,
    elements: c.elements,
    pendingElements: c.pendingElements,
    sourceReportIds: sources.map((s) => s.reportId),
    conflicts: Object.fromEntries(
      Object.entries(c.conflicts).map(([k, vs]) => [
        k,
        (vs ?? []).map((v) => ({
          reportId: v.reportId,
          unitId: v.unitId,
          unitName: v.unitName,
          value: v.value,
        })),
      ]),
    ),
    takenFrom: c.takenFrom,
    signer: { userId: actor.id, name: actor.name },
    contact,
    fastTrack: ev.level === 'I' || ev.level === 'II',
    level: ev.level,
    draftsInProgress: own.filter((r) => r.status === 'draft' || r.status === 'returned').map((r) => r.id),
    sources: sources.map((s) => ({
      reportId: s.reportId,
      unitId: s.unitId,
      unitName: s.unitName,
      kind: s.kind,
      at: s.at,
    })),
  };
}
