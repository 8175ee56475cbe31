import { registerDefaultRuleSet } from '../../floor/rule-sets.js';

/**
 * 时限表 as data. A row applies to a reporting unit class (an area level, or a non-area kind) and a set of
 * event levels (null = ungraded but must-report), optionally only to categories with given prefixes. Rows
 * do not overlap: one row per (from, level); a category-keyed row wins over a generic one.
 */
export interface TimelinessRow {
  key: string;
  name: string;
  from: string[]; // township | county | city | province | department | emergency_office | enterprise
  levels: Array<string | null>;
  categories?: string[]; // code prefixes, e.g. ["12"] for accidents
  phoneMinutes: number | null;
  writtenMinutes: number | null;
  basis?: 'occurrence' | 'arrival'; // count from occurrence (default) or from arrival of the report below
}

export interface TimelinessRuleSet {
  rows: TimelinessRow[];
  missedAfterMinutes: number; // 漏报 after 24 h by default
  reminderFractions: number[]; // remind at 50 % and 80 % of a limit
  followUpMinutes: { I: number; II: number; III: number; activeResponse: number };
  supplementDays: { default: number; roadTrafficAndFire: number };
  keyItemsCheckMinutes: number; // key items still 待核实 after this → 漏报 finding
}

const LOWEST = ['township', 'department', 'emergency_office', 'enterprise'];

export const DEFAULT_TIMELINESS: TimelinessRuleSet = {
  rows: [
    {
      key: 'lowest-major',
      name: '乡镇、部门、应急办、企业 · Ⅰ/Ⅱ级',
      from: LOWEST,
      levels: ['I', 'II'],
      phoneMinutes: 10,
      writtenMinutes: 20,
    },
    {
      key: 'lowest-large',
      name: '乡镇、部门、应急办、企业 · Ⅲ级',
      from: LOWEST,
      levels: ['III'],
      phoneMinutes: 30,
      writtenMinutes: 30,
    },
    {
      key: 'lowest-ordinary',
      name: '乡镇、部门、应急办、企业 · Ⅳ级或未分级必报',
      from: LOWEST,
      levels: ['IV', null],
      phoneMinutes: null,
      writtenMinutes: 60,
    },
    {
      key: 'county',
      name: '县（区）→ 市 · 必报信息',
      from: ['county'],
      levels: ['I', 'II', 'III', 'IV', null],
      phoneMinutes: 60,
      writtenMinutes: 120,
    },
    {
      key: 'city',
      name: '市 → 省 · Ⅰ/Ⅱ级',
      from: ['city'],
      levels: ['I', 'II'],
      phoneMinutes: null,
      writtenMinutes: 180,
    },
    {
      key: 'province',
      name: '省 → 中央 · Ⅰ/Ⅱ级',
      from: ['province'],
      levels: ['I', 'II'],
      phoneMinutes: null,
      writtenMinutes: 360,
    },
  ],
  missedAfterMinutes: 24 * 60,
  reminderFractions: [0.5, 0.8],
  followUpMinutes: { I: 12 * 60, II: 12 * 60, III: 24 * 60, activeResponse: 120 },
  supplementDays: { default: 30, roadTrafficAndFire: 7 },
  keyItemsCheckMinutes: 24 * 60,
};
registerDefaultRuleSet('timeliness', DEFAULT_TIMELINESS);

export function findRow(
  rs: TimelinessRuleSet,
  unitClass: string,
  level: string | null,
  categoryCode: string,
) {
  const candidates = rs.rows.filter((r) => r.from.includes(unitClass) && r.levels.includes(level ?? null));
  return (
    candidates.find((r) => r.categories?.some((p) => categoryCode.startsWith(p))) ??
    candidates.find((r) => !r.categories || r.categories.length === 0) ??
    null
  );
}
