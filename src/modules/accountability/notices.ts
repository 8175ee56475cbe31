import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import type { Ctx } from '../../floor/context.js';
import { badRequest, notFound } from '../../floor/errors.js';
import { authorize, can } from '../../floor/policy.js';
import { beijingParts, formatDurationZh } from '../../floor/working-hours.js';
import { isGlobalAdmin } from '../auth/policy.js';
import { deadlineStatus } from '../timeliness/status.js';
import {
  beijingYear,
  deductionRules,
  findOffences,
  type OffenceItem,
  recordDeductions,
  scoreOffences,
} from './deductions.js';
import { accountabilityPolicy } from './policy.js';
import { OFFENCE_ZH } from './scoring.js';

const LEVEL_SHORT: Record<string, string> = { I: 'Ⅰ级', II: 'Ⅱ级', III: 'Ⅲ级', IV: 'Ⅳ级' };
const CHANNEL_ZH = { phone: '电话报告', written: '书面报告' } as const;

/** 示例市委办公室 → 示例市委办; 示例市政府办公室 → 示例市政办 (the short name used in document numbers). */
export function issuerAbbrev(name: string): string {
  if (/政府办公(室|厅)$/.test(name)) return name.replace(/政府办公(室|厅)$/, '政办');
  if (/委办公(室|厅)$/.test(name)) return name.replace(/办公(室|厅)$/, '办');
  return name;
}

/** The masthead: the issuing office's full name (a party office carries 中共) followed by 文件. */
export function mastheadOf(name: string, kind: string): string {
  const full = kind === 'party_office' && !name.startsWith('中共') && /委/.test(name) ? `中共${name}` : name;
  return `${full}文件`;
}

/** 示例市委办〔2026〕3号 */
export const noticeNumber = (abbrev: string, year: number, seq: number) => `${abbrev}〔${year}〕${seq}号`;

/** Beijing wall clock: 11月23日10时05分 (documents) */
export function docTime(d: Date | string): string {
  const local = new Date(new Date(d).getTime() + 8 * 3600_000);
  const mm = String(local.getUTCMinutes()).padStart(2, '0');
  return `${local.getUTCMonth() + 1}月${local.getUTCDate()}日${local.getUTCHours()}时${mm}分`;
}

