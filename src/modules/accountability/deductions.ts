import { sql } from 'drizzle-orm';
import type { Ctx } from '../../floor/context.js';
import { currentRuleSet } from '../../floor/rule-sets.js';
import { beijingParts } from '../../floor/working-hours.js';
import { deadlineStatus } from '../timeliness/status.js';
import {
  type DeductionRuleSet,
  deductionPoints,
  type OffenceKind,
  rankByScore,
  withDefaults,
} from './scoring.js';

/** One offence found in a period, ready to be deducted (and listed in a notice). */
export interface OffenceItem {
  kind: OffenceKind;
  unitId: string;
  unitName: string;
  eventId: string | null;
  eventTitle: string | null;
  level: string | null;
  occurredAt: string | null;
  /** for deadlines: the worst one (deadline_id) and all covered */
  deadlineId: string | null;
  deadlineIds: string[];
  findingId: string | null;
  zeroReport: boolean;
  zeroDay: string | null;
  channels: Array<'phone' | 'written'>;
  toUnitName: string | null;
  limitMinutes: number | null;
  dueAt: string | null;
  metAt: string | null;
  overdueSeconds: number | null;
  reason: string | null;
  offenceAt: string;
  /** for a missed spot check (查岗未应答) */
  spotCheckId?: string | null;
  /** filled by scoreOffences */
  points?: number;
  repeat?: number;
  year?: number;
}

export const beijingYear = (d: Date) => Number(beijingParts(d).date.slice(0, 4));

export async function deductionRules(ctx: Ctx): Promise<{ version: number; body: DeductionRuleSet }> {
  const rs = await currentRuleSet<Partial<DeductionRuleSet>>(ctx.tx, 'deduction');
  return { version: rs.version, body: withDefaults(rs.body) };
}

const STATUS_RANK = { missed: 2, late: 1 } as const;

/**
 * Offences of the units strictly below `rootId` in [from, to) that were not deducted before:
 * judged late/missed deadlines (event reports and zero reports; a deadline whose judgment can still change —
 * late but not yet met and not yet past the 漏报 line — waits), and findings (瞒报, 谎报, 漏报).
 * A unit late on several deadlines of one event (phone and written) commits one offence, the worst.
 */
