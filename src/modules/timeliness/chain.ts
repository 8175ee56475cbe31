import { findRow, type TimelinessRow, type TimelinessRuleSet } from './rules.js';

export interface ChainUnit {
  id: string;
  kind: string;
  level: string | null;
  parentId: string | null;
  path: string[];
}

export interface ChainLink {
  from: ChainUnit;
  toId: string;
  row: TimelinessRow;
}

/** The class a unit reports as: an area by its level, any other unit by its kind. */
export const unitClass = (u: ChainUnit) => (u.kind === 'area' ? (u.level ?? 'area') : u.kind);

/**
 * The reporting chain (API contract): the responsible unit, then each area above it as far as the rules and
 * the tree reach. A non-area unit reports to its own area; an area to its parent area.
 */
export function reportingChain(
  responsible: ChainUnit,
  unitsById: Map<string, ChainUnit>,
  rs: TimelinessRuleSet,
  level: string | null,
  categoryCode: string,
): ChainLink[] {
  const links: ChainLink[] = [];
  let cur: ChainUnit | undefined = responsible;
  const seen = new Set<string>();
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    if (!cur.parentId) break; // the tree ends
    const row = findRow(rs, unitClass(cur), level, categoryCode);
    if (!row) break; // the rules end (e.g. Ⅲ/Ⅳ stop at the city)
    const parent = unitsById.get(cur.parentId);
    if (!parent) break;
    links.push({ from: cur, toId: parent.id, row });
    // a non-area unit's report goes to its area; the area then reports on
    cur = parent.kind === 'area' ? parent : undefined;
  }
  return links;
}

export interface DesiredDeadline {
  fromUnitId: string;
  toUnitId: string;
  channel: 'phone' | 'written';
  limitMinutes: number;
  ruleRow: string;
  basis: 'occurrence' | 'arrival';
}

export function desiredDeadlines(links: ChainLink[]): DesiredDeadline[] {
  const out: DesiredDeadline[] = [];
  for (const l of links) {
    for (const channel of ['phone', 'written'] as const) {
      const m = channel === 'phone' ? l.row.phoneMinutes : l.row.writtenMinutes;
      if (m === null || m === undefined) continue;
      out.push({
        fromUnitId: l.from.id,
        toUnitId: l.toId,
        channel,
        limitMinutes: m,
        ruleRow: l.row.key,
        basis: l.row.basis ?? 'occurrence',
      });
    }
  }
  return out;
}

/**
 * 信息倒挂: the units of the chain below the unit that registered the event which had not yet reported
 * when it was registered. A non-area registrar counts at its area's place ("another department knew first").
 */
export function invertedFlowUnits(
  chainUnits: ChainUnit[],
  registrar: ChainUnit,
  reportedUnitIds: Set<string>,
): string[] {
  if (chainUnits.length === 0 || chainUnits[0].id === registrar.id) return [];
  const anchorId = registrar.kind === 'area' || !registrar.parentId ? registrar.id : registrar.parentId;
  return chainUnits
    .filter((u) => u.id !== anchorId && u.id !== registrar.id && u.path.includes(anchorId))
    .map((u) => u.id)
    .filter((id) => !reportedUnitIds.has(id));
}
