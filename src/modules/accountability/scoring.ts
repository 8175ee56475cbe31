import { registerDefaultRuleSet } from '../../floor/rule-sets.js';

/**
 * 倒扣分制: the deduction table of SPEC §4 as data (rule set kind `deduction`). Pure functions only, so the
 * scoring can be unit-tested without a database.
 */
export type OffenceKind =
  | 'late' // 迟报
  | 'missed' // 漏报
  | 'concealed' // 瞒报
  | 'false' // 谎报 / 误报
  | 'duty_absent' // 值班电话无人接听、脱岗
  | 'missing_followup' // 未按要求续报
  | 'missing_element'; // 要素缺失

export const OFFENCE_KINDS: OffenceKind[] = [
  'late',
  'missed',
  'concealed',
  'false',
  'duty_absent',
  'missing_followup',
  'missing_element',
];

export const OFFENCE_ZH: Record<OffenceKind, string> = {
  late: '迟报',
  missed: '漏报',
  concealed: '瞒报',
  false: '谎报',
  duty_absent: '值班电话无人接听或脱岗',
  missing_followup: '未按要求续报',
  missing_element: '要素缺失',
};

type ByLevel = { I: number; II: number; III: number; IV: number; none: number };

export interface DeductionRuleSet {
  /** annual target score each unit starts the year with */
  annualTarget: number;
  late: { points: number; severePoints: number; severeLevels: string[]; severeOverLimitFactor: number };
  missed: ByLevel;
  concealed: ByLevel;
  false: number;
  dutyAbsent: number;
  missingFollowup: number;
  missingElement: number;
  /** a missing zero report is deducted like a late report; not sent by the end of the day: like a missed one */
  zeroReport: { late: number; missed: number };
  /** a repeat of the same offence by the same unit within the year multiplies the points */
  repeatMultiplier: number;
  /** 督办事项超期未办结 (a supervised task past its due time), per task; 0 = not deducted */
  taskOverdue: number;
  /** 隐患逾期未整改 (inspections): points per hazard not rectified by its deadline; 0 = not deducted */
  rectificationOverdue: number;
}

export const DEFAULT_DEDUCTION: DeductionRuleSet = {
  annualTarget: 100,
  late: { points: 0.5, severePoints: 1, severeLevels: ['I', 'II'], severeOverLimitFactor: 2 },
  missed: { I: 3, II: 2, III: 1.5, IV: 1, none: 1 },
  concealed: { I: 4, II: 3, III: 3, IV: 2, none: 2 },
  false: 2,
  dutyAbsent: 1,
  missingFollowup: 0.5,
  missingElement: 0.5,
  zeroReport: { late: 0.5, missed: 1 },
  repeatMultiplier: 2,
  taskOverdue: 0,
  rectificationOverdue: 0,
};
registerDefaultRuleSet('deduction', DEFAULT_DEDUCTION);

/** An edited rule set may leave fields out: fall back to the default for those. */
export function withDefaults(body: Partial<DeductionRuleSet> | null | undefined): DeductionRuleSet {
  const b = body ?? {};
  return {
    ...DEFAULT_DEDUCTION,
    ...b,
    late: { ...DEFAULT_DEDUCTION.late, ...(b.late ?? {}) },
    missed: { ...DEFAULT_DEDUCTION.missed, ...(b.missed ?? {}) },
    concealed: { ...DEFAULT_DEDUCTION.concealed, ...(b.concealed ?? {}) },
    zeroReport: { ...DEFAULT_DEDUCTION.zeroReport, ...(b.zeroReport ?? {}) },
  };
}

export interface Offence {
  kind: OffenceKind;
  /** event level: I II III IV or null (not graded) */
  level?: string | null;
  /** for late: how long the unit took, counted from the start of the limit, in multiples of the limit */
  elapsedOverLimit?: number | null;
  zeroReport?: boolean;
}

const byLevel = (t: ByLevel, level: string | null | undefined) =>
  t[(level && level in t ? level : 'none') as keyof ByLevel];

/** The points of one offence before the repeat rule. */
export function basePoints(rs: DeductionRuleSet, o: Offence): number {
  switch (o.kind) {
    case 'late':
      if (o.zeroReport) return rs.zeroReport.late;
      if (
        (o.level && rs.late.severeLevels.includes(o.level)) ||
        (o.elapsedOverLimit ?? 0) > rs.late.severeOverLimitFactor
      )
        return rs.late.severePoints;
      return rs.late.points;
    case 'missed':
      return o.zeroReport ? rs.zeroReport.missed : byLevel(rs.missed, o.level);
    case 'concealed':
      return byLevel(rs.concealed, o.level);
    case 'false':
      return rs.false;
    case 'duty_absent':
      return rs.dutyAbsent;
    case 'missing_followup':
      return rs.missingFollowup;
    case 'missing_element':
      return rs.missingElement;
  }
}

/** `prior` = how many offences of this kind the unit already had this year. */
export function deductionPoints(rs: DeductionRuleSet, o: Offence, prior: number): number {
  const p = basePoints(rs, o) * (prior > 0 ? rs.repeatMultiplier : 1);
  return Math.round(p * 100) / 100;
}

/** Competition ranking (1, 2, 2, 4 …) by score, highest first. */
export function rankByScore<T extends { score: number }>(rows: T[]): Array<T & { rank: number }> {
  const sorted = [...rows].sort((a, b) => b.score - a.score);
  let rank = 0;
  let prev: number | null = null;
  return sorted.map((r, i) => {
    if (prev === null || r.score !== prev) rank = i + 1;
    prev = r.score;
    return { ...r, rank };
  });
}
