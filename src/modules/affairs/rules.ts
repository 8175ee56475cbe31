import type { ScoringRuleSet } from '../../floor/rule-sets.scoring.js';

/**
 * 政务信息 rules as plain functions over data (unit-tested in rules.test.ts): a commission's status by the clock,
 * the points of an adoption or an instruction from the `scoring` rule set, where an issue of a publication adopts,
 * the Beijing year an issue is numbered in, and the period of a score table.
 */

export const PIECE_KINDS = [
  'dynamic', // 动态
  'experience', // 经验
  'problem', // 问题
  'suggestion', // 建议
  'public_sentiment', // 社情民意
  'online_opinion', // 舆情
] as const;
export type PieceKind = (typeof PIECE_KINDS)[number];

export const PIECE_STATUSES = [
  'draft',
  'awaiting_approval',
  'returned',
  'sent',
  'returned_by_section',
] as const;
export type PieceStatus = (typeof PIECE_STATUSES)[number];

export const WHERES = [
  'own_daily',
  'own_short',
  'city_daily',
  'city_short',
  'city_special',
  'province_bulletin',
  'province_special',
  'centre_forwarded',
  'centre_adopted',
] as const;
export type Where = (typeof WHERES)[number];

export const LEADER_LEVELS = ['county', 'city', 'province', 'centre'] as const;
export type LeaderLevel = (typeof LEADER_LEVELS)[number];

export const PUBLICATION_KINDS = ['daily', 'special', 'public_sentiment'] as const;
export type PublicationKind = (typeof PUBLICATION_KINDS)[number];

export const COMMISSION_STATUSES = ['open', 'delivered', 'late', 'missed'] as const;
export type CommissionStatus = (typeof COMMISSION_STATUSES)[number];

export const HOUR = 3_600_000;
/** A commission not delivered within this long after its due time is missed (final). */
export const MISSED_AFTER_MS = 24 * HOUR;

/** When a commission counts as delivered: the first send of a piece for it, or an offline delivery recorded. */
export function deliveredAt(c: { firstSentAt: Date | null; offlineDeliveredAt: Date | null }): Date | null {
  const times = [c.firstSentAt, c.offlineDeliveredAt].filter((d): d is Date => !!d);
  if (times.length === 0) return null;
  return new Date(Math.min(...times.map((d) => d.getTime())));
}

/**
 * 约稿 status (API contract): delivered by `dueAt` → `delivered`; after it but within 24 h → `late`; not within
 * 24 h → `missed`, final (a later piece does not undo it). Undelivered before `dueAt` → `open`; from `dueAt` until
 * 24 h after → `open` with `overdue`.
 */
export function commissionStatus(
  c: { dueAt: Date; firstSentAt: Date | null; offlineDeliveredAt: Date | null },
  now: Date,
): { status: CommissionStatus; overdue: boolean; deliveredAt: Date | null; judgedAt: Date | null } {
  const due = c.dueAt.getTime();
  const d = deliveredAt(c);
  if (d) {
    const t = d.getTime();
    if (t <= due) return { status: 'delivered', overdue: false, deliveredAt: d, judgedAt: d };
    if (t <= due + MISSED_AFTER_MS) return { status: 'late', overdue: false, deliveredAt: d, judgedAt: d };
    return { status: 'missed', overdue: false, deliveredAt: d, judgedAt: new Date(due + MISSED_AFTER_MS) };
  }
  const n = now.getTime();
  if (n < due) return { status: 'open', overdue: false, deliveredAt: null, judgedAt: null };
  if (n <= due + MISSED_AFTER_MS) return { status: 'open', overdue: true, deliveredAt: null, judgedAt: null };
  return { status: 'missed', overdue: false, deliveredAt: null, judgedAt: new Date(due + MISSED_AFTER_MS) };
}

/** Points of one adoption (frozen on the adoption with the rule set's version). */
export const adoptionPoints = (rules: ScoringRuleSet, where: Where): number => rules.adoption[where] ?? 0;

/** Points of one leader instruction by the leader's level (once per level per piece). */
export const instructionPoints = (rules: ScoringRuleSet, level: LeaderLevel): number =>
  rules.instruction[level] ?? 0;

