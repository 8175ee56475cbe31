/** 要素: the nine elements every written report carries (API contract). */
export const ELEMENT_NAMES = [
  'occurredAt',
  'place',
  'cause',
  'scope',
  'casualties',
  'loss',
  'measures',
  'nextSteps',
  'contact',
] as const;
export type ElementName = (typeof ELEMENT_NAMES)[number];

export const ELEMENT_LABELS: Record<ElementName, { zh: string; en: string }> = {
  occurredAt: { zh: '事发时间', en: 'time of occurrence' },
  place: { zh: '地点', en: 'place' },
  cause: { zh: '事由', en: 'what happened and why' },
  scope: { zh: '范围', en: 'scope' },
  casualties: { zh: '伤亡情况', en: 'casualties' },
  loss: { zh: '财产损失', en: 'property loss' },
  measures: { zh: '已采取和拟采取的处置措施', en: 'measures taken or planned' },
  nextSteps: { zh: '下一步处置思路', en: 'next steps' },
  contact: { zh: '报告单位、签发人及联系方式', en: 'reporting unit, signer and contact' },
};

/** Key items whose absence (still 待核实 24 h after occurrence) is 漏报 of key items. */
export const KEY_ELEMENTS: ElementName[] = ['occurredAt', 'place', 'casualties', 'loss'];

export interface Casualties {
  dead: number;
  missing: number;
  seriouslyInjured: number;
  lightlyInjured: number;
  trapped: number;
}

export const ZERO_CASUALTIES: Casualties = {
  dead: 0,
  missing: 0,
  seriouslyInjured: 0,
  lightlyInjured: 0,
  trapped: 0,
};

export const totalCasualties = (c: Partial<Casualties> | null | undefined) =>
  c
    ? (c.dead ?? 0) +
      (c.missing ?? 0) +
      (c.seriouslyInjured ?? 0) +
      (c.lightlyInjured ?? 0) +
      (c.trapped ?? 0)
    : 0;

export type Elements = Partial<{
  occurredAt: string;
  place: string;
  cause: string;
  scope: string;
  casualties: Partial<Casualties>;
  loss: string;
  measures: string;
  nextSteps: string;
  contact: string;
  correction: string; // explanation of a figure that went down or a changed time
}>;

export function present(elements: Elements, name: ElementName): boolean {
  const v = elements[name];
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim().length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/**
 * Which elements are missing without a 待核实 reason. `initial` and `final` need all nine; `followup` and
 * `verification` need at least one new element; `phone` records what was said.
 */
export function missingElements(
  kind: string,
  elements: Elements,
  pending: Record<string, string>,
): { missing: ElementName[]; empty: boolean } {
  const hasReason = (n: string) => typeof pending[n] === 'string' && pending[n].trim().length > 0;
  if (kind === 'initial' || kind === 'final') {
    return { missing: ELEMENT_NAMES.filter((n) => !present(elements, n) && !hasReason(n)), empty: false };
  }
  if (kind === 'followup' || kind === 'verification') {
    const any = ELEMENT_NAMES.some((n) => present(elements, n));
    return { missing: [], empty: !any };
  }
  return { missing: [], empty: false };
}

export interface Contradiction {
  type: 'deaths_decreased' | 'casualties_decreased' | 'occurred_at_changed';
  field: string;
  before: unknown;
  after: unknown;
  previousReportId: string;
}

/**
 * Contradictions with earlier reports of the same event: a casualty figure going down without an
 * explanation (`correction`), or a different time of occurrence.
 */
export function findContradictions(
  elements: Elements,
  earlier: Array<{ id: string; elements: Elements }>,
): Contradiction[] {
  const out: Contradiction[] = [];
  const explained = !!elements.correction?.trim();
  // the latest earlier value of each figure
  const last: Partial<Record<keyof Casualties, { v: number; id: string }>> = {};
  let lastOccurred: { v: string; id: string } | null = null;
  for (const r of earlier) {
    for (const k of Object.keys(ZERO_CASUALTIES) as (keyof Casualties)[]) {
      const v = r.elements.casualties?.[k];
      if (typeof v === 'number') last[k] = { v, id: r.id };
    }
    if (r.elements.occurredAt) lastOccurred = { v: r.elements.occurredAt, id: r.id };
  }
  if (!explained) {
    for (const k of Object.keys(ZERO_CASUALTIES) as (keyof Casualties)[]) {
      const now = elements.casualties?.[k];
      const before = last[k];
      if (typeof now === 'number' && before && now < before.v) {
        out.push({
          type: k === 'dead' ? 'deaths_decreased' : 'casualties_decreased',
          field: `casualties.${k}`,
          before: before.v,
          after: now,
          previousReportId: before.id,
        });
      }
    }
    if (elements.occurredAt && lastOccurred) {
      const a = new Date(elements.occurredAt).getTime();
      const b = new Date(lastOccurred.v).getTime();
      if (!Number.isNaN(a) && !Number.isNaN(b) && a !== b) {
        out.push({
          type: 'occurred_at_changed',
          field: 'occurredAt',
          before: lastOccurred.v,
          after: elements.occurredAt,
          previousReportId: lastOccurred.id,
        });
      }
    }
  }
  return out;
}