/** 2026年11月23日 from YYYY-MM-DD */
export function docDate(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

const limitText = (m: number) => (m % 60 === 0 ? `${m / 60}小时` : `${m}分钟`);

/** The period in words: 2026年11月, or 2026年11月1日至11月30日. */
export function periodText(from: Date, to: Date): string {
  const a = beijingParts(from).date;
  const b = beijingParts(new Date(to.getTime() - 1)).date;
  const [ay, am, ad] = a.split('-').map(Number);
  const [by, bm, bd] = b.split('-').map(Number);
  const lastOfMonth = beijingParts(new Date(to.getTime())).date.slice(8, 10) === '01';
  if (ay === by && am === bm && ad === 1 && lastOfMonth && beijingParts(from).minutes === 0)
    return `${ay}年${am}月`;
  if (ay === by) return `${ay}年${am}月${ad}日至${bm}月${bd}日`;
  return `${docDate(a)}至${docDate(b)}`;
}

/** One offence in the words of a notice. */
export function offenceSentence(o: OffenceItem): string {
  const ev = o.eventTitle ? `“${o.eventTitle}”` : '';
  const lvl = o.level ? `（${LEVEL_SHORT[o.level]}）` : '';
  const points = `扣${o.points}分${o.repeat ? '（年内重复发生，加倍扣分）' : ''}。`;
  if (o.zeroReport) {
    const day = o.zeroDay ? docDate(o.zeroDay).replace(/^\d+年/, '') : '';
    if (o.kind === 'late')
      return `${day}零报告应于${docTime(o.dueAt!)}前报送，实际于${docTime(o.metAt!)}报送，迟报${formatDurationZh(o.overdueSeconds ?? 0)}，${points}`;
    return `${day}零报告应于${docTime(o.dueAt!)}前报送，${o.metAt ? `至${docTime(o.metAt)}方才报送` : '当日未报送'}，按漏报处理，${points}`;
  }
  if (o.kind === 'late' || (o.kind === 'missed' && o.deadlineId)) {
    const ch = o.channels.map((c) => CHANNEL_ZH[c]).join('、');
    const head = `${docTime(o.occurredAt!)}发生的${ev}${lvl}，${ch}时限为${limitText(o.limitMinutes ?? 0)}，应于${docTime(o.dueAt!)}前报${o.toUnitName ?? '上级'}`;
    if (o.kind === 'late')
      return `${head}，实际于${docTime(o.metAt!)}报送，超时${formatDurationZh(o.overdueSeconds ?? 0)}，构成迟报，${points}`;
    return `${head}，${o.metAt ? `实际于${docTime(o.metAt)}报送，事发已超过24小时` : '事发超过24小时仍未报送'}，构成漏报，${points}`;
  }
  return `在${o.occurredAt ? `${docTime(o.occurredAt)}发生的` : ''}${ev}${lvl}信息报送中存在${OFFENCE_ZH[o.kind]}问题（${o.reason ?? ''}），${points}`;
}

function addresseeOf(level: string | null): string {
  switch (level) {
    case 'province':
      return '各市委办公室、政府办公室，省直各有关单位：';
    case 'city':
      return '各县（市、区）委办公室、政府办公室，市直各有关单位：';
    case 'county':
      return '各乡镇（街道）党政办，县（区）直各有关单位：';
    default:
      return '各有关单位：';
  }
}

async function periodSummary(ctx: Ctx, rootId: string, from: Date, to: Date) {
  const ev = await ctx.tx.execute<{ n: number }>(sql`select count(*)::int as n from events e
    join units u on u.id = e.responsible_unit_id
    where u.path @> array[${rootId}]::uuid[] and e.merged_into_id is null
      and e.occurred_at >= ${from.toISOString()} and e.occurred_at < ${to.toISOString()}`);
  const dl = await ctx.tx.execute<any>(sql`select d.due_at, d.met_at, d.missed_at, d.kind from deadlines d
    join units u on u.id = d.from_unit_id
    where d.superseded_at is null and u.path @> array[${rootId}]::uuid[] and u.id <> ${rootId}
      and d.due_at >= ${from.toISOString()} and d.due_at < ${to.toISOString()}`);
  const now = ctx.clock.now();
  const c = { met: 0, late: 0, missed: 0, zeroReports: 0 };
  for (const d of dl.rows) {
    const s = deadlineStatus({ dueAt: d.due_at, metAt: d.met_at, missedAt: d.missed_at }, now);
    if (s === 'pending') continue;
    c[s]++;
    if (d.kind === 'zero_report') c.zeroReports++;
  }
  const judged = c.met + c.late + c.missed;
  return {
    events: ev.rows[0].n,
    judged,
    onTime: c.met,
    late: c.late,
    missed: c.missed,
    zeroReports: c.zeroReports,
    onTimeRate: judged ? c.met / judged : null,
  };
}

export interface CreateNoticeInput {
  from: string;
  to: string;
  title?: string | null;
}

/**
 * 通报: a numbered notice of the caller's subtree for a period. Lists every offence not deducted before and
 * records its deductions in the same transaction; numbered per issuing office and year.
 */
export async function createNotice(ctx: Ctx, input: CreateNoticeInput) {
  authorize(ctx.actor, accountabilityPolicy, 'issueNotice');
  const a = ctx.actor;
  const from = new Date(input.from);
  const to = new Date(input.to);
  if (!(from < to)) throw badRequest('notice_bad_period');
  // one notice at a time: numbering and "each offence deducted at most once" need no retry logic
  await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtext('jibao:notices'))`);
  const now = ctx.clock.now();
  const year = beijingYear(now);
  const issuer = a.unit;
  const root = a.acting;
  const seq = (
    await ctx.tx.execute<{ n: number }>(
      sql`select coalesce(max(seq), 0)::int + 1 as n from notices where issuing_unit_id = ${issuer.id} and year = ${year}`,
    )
  ).rows[0].n;
  const number = noticeNumber(issuerAbbrev(issuer.name), year, seq);
  const rules = await deductionRules(ctx);
  const offences = await scoreOffences(ctx, rules.body, await findOffences(ctx, root.id, from, to));
  const pText = periodText(from, to);
  const title = input.title?.trim() || `关于${pText}紧急信息报送情况的通报`;
  const summary = await periodSummary(ctx, root.id, from, to);
  const totals = new Map<string, { unitId: string; unitName: string; count: number; points: number }>();
  for (const o of offences) {
    const t = totals.get(o.unitId) ?? { unitId: o.unitId, unitName: o.unitName, count: 0, points: 0 };
    t.count++;
    t.points = Math.round((t.points + (o.points ?? 0)) * 100) / 100;
    totals.set(o.unitId, t);
  }
  const body = {
    masthead: mastheadOf(issuer.name, issuer.kind),
    addressee: addresseeOf(root.level),
    periodText: pText,
    areaName: root.name,
    issuedOn: beijingParts(now).date,
    summary,
    offences: offences.map((o) => ({ ...o, text: `${o.unitName}：${offenceSentence(o)}` })),
    totals: [...totals.values()].sort((x, y) => y.points - x.points),
    requirements: [
      '各地各部门要充分认识紧急信息报送工作的重要性，严格落实“首报要快、续报要准、终报要全”的要求，坚决杜绝迟报、漏报、瞒报、谎报现象。',
      '对本次通报的问题，有关单位要认真分析原因，明确整改措施，落实责任到人，并于通报印发之日起10个工作日内将整改情况书面报送。',
      '严格执行24小时值班和领导带班制度，确保值班电话专人接听、信息渠道畅通，重大节假日和敏感时期坚持零报告制度。',
    ],
  };
  const row = (
    await ctx.tx.execute<any>(sql`insert into notices (number, year, seq, title, issuing_unit_id, period_from,
      period_to, created_at, created_by, scope_unit_id, issuer_name, body, rule_version)
    values (${number}, ${year}, ${seq}, ${title}, ${issuer.id}, ${from.toISOString()}, ${to.toISOString()},
      ${now.toISOString()}, ${a.id}, ${root.id}, ${issuer.name}, ${JSON.stringify(body)}::jsonb, ${rules.version})
    returning *`)
  ).rows[0];
  await recordDeductions(ctx, row.id, rules.version, offences);
  await audit(ctx, {
    stream: `unit:${issuer.id}`,
    action: 'notice_issued',
    entityType: 'notice',
    entityId: row.id,
    unitId: issuer.id,
    data: {
      number,
      title,
      from: from.toISOString(),
      to: to.toISOString(),
      offences: offences.length,
      points: offences.reduce((s, o) => s + (o.points ?? 0), 0),
      ruleVersion: rules.version,
    },
  });
  for (const t of totals.values())
    await audit(ctx, {
      stream: `unit:${t.unitId}`,
      action: 'deducted',
      entityType: 'notice',
      entityId: row.id,
      unitId: t.unitId,
      data: { number, count: t.count, points: t.points },
    });
  return presentNotice(row, true);
}

export function presentNotice(n: any, full = false) {
  const body = n.body ?? {};
  const base = {
    id: n.id,
    number: n.number,
    year: n.year,
    seq: n.seq,
    title: n.title,
    issuingUnitId: n.issuing_unit_id,
    issuerName: n.issuer_name,
    scopeUnitId: n.scope_unit_id,
    from: n.period_from,
    to: n.period_to,
    createdAt: n.created_at,
    createdBy: n.created_by,
    ruleSetVersion: n.rule_version,
    offenceCount: (body.offences ?? []).length,
    totalPoints:
      Math.round((body.offences ?? []).reduce((s: number, o: any) => s + (o.points ?? 0), 0) * 100) / 100,
  };
  if (!full) return base;
  return {
    ...base,
    masthead: body.masthead,
    addressee: body.addressee,
    periodText: body.periodText,
    issuedOn: body.issuedOn,
    summary: body.summary,
    offences: body.offences ?? [],
    totals: body.totals ?? [],
    requirements: body.requirements ?? [],
  };
}

/** Notices the caller may read: issued in its subtree, or about a subtree containing it. */
function noticeScope(ctx: Ctx) {
  const a = ctx.actor!;
  return sql`(exists (select 1 from units iu where iu.id = n.issuing_unit_id and iu.path @> array[${a.acting.id}]::uuid[])
    or n.scope_unit_id = any(${`{${a.acting.path.join(',')}}`}::uuid[]) or n.issuing_unit_id = ${a.unit.id}
    or ${isGlobalAdmin(a) ? sql`true` : sql`false`})`;
}

export async function listNotices(ctx: Ctx, f: { year?: number }) {
  const r = await ctx.tx.execute<any>(sql`select n.* from notices n where ${noticeScope(ctx)}
    ${f.year ? sql`and n.year = ${f.year}` : sql``} order by n.created_at desc limit 500`);
  return {
    items: r.rows.map((n) => presentNotice(n)),
    nextCursor: null,
    /** whether the caller may issue a notice (the button the web shows) */
    can: { issue: can(ctx.actor, accountabilityPolicy, 'issueNotice') },
  };
}

export async function getNotice(ctx: Ctx, id: string) {
  const r = await ctx.tx.execute<any>(
    sql`select n.* from notices n where n.id = ${id} and ${noticeScope(ctx)}`,
  );
  if (!r.rows[0]) throw notFound();
  return r.rows[0];
}