/** What a late or missed commission costs the commissioned unit (negative), 0 otherwise. */
export function commissionPoints(rules: ScoringRuleSet, status: CommissionStatus): number {
  if (status === 'late') return rules.commission.late;
  if (status === 'missed') return rules.commission.missed;
  return 0;
}

/** Where composing an issue of one's own publication adopts its pieces: a daily (要情/政务信息) → `own_daily`. */
export function whereOfPublication(kind: PublicationKind): Where {
  // 专报 and 社情民意 of the section's own are adopted like its daily: the table has no own-special row
  void kind;
  return 'own_daily';
}

const BEIJING_MS = 8 * HOUR;
/** The Beijing calendar year of an instant (issues are numbered per Beijing year). */
export const beijingYear = (d: Date): number => new Date(d.getTime() + BEIJING_MS).getUTCFullYear();

/** The start of a Beijing calendar day (`2026-01-01` → 2025-12-31T16:00Z). */
export const startOfBeijingDay = (date: string): Date => new Date(Date.parse(`${date}T00:00:00+08:00`));

/**
 * The period of a score table: `from`/`to` as dates (Beijing days, `to` inclusive) or date-times (`to`
 * exclusive); by default the Beijing year of `now`. Returns [from, to).
 */
export function scorePeriod(now: Date, from?: string, to?: string): { from: Date; to: Date } {
  const y = beijingYear(now);
  const f = from
    ? from.length === 10
      ? startOfBeijingDay(from)
      : new Date(from)
    : startOfBeijingDay(`${y}-01-01`);
  const t = to
    ? to.length === 10
      ? new Date(startOfBeijingDay(to).getTime() + 24 * HOUR)
      : new Date(to)
    : startOfBeijingDay(`${y + 1}-01-01`);
  return { from: f, to: t };
}

export interface ScoreFacts {
  adoptions: Array<{ unitId: string; userId: string; pieceId: string; points: number; at: Date }>;
  instructions: Array<{ unitId: string; userId: string; pieceId: string; points: number; at: Date }>;
  commissions: Array<{ unitId: string; points: number; at: Date }>;
  /** `sameDay`: first sent on the Beijing day of what it reports (null: no event date) */
  sent: Array<{ unitId: string; userId: string; pieceId: string; at: Date; sameDay?: boolean | null }>;
}

export interface ScoreRow {
  id: string;
  points: number;
  pieces: number;
  adopted: number;
  adoptionRate: number;
  /** 当天报送: share of the period's pieces with an event date that were sent that same day (null: none dated) */
  sameDayRate: number | null;
}

/**
 * 积分: per unit (the unit the author acts for; commission deductions to the unit only) or per person (the
 * drafter), over [from, to) by the time of adoptions, instructions and commission judgements; pieces = pieces
 * first sent in the period; adoption rate (录用率) = those of them adopted anywhere / pieces. Every id in `ids`
 * is listed, zeros included, highest points first.
 */
export function scoreTable(
  facts: ScoreFacts,
  by: 'unit' | 'person',
  ids: string[],
  period: { from: Date; to: Date },
): ScoreRow[] {
  const inP = (d: Date) => d.getTime() >= period.from.getTime() && d.getTime() < period.to.getTime();
  const key = (r: { unitId: string; userId?: string }) => (by === 'unit' ? r.unitId : (r.userId ?? ''));
  const rows = new Map<string, ScoreRow>();
  const row = (id: string) => {
    let r = rows.get(id);
    if (!r) {
      r = { id, points: 0, pieces: 0, adopted: 0, adoptionRate: 0, sameDayRate: null };
      rows.set(id, r);
    }
    return r;
  };
  for (const id of ids) row(id);
  for (const a of [...facts.adoptions, ...facts.instructions]) if (inP(a.at)) row(key(a)).points += a.points;
  if (by === 'unit') for (const c of facts.commissions) if (inP(c.at)) row(c.unitId).points += c.points;
  const adoptedPieces = new Set(facts.adoptions.map((a) => a.pieceId));
  const dated = new Map<string, { n: number; same: number }>();
  for (const s of facts.sent)
    if (inP(s.at)) {
      const k = key(s);
      const r = row(k);
      r.pieces++;
      if (adoptedPieces.has(s.pieceId)) r.adopted++;
      if (s.sameDay !== undefined && s.sameDay !== null) {
        const d = dated.get(k) ?? { n: 0, same: 0 };
        d.n++;
        if (s.sameDay) d.same++;
        dated.set(k, d);
      }
    }
  const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
  for (const r of rows.values()) {
    r.adoptionRate = r.pieces ? ratio(r.adopted, r.pieces) : 0;
    const d = dated.get(r.id);
    r.sameDayRate = d?.n ? ratio(d.same, d.n) : null;
  }
  return [...rows.values()].sort((a, b) => b.points - a.points);
}