export async function findOffences(ctx: Ctx, rootId: string, from: Date, to: Date): Promise<OffenceItem[]> {
  const now = ctx.clock.now();
  const dl = await ctx.tx.execute<any>(sql`
    select d.*, e.title, e.level, e.occurred_at, fu.name as from_name, tu.name as to_name
    from deadlines d join units fu on fu.id = d.from_unit_id
    left join units tu on tu.id = d.to_unit_id
    left join events e on e.id = d.event_id
    where d.superseded_at is null and d.due_at >= ${from.toISOString()} and d.due_at < ${to.toISOString()}
      and d.due_at <= ${now.toISOString()}
      and fu.path @> array[${rootId}]::uuid[] and fu.id <> ${rootId}
      and (e.id is null or e.merged_into_id is null)
      and not exists (select 1 from deductions x where x.deadline_id = d.id or d.id = any(x.deadline_ids))
    order by d.due_at`);
  const groups = new Map<string, { status: 'late' | 'missed'; rows: any[] }>();
  for (const d of dl.rows) {
    const status = deadlineStatus({ dueAt: d.due_at, metAt: d.met_at, missedAt: d.missed_at }, now);
    if (status !== 'late' && status !== 'missed') continue;
    if (status === 'late' && !d.met_at) continue; // still open: may yet become 漏报
    const key = d.kind === 'zero_report' ? `z:${d.id}` : `e:${d.event_id}:${d.from_unit_id}`;
    const g = groups.get(key);
    if (!g) groups.set(key, { status, rows: [d] });
    else {
      g.rows.push(d);
      if (STATUS_RANK[status] > STATUS_RANK[g.status]) g.status = status;
    }
  }
  const out: OffenceItem[] = [];
  for (const g of groups.values()) {
    // the worst deadline: the right status, then the longest overdue
    const over = (d: any) => (d.met_at ?? now).getTime() - d.due_at.getTime();
    const worst = g.rows
      .filter(
        (d) => deadlineStatus({ dueAt: d.due_at, metAt: d.met_at, missedAt: d.missed_at }, now) === g.status,
      )
      .sort((a, b) => over(b) - over(a))[0];
    const zero = worst.kind === 'zero_report';
    const offenceAt: Date =
      g.status === 'missed'
        ? worst.met_at && worst.met_at < worst.missed_at
          ? worst.met_at
          : worst.missed_at
        : worst.met_at;
    out.push({
      kind: g.status,
      unitId: worst.from_unit_id,
      unitName: worst.from_name,
      eventId: worst.event_id,
      eventTitle: worst.title ?? null,
      level: worst.level ?? null,
      occurredAt: worst.occurred_at ? new Date(worst.occurred_at).toISOString() : null,
      deadlineId: worst.id,
      deadlineIds: g.rows.map((d) => d.id),
      findingId: null,
      zeroReport: zero,
      zeroDay: worst.zero_day ? String(worst.zero_day).slice(0, 10) : null,
      channels: [...new Set(g.rows.map((d) => d.channel as 'phone' | 'written'))],
      toUnitName: worst.to_name ?? null,
      limitMinutes: worst.limit_minutes,
      dueAt: worst.due_at.toISOString(),
      metAt: worst.met_at ? worst.met_at.toISOString() : null,
      overdueSeconds: Math.round(over(worst) / 1000),
      reason: null,
      offenceAt: new Date(offenceAt ?? worst.due_at).toISOString(),
    });
  }
  const fr = await ctx.tx.execute<any>(sql`
    select f.*, u.name as unit_name, e.title, e.level, e.occurred_at
    from findings f join units u on u.id = f.unit_id left join events e on e.id = f.event_id
    where f.at >= ${from.toISOString()} and f.at < ${to.toISOString()}
      and u.path @> array[${rootId}]::uuid[] and u.id <> ${rootId}
      and not exists (select 1 from deductions x where x.finding_id = f.id)
    order by f.at`);
  for (const f of fr.rows) {
    out.push({
      kind: f.kind as OffenceKind,
      unitId: f.unit_id,
      unitName: f.unit_name,
      eventId: f.event_id,
      eventTitle: f.title ?? null,
      level: f.level ?? null,
      occurredAt: f.occurred_at ? new Date(f.occurred_at).toISOString() : null,
      deadlineId: null,
      deadlineIds: [],
      findingId: f.id,
      zeroReport: false,
      zeroDay: null,
      channels: [],
      toUnitName: null,
      limitMinutes: null,
      dueAt: null,
      metAt: null,
      overdueSeconds: null,
      reason: f.reason,
      offenceAt: new Date(f.at).toISOString(),
    });
  }
  // 查岗未应答: a missed spot check of a duty room counts as absence from the duty post for its area
  const sc = await ctx.tx.execute<any>(sql`
    select s.id, s.due_at, s.missed_at, s.started_at, coalesce(a.id, t.id) as unit_id,
      coalesce(a.name, t.name) as unit_name, f.name as from_name
    from spot_checks s join units t on t.id = s.target_unit_id
    left join units a on a.id = t.parent_id and t.kind in ('party_office','gov_office','duty_room','confidential_bureau')
    join units f on f.id = s.from_unit_id
    where s.status = 'missed' and s.missed_at >= ${from.toISOString()} and s.missed_at < ${to.toISOString()}
      and t.path @> array[${rootId}]::uuid[] and coalesce(a.id, t.id) <> ${rootId}
      and not exists (select 1 from deductions x where x.data->>'spotCheckId' = s.id::text)
    order by s.missed_at`);
  for (const c of sc.rows) {
    out.push({
      kind: 'duty_absent',
      unitId: c.unit_id,
      unitName: c.unit_name,
      eventId: null,
      eventTitle: null,
      level: null,
      occurredAt: null,
      deadlineId: null,
      deadlineIds: [],
      findingId: null,
      zeroReport: false,
      zeroDay: null,
      channels: [],
      toUnitName: c.from_name,
      limitMinutes: Math.round((new Date(c.due_at).getTime() - new Date(c.started_at).getTime()) / 60_000),
      dueAt: new Date(c.due_at).toISOString(),
      metAt: null,
      overdueSeconds: null,
      reason: `${c.from_name}查岗，值班室未在规定时间内应答`,
      offenceAt: new Date(c.missed_at).toISOString(),
      spotCheckId: c.id,
    });
  }
  return out.sort((a, b) => a.offenceAt.localeCompare(b.offenceAt));
}

/**
 * Points for each offence: the table by severity, doubled for a repeat of the same offence by the same unit
 * within the (Beijing) year — counting deductions already recorded and the earlier ones of this batch.
 */
export async function scoreOffences(ctx: Ctx, rs: DeductionRuleSet, items: OffenceItem[]) {
  const prior = new Map<string, number>();
  const key = (unitId: string, year: number, kind: string) => `${unitId}|${year}|${kind}`;
  const units = [...new Set(items.map((i) => i.unitId))];
  if (units.length) {
    const r = await ctx.tx.execute<{ unit_id: string; year: number; offence: string; n: number }>(sql`
      select unit_id, year, offence, count(*)::int as n from deductions
      where unit_id in (${sql.join(
        units.map((u) => sql`${u}`),
        sql`, `,
      )}) group by 1, 2, 3`);
    for (const row of r.rows) prior.set(key(row.unit_id, row.year, row.offence), row.n);
  }
  for (const it of items) {
    const year = beijingYear(new Date(it.offenceAt));
    const k = key(it.unitId, year, it.kind);
    const n = prior.get(k) ?? 0;
    const elapsedOverLimit =
      it.kind === 'late' && it.limitMinutes && it.overdueSeconds !== null
        ? (it.overdueSeconds + it.limitMinutes * 60) / (it.limitMinutes * 60)
        : null;
    it.points = deductionPoints(
      rs,
      { kind: it.kind, level: it.level, zeroReport: it.zeroReport, elapsedOverLimit },
      n,
    );
    it.repeat = n;
    it.year = year;
    prior.set(k, n + 1);
  }
  return items;
}

