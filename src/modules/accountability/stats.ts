import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Ctx } from '../../floor/context.js';
import { beijingParts, formatDurationZh } from '../../floor/working-hours.js';
import { isGlobalAdmin } from '../auth/policy.js';
import { yoy, yoySentenceEn, yoySentenceZh } from './yoy.js';

export type GroupBy = 'category' | 'subcategory' | 'level' | 'unit' | 'month';

const LEVEL_LABEL: Record<string, string> = {
  I: 'Ⅰ级 特别重大',
  II: 'Ⅱ级 重大',
  III: 'Ⅲ级 较大',
  IV: 'Ⅳ级 一般',
  none: '未分级',
};

/** Start of the Beijing year of `d`, as an instant. */
function beijingYearStart(year: number) {
  return new Date(`${year}-01-01T00:00:00+08:00`);
}

/** The same period one year earlier (same Beijing wall-clock dates). */
export function lastYear(d: Date): Date {
  const local = new Date(d.getTime() + 8 * 3600_000);
  local.setUTCFullYear(local.getUTCFullYear() - 1);
  return new Date(local.getTime() - 8 * 3600_000);
}

export function defaultPeriod(ctx: Ctx, from?: string, to?: string) {
  const now = ctx.clock.now();
  const year = Number(beijingParts(now).date.slice(0, 4));
  return {
    from: from ? new Date(from) : beijingYearStart(year),
    to: to ? new Date(to) : beijingYearStart(year + 1),
  };
}

/** The actor's own unit, or the child on the path towards the unit (the row a chart by unit shows). */
function rollUp(path: string[], rootId: string): string {
  const i = path.indexOf(rootId);
  return i >= 0 && i + 1 < path.length ? path[i + 1] : (path[path.length - 1] ?? rootId);
}

interface EventRowLite {
  level: string | null;
  category_code: string;
  occurred_at: Date;
  path: string[];
}

async function eventsIn(ctx: Ctx, rootId: string | null, from: Date, to: Date): Promise<EventRowLite[]> {
  const r = await ctx.tx.execute<any>(sql`select e.level, e.category_code, e.occurred_at, u.path
    from events e join units u on u.id = e.responsible_unit_id
    where e.merged_into_id is null and e.occurred_at >= ${from.toISOString()} and e.occurred_at < ${to.toISOString()}
      ${rootId ? sql`and u.path @> array[${rootId}]::uuid[]` : sql``}`);
  return r.rows;
}

function keyOf(e: EventRowLite, groupBy: GroupBy, rootId: string | null): string {
  switch (groupBy) {
    case 'category':
      return `${e.category_code.slice(0, 2)}000`;
    case 'subcategory':
      return `${e.category_code.slice(0, 3)}00`;
    case 'level':
      return e.level ?? 'none';
    case 'unit':
      return rollUp(e.path, rootId ?? e.path[0]);
    case 'month':
      return beijingParts(new Date(e.occurred_at)).date.slice(0, 7);
  }
}

/** For month grouping the previous year's row is the same month a year earlier. */
const shiftKey = (k: string, groupBy: GroupBy) =>
  groupBy === 'month' ? `${Number(k.slice(0, 4)) + 1}${k.slice(4)}` : k;

/**
 * 事件统计: events whose responsible unit lies in the caller's subtree, occurred in [from, to), grouped by
 * category, level, unit (rolled up to the caller's direct sub-units) or month, each with the count of the
 * same period a year earlier, and the year-on-year sentence.
 */
export async function eventStats(ctx: Ctx, q: { from?: string; to?: string; groupBy?: GroupBy }) {
  const a = ctx.actor!;
  const groupBy = q.groupBy ?? 'category';
  const { from, to } = defaultPeriod(ctx, q.from, q.to);
  const rootId = isGlobalAdmin(a) ? null : a.acting.id;
  const prevFrom = lastYear(from);
  const prevTo = lastYear(to);
  const cur = await eventsIn(ctx, rootId, from, to);
  const prev = await eventsIn(ctx, rootId, prevFrom, prevTo);
  const counts = new Map<string, { count: number; previous: number }>();
  for (const e of cur) {
    const k = keyOf(e, groupBy, rootId);
    const c = counts.get(k) ?? { count: 0, previous: 0 };
    c.count++;
    counts.set(k, c);
  }
  for (const e of prev) {
    const k = shiftKey(keyOf(e, groupBy, rootId), groupBy);
    const c = counts.get(k) ?? { count: 0, previous: 0 };
    c.previous++;
    counts.set(k, c);
  }
  const labels = await labelsFor(ctx, groupBy, [...counts.keys()]);
  const items = [...counts.entries()]
    .map(([key, c]) => ({
      key,
      label: labels.get(key) ?? key,
      count: c.count,
      previous: c.previous,
      change: c.count - c.previous,
      changeRate: yoy(c.count, c.previous).ratio,
    }))
    .sort((x, y) =>
      groupBy === 'month' || groupBy === 'level' || groupBy === 'category' || groupBy === 'subcategory'
        ? x.key.localeCompare(y.key)
        : y.count - x.count || x.label.localeCompare(y.label, 'zh-CN'),
    );
  const total = cur.length;
  const previous = prev.length;
  return {
    groupBy,
    from,
    to,
    previousFrom: prevFrom,
    previousTo: prevTo,
    total,
    previous,
    yoy: yoy(total, previous),
    summary: ctx.lang === 'en' ? yoySentenceEn(total, previous) : yoySentenceZh(total, previous),
    summaryZh: yoySentenceZh(total, previous),
    items,
  };
}

