import { registerDefaultRuleSet } from '../../floor/rule-sets.js';
import { beijingParts } from '../../floor/working-hours.js';
import { subClassOf } from './categories.js';
import { type Casualties, totalCasualties } from './elements.js';

/** 七个必报: rule ids as in the API contract. */
export const MUST_REPORT_RULE_IDS = [
  'statutory',
  'serious',
  'mass_incident',
  'special_persons',
  'sensitive',
  'may_escalate',
  'requested',
] as const;
export type MustReportRuleId = (typeof MUST_REPORT_RULE_IDS)[number];

export interface MustReportRuleSet {
  rules: Array<{ id: MustReportRuleId; name: string; nameEn: string; enabled: boolean }>;
  /** sub-classes that are serious in nature */
  seriousSubclasses: string[];
  /** sub-classes serious only when there are casualties (e.g. fire) */
  seriousWithCasualties: string[];
  /** keywords of sensitive places matched against the address */
  sensitivePlaces: string[];
  /** sensitive dates/periods: `MM-DD` (every year) or `YYYY-MM-DD` */
  sensitivePeriods: Array<{ name: string; from: string; to: string }>;
}

export const DEFAULT_MUST_REPORT: MustReportRuleSet = {
  rules: [
    { id: 'statutory', name: '达到报送标准', nameEn: 'Meets the statutory standard', enabled: true },
    { id: 'serious', name: '性质严重', nameEn: 'Serious in nature', enabled: true },
    { id: 'mass_incident', name: '重大群体性事件', nameEn: 'Major mass incident', enabled: true },
    { id: 'special_persons', name: '人员身份特殊', nameEn: 'Special persons involved', enabled: true },
    { id: 'sensitive', name: '敏感时间、敏感地点', nameEn: 'Sensitive time or place', enabled: true },
    { id: 'may_escalate', name: '可能演变', nameEn: 'May escalate', enabled: true },
    { id: 'requested', name: '上级调度', nameEn: 'Requested by a higher office', enabled: true },
  ],
  seriousSubclasses: ['11B00', '11C00', '12D00', '12E00', '13A00', '13C00', '14C00'],
  seriousWithCasualties: ['12G00'],
  sensitivePlaces: ['天安门', '广场', '党政机关', '政府大门', '市委大门', '纪念馆', '纪念碑', '烈士陵园'],
  sensitivePeriods: [],
};
registerDefaultRuleSet('must_report', DEFAULT_MUST_REPORT);

export interface EventFlags {
  specialPersons?: string[];
  sensitivePlace?: boolean;
  sensitiveTime?: boolean;
  massIncident?: boolean;
  mayEscalate?: boolean;
  publicOpinion?: boolean;
}

export interface MustReportInput {
  level: string | null;
  categoryCode: string;
  casualties: Casualties;
  flags: EventFlags;
  address: string;
  occurredAt: Date;
  requested: boolean;
}

export interface MustReportResult {
  required: boolean;
  rules: MustReportRuleId[];
  ruleSetVersion: number;
}

function inPeriod(occurredAt: Date, p: { from: string; to: string }): boolean {
  const { date } = beijingParts(occurredAt);
  if (p.from.length === 5) {
    const md = date.slice(5);
    return p.from <= p.to ? md >= p.from && md <= p.to : md >= p.from || md <= p.to;
  }
  return date >= p.from && date <= p.to;
}

/** Which of the seven must-report rules fire for an event (pure). */
export function evaluateMustReport(
  e: MustReportInput,
  rs: MustReportRuleSet,
  version: number,
): MustReportResult {
  const enabled = new Set(rs.rules.filter((r) => r.enabled).map((r) => r.id));
  const fired: MustReportRuleId[] = [];
  const sub = subClassOf(e.categoryCode);
  const f = e.flags ?? {};
  const checks: Record<MustReportRuleId, () => boolean> = {
    statutory: () => e.level !== null && e.level !== undefined,
    serious: () =>
      rs.seriousSubclasses.includes(sub) ||
      (rs.seriousWithCasualties.includes(sub) && totalCasualties(e.casualties) > 0),
    mass_incident: () => !!f.massIncident,
    special_persons: () => (f.specialPersons ?? []).length > 0,
    sensitive: () =>
      !!f.sensitivePlace ||
      !!f.sensitiveTime ||
      !!f.publicOpinion ||
      rs.sensitivePlaces.some((k) => k && e.address.includes(k)) ||
      rs.sensitivePeriods.some((p) => inPeriod(e.occurredAt, p)),
    may_escalate: () => !!f.mayEscalate,
    requested: () => e.requested,
  };
  for (const id of MUST_REPORT_RULE_IDS) if (enabled.has(id) && checks[id]()) fired.push(id);
  return { required: fired.length > 0, rules: fired, ruleSetVersion: version };
}