/** Record the deductions of a notice (each deadline and finding at most once: the unique indexes hold it). */
export async function recordDeductions(
  ctx: Ctx,
  noticeId: string,
  ruleVersion: number,
  items: OffenceItem[],
): Promise<void> {
  const now = ctx.clock.now().toISOString();
  for (const it of items) {
    await ctx.tx.execute(sql`insert into deductions (notice_id, unit_id, year, offence, event_id, deadline_id,
        points, repeat, detail, rule_version, created_at, finding_id, deadline_ids, offence_at, data)
      values (${noticeId}, ${it.unitId}, ${it.year!}, ${it.kind}, ${it.eventId}, ${it.deadlineId}, ${it.points!},
        ${it.repeat!}, ${it.reason}, ${ruleVersion}, ${now}, ${it.findingId},
        ${`{${it.deadlineIds.join(',')}}`}::uuid[], ${it.offenceAt}, ${JSON.stringify(it)}::jsonb)`);
  }
}

/** The units that are scored: areas, departments, emergency offices and enterprises below the root. */
const SCORED = sql`u.kind in ('area','department','emergency_office','enterprise')`;

/** Rankings of the units below `rootId` by target score minus deductions of the period. */
export async function rankings(ctx: Ctx, rootId: string, from: Date, to: Date) {
  const { body: rs, version } = await deductionRules(ctx);
  const r = await ctx.tx.execute<any>(sql`
    select u.id, u.name, u.kind, u.level, u.parent_id,
      coalesce(sum(x.points), 0)::float as points, count(x.id)::int as offences
    from units u left join deductions x on x.unit_id = u.id
      and x.offence_at >= ${from.toISOString()} and x.offence_at < ${to.toISOString()}
    where u.path @> array[${rootId}]::uuid[] and u.id <> ${rootId} and ${SCORED}
    group by u.id order by u.name`);
  const byKind = await ctx.tx.execute<any>(sql`
    select x.unit_id, x.offence, count(*)::int as n, sum(x.points)::float as points
    from deductions x join units u on u.id = x.unit_id
    where u.path @> array[${rootId}]::uuid[] and u.id <> ${rootId}
      and x.offence_at >= ${from.toISOString()} and x.offence_at < ${to.toISOString()}
    group by 1, 2`);
  const counts = new Map<string, Record<string, number>>();
  for (const row of byKind.rows) {
    const c = counts.get(row.unit_id) ?? {};
    c[row.offence] = row.n;
    counts.set(row.unit_id, c);
  }
  const items = rankByScore(
    r.rows.map((u) => ({
      unitId: u.id as string,
      unitName: u.name as string,
      kind: u.kind as string,
      level: u.level as string | null,
      parentId: u.parent_id as string | null,
      deducted: Math.round(u.points * 100) / 100,
      offences: u.offences as number,
      byOffence: counts.get(u.id) ?? {},
      score: Math.round((rs.annualTarget - u.points) * 100) / 100,
    })),
  );
  return { annualTarget: rs.annualTarget, ruleSetVersion: version, items };
}

export async function listDeductions(
  ctx: Ctx,
  rootId: string,
  f: { year?: number; unitId?: string; noticeId?: string },
) {
  const r = await ctx.tx.execute<any>(sql`
    select x.*, u.name as unit_name, n.number as notice_number from deductions x join units u on u.id = x.unit_id
    left join notices n on n.id = x.notice_id
    where u.path @> array[${rootId}]::uuid[]
      ${f.year ? sql`and x.year = ${f.year}` : sql``}
      ${f.unitId ? sql`and x.unit_id = ${f.unitId}` : sql``}
      ${f.noticeId ? sql`and x.notice_id = ${f.noticeId}` : sql``}
    order by x.offence_at desc nulls last limit 1000`);
  return r.rows.map(presentDeduction);
}

export function presentDeduction(x: any) {
  return {
    id: x.id,
    noticeId: x.notice_id,
    noticeNumber: x.notice_number ?? null,
    unitId: x.unit_id,
    unitName: x.unit_name ?? x.data?.unitName ?? null,
    year: x.year,
    offence: x.offence,
    eventId: x.event_id,
    eventTitle: x.data?.eventTitle ?? null,
    deadlineId: x.deadline_id,
    findingId: x.finding_id,
    zeroReport: !!x.data?.zeroReport,
    points: Number(x.points),
    repeat: x.repeat,
    detail: x.detail,
    offenceAt: x.offence_at,
    ruleSetVersion: x.rule_version,
  };
}