// ---- quality warnings before adopting (质量提示) ----------------------------------------------------------------

export type QualityWarning =
  | { code: 'stale_year'; years: number[] }
  | { code: 'media_first'; mediaReportedAt: string }
  | { code: 'good_news_only'; share: number; pieces: number };

/** Kinds that report problems rather than achievements (问题、社情民意、舆情). */
export const PROBLEM_KINDS: readonly PieceKind[] = ['problem', 'public_sentiment', 'online_opinion'];
/** 只报喜不报忧: below this share of problem kinds over a quarter, with at least `minPieces` pieces. */
export const GOOD_NEWS_ONLY = { share: 0.2, minPieces: 5 };

/**
 * Four-digit years earlier than the year of what the piece reports, outside quotation marks: figures that may be
 * stale (a 2024 figure in a piece about 2026). Years inside “…”, "…", 「…」 or 《…》 are quotations and titles.
 */
export function staleYears(text: string, eventDate: string | null): number[] {
  if (!eventDate) return [];
  const year = Number(eventDate.slice(0, 4));
  const unquoted = text.replace(/“[^”]*”|"[^"]*"|「[^」]*」|《[^》]*》/g, ' ');
  const found = new Set<number>();
  for (const m of unquoted.matchAll(/(?<!\d)(19\d{2}|20\d{2})(?!\d)/g)) {
    const y = Number(m[1]);
    if (y < year) found.add(y);
  }
  return [...found].sort();
}

/** The warnings an editor sees before adopting a piece. */
export function qualityWarnings(p: {
  text: string;
  eventDate: string | null;
  mediaReportedAt: Date | null;
  firstSentAt: Date | null;
  unitQuarter: { pieces: number; problemPieces: number };
}): QualityWarning[] {
  const out: QualityWarning[] = [];
  const years = staleYears(p.text, p.eventDate);
  if (years.length) out.push({ code: 'stale_year', years });
  // 信息倒挂: the media reported the matter before the piece reached the section
  if (p.mediaReportedAt && (!p.firstSentAt || p.mediaReportedAt.getTime() < p.firstSentAt.getTime()))
    out.push({ code: 'media_first', mediaReportedAt: p.mediaReportedAt.toISOString() });
  const { pieces, problemPieces } = p.unitQuarter;
  if (pieces >= GOOD_NEWS_ONLY.minPieces && problemPieces / pieces < GOOD_NEWS_ONLY.share)
    out.push({ code: 'good_news_only', share: Math.round((problemPieces / pieces) * 1000) / 1000, pieces });
  return out;
}

/** The Beijing calendar quarter [from, to) an instant lies in. */
export function beijingQuarter(d: Date): { from: Date; to: Date } {
  const local = new Date(d.getTime() + BEIJING_MS);
  const y = local.getUTCFullYear();
  const q = Math.floor(local.getUTCMonth() / 3);
  const pad = (m: number) => String(m).padStart(2, '0');
  const from = startOfBeijingDay(`${y}-${pad(q * 3 + 1)}-01`);
  const to = q === 3 ? startOfBeijingDay(`${y + 1}-01-01`) : startOfBeijingDay(`${y}-${pad(q * 3 + 4)}-01`);
  return { from, to };
}