async function labelsFor(ctx: Ctx, groupBy: GroupBy, keys: string[]): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  if (keys.length === 0) return m;
  if (groupBy === 'level') for (const k of keys) m.set(k, LEVEL_LABEL[k] ?? k);
  else if (groupBy === 'month')
    for (const k of keys) m.set(k, `${Number(k.slice(0, 4))}年${Number(k.slice(5, 7))}月`);
  else if (groupBy === 'unit') {
    const r = await ctx.tx.execute<any>(
      sql`select id, name from units where id in (${sql.join(
        keys.map((k) => sql`${k}`),
        sql`, `,
      )})`,
    );
    for (const u of r.rows) m.set(u.id, u.name);
  } else {
    const r = await ctx.tx.execute<any>(
      sql`select code, name, name_en from categories where code in (${sql.join(
        keys.map((k) => sql`${k}`),
        sql`, `,
      )})`,
    );
    for (const c of r.rows) m.set(c.code, ctx.lang === 'en' ? c.name_en : c.name);
  }
  return m;
}

const rate = (v: number | null | undefined) =>
  v === null || v === undefined ? '' : `${(v * 100).toFixed(1)}%`;
const dur = (v: number | null | undefined) => (v === null || v === undefined ? '' : formatDurationZh(v));

function sheet(wb: ExcelJS.Workbook, name: string, header: string[], rows: Array<Array<string | number>>) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = header.map((h) => ({ header: h, key: h, width: Math.max(12, h.length * 3 + 4) }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  return ws;
}

const GROUP_ZH: Record<GroupBy, string> = {
  category: '类别',
  subcategory: '子类',
  level: '级别',
  unit: '单位',
  month: '月份',
};

/** 事件统计 as .xlsx: one sheet per grouping plus the summary sentence (Chinese header rows). */
export async function eventStatsWorkbook(ctx: Ctx, q: { from?: string; to?: string; groupBy?: GroupBy }) {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Jibao 急报';
  const groups: GroupBy[] = q.groupBy ? [q.groupBy] : ['category', 'level', 'unit', 'month'];
  let summary = '';
  for (const g of groups) {
    const s = await eventStats({ ...ctx, lang: 'zh-CN' }, { ...q, groupBy: g });
    summary = s.summaryZh;
    sheet(
      wb,
      `按${GROUP_ZH[g]}`,
      [GROUP_ZH[g], '事件数（起）', '去年同期（起）', '同比增减（起）', '同比增减幅度'],
      [
        ...s.items.map((i) => [
          i.label,
          i.count,
          i.previous,
          i.change,
          i.changeRate === null ? '' : `${(i.changeRate * 100).toFixed(1)}%`,
        ]),
        ['合计', s.total, s.previous, s.total - s.previous, rate(s.yoy.ratio)],
      ],
    );
  }
  sheet(wb, '说明', ['项目', '内容'], [['同比', summary]]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** 时效统计 as .xlsx: the per-unit rows of /api/stats/timeliness. */
export async function timelinessWorkbook(units: any[]) {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Jibao 急报';
  sheet(
    wb,
    '报送时效',
    [
      '单位',
      '应报（项）',
      '按时（项）',
      '迟报（项）',
      '漏报（项）',
      '按时报送率',
      '报送用时中位数',
      '报送用时90分位',
      '平均报送用时',
    ],
    units.map((u) => [
      u.unitName,
      u.reports,
      u.onTime,
      u.late,
      u.missed,
      rate(u.onTimeRate),
      dur(u.medianSecondsToReport),
      dur(u.p90SecondsToReport),
      dur(u.averageSecondsToReport),
    ]),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
