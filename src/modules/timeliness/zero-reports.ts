import chineseDays from 'chinese-days';
import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import type { Ctx } from '../../floor/context.js';
import { badRequest, conflict, notFound, unprocessable } from '../../floor/errors.js';
import { registerMessages } from '../../floor/i18n.js';
import { intakeAudience, publish, unitAudience } from '../../floor/outbox.js';
import { authorize, can } from '../../floor/policy.js';
import type { TimerHandler, TimerRow } from '../../floor/timers.js';
import { beijingParts } from '../../floor/working-hours.js';
import { isGlobalAdmin } from '../auth/policy.js';
import { notify, usersActingFor } from '../notify/notify.js';
import { timelinessPolicy } from './policy.js';
import { deadlineStatus } from './status.js';

/** What this module's timers do when they fall due (composed by the server; see floor/timers.ts). */
export const zeroReportTimers = new Map<string, TimerHandler>();

/**
 * 零报告: during a declared period every unit in scope (the areas below the root and the departments and
 * emergency offices of the subtree) sends a daily report by the due time even when nothing happened.
 * Each unit-day is a deadline (kind `zero_report`): due at the due time (Beijing), 漏报 at the end of that
 * day; reminders, the late escalation and the missed line are durable timers per period-day.
 */
registerMessages(
  {
    'error.zero_period_dates': '零报告期间不正确：{summary}',
    'error.zero_report_not_due': '本单位在该日无须报送零报告（不在零报告期间或范围内）。',
    'error.zero_report_future': '不能提前报送以后日期的零报告。',
    'error.zero_report_exists': '本单位该日的零报告已报送。',
  },
  {
    'error.zero_period_dates': 'The zero-report period is not valid: {summary}',
    'error.zero_report_not_due':
      'Your unit owes no zero report on that day (outside the period or its scope).',
    'error.zero_report_future': 'A zero report cannot be sent for a later day in advance.',
    'error.zero_report_exists': 'Your unit already sent its zero report for that day.',
  },
);

const { getDayDetail } = chineseDays;
const DAY = 86_400_000;
export const ZERO_REMIND_MINUTES_BEFORE = 60;

/** Beijing midnight of a YYYY-MM-DD day, as an instant. */
export const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);
export const dueOf = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);
const nextDay = (day: string) => new Date(dayStart(day).getTime() + DAY).toISOString().slice(0, 10);

export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (
    let d = from;
    d <= to && out.length < 400;
    d = beijingParts(new Date(dayStart(d).getTime() + DAY)).date
  )
    out.push(d);
  return out;
}

/** Long holidays of a year (runs of ≥ 3 days off containing a public holiday), as suggested periods. */
export function longHolidays(
  year: number,
): Array<{ name: string; fromDate: string; toDate: string; days: string[] }> {
  const out: Array<{ name: string; fromDate: string; toDate: string; days: string[] }> = [];
  let run: string[] = [];
  let name = '';
  const flush = () => {
    if (run.length >= 3 && name) out.push({ name, fromDate: run[0], toDate: run[run.length - 1], days: run });
    run = [];
    name = '';
  };
  for (const d of daysBetween(`${year}-01-01`, `${year}-12-31`)) {
    const det = getDayDetail(d);
    if (det.work) {
      flush();
      continue;
    }
    run.push(d);
    const parts = String(det.name ?? '').split(',');
    if (parts.length >= 2 && !name) name = parts[1];
  }
  flush();
  return out;
}

export interface PeriodInput {
  name: string;
  rootUnitId: string;
  fromDate: string;
  toDate: string;
  dueTime: string;
  days?: string[] | null;
}

export async function declarePeriod(ctx: Ctx, input: PeriodInput) {
  const root = (
    await ctx.tx.execute<any>(sql`select id, name, path from units where id = ${input.rootUnitId}`)
  ).rows[0];
  if (!root) throw notFound();
  authorize(ctx.actor, timelinessPolicy, 'declarePeriod', root);
  if (input.fromDate > input.toDate) throw badRequest('zero_period_dates', { summary: 'fromDate > toDate' });
  const all = daysBetween(input.fromDate, input.toDate);
  if (all.length > 366) throw badRequest('zero_period_dates', { summary: 'longer than a year' });
  const days = input.days?.length ? [...new Set(input.days)].sort() : all;
  const outside = days.filter((d) => d < input.fromDate || d > input.toDate);
  if (outside.length)
    throw badRequest('zero_period_dates', { summary: `days outside the period: ${outside.join(', ')}` });
  const now = ctx.clock.now();
  const units = await ctx.tx.execute<{ id: string; parent_id: string | null }>(sql`
    select id, parent_id from units where path @> array[${root.id}]::uuid[] and id <> ${root.id}
      and kind in ('area','department','emergency_office') order by path`);
  const unitIds = units.rows.map((u) => u.id);
  const period = (
    await ctx.tx.execute<any>(sql`insert into zero_report_periods (name, root_unit_id, from_date, to_date, due_time,
      created_at, created_by, days, unit_ids)
    values (${input.name}, ${root.id}, ${input.fromDate}, ${input.toDate}, ${input.dueTime}, ${now.toISOString()},
      ${ctx.actor!.id}, ${JSON.stringify(days)}::jsonb, ${`{${unitIds.join(',')}}`}::uuid[]) returning *`)
  ).rows[0];
  // a day whose due time has already passed when the period is declared is not owed
  const owed = days.filter((d) => dueOf(d, input.dueTime) > now);
  const limit = Number(input.dueTime.slice(0, 2)) * 60 + Number(input.dueTime.slice(3, 5));
  if (owed.length && unitIds.length) {
    await ctx.tx.execute(sql`insert into deadlines (kind, event_id, from_unit_id, to_unit_id, channel, rule_row,
        rule_version, limit_minutes, basis, base_at, due_at, missed_at, created_at, zero_period_id, zero_day)
      select 'zero_report', null, u.id, u.parent_id, 'written', 'zero_report', 1, ${limit}, 'created',
        (d || 'T00:00:00+08:00')::timestamptz, (d || 'T' || ${input.dueTime} || ':00+08:00')::timestamptz,
        (d || 'T00:00:00+08:00')::timestamptz + interval '1 day', ${now.toISOString()}, ${period.id}, d::date
      from units u, unnest(${`{${owed.join(',')}}`}::text[]) d
      where u.id = any(${`{${unitIds.join(',')}}`}::uuid[])`);
    for (const d of owed) {
      const due = dueOf(d, input.dueTime);
      const remind = new Date(due.getTime() - ZERO_REMIND_MINUTES_BEFORE * 60_000);
      const timers: Array<[string, Date]> = [
        ['zero_report.late', due],
        ['zero_report.missed', dayStart(nextDay(d))],
      ];
      if (remind > now) timers.push(['zero_report.remind', remind]);
      for (const [kind, at] of timers)
        await ctx.tx.execute(sql`insert into timers (kind, ref_id, due_at, payload, created_at)
          values (${kind}, ${period.id}, ${at.toISOString()}, ${JSON.stringify({ day: d })}::jsonb, ${now.toISOString()})
          on conflict do nothing`);
    }
  }
  await audit(ctx, {
    stream: `unit:${root.id}`,
    action: 'zero_report_period_declared',
    entityType: 'zero_report_period',
    entityId: period.id,
    unitId: root.id,
    data: {
      name: input.name,
      fromDate: input.fromDate,
      toDate: input.toDate,
      dueTime: input.dueTime,
      days,
      units: unitIds.length,
    },
  });
  return presentPeriod(period);
}

export function presentPeriod(p: any) {
  return {
    id: p.id,
    name: p.name,
    rootUnitId: p.root_unit_id,
    fromDate: String(p.from_date).slice(0, 10),
    toDate: String(p.to_date).slice(0, 10),
    dueTime: p.due_time,
    days: p.days ?? [],
    unitCount: (p.unit_ids ?? []).length,
    createdAt: p.created_at,
    createdBy: p.created_by,
  };
}

async function getPeriod(ctx: Ctx, id: string) {
  const p = (await ctx.tx.execute<any>(sql`select * from zero_report_periods where id = ${id}`)).rows[0];
  if (!p) return null;
  const a = ctx.actor!;
  const root = (await ctx.tx.execute<any>(sql`select path from units where id = ${p.root_unit_id}`)).rows[0];
  const above = isGlobalAdmin(a) || root.path.includes(a.acting.id);
  const below = a.acting.path.includes(p.root_unit_id);
  if (!above && !below) return null;
  return { p, above };
}

export async function listPeriods(ctx: Ctx) {
  const a = ctx.actor!;
  const r =
    await ctx.tx.execute<any>(sql`select p.* from zero_report_periods p join units u on u.id = p.root_unit_id
    where p.cancelled_at is null and (${isGlobalAdmin(a) ? sql`true` : sql`false`}
      or u.path @> array[${a.acting.id}]::uuid[] or p.root_unit_id = any(${`{${a.acting.path.join(',')}}`}::uuid[]))
    order by p.from_date desc limit 200`);
  return {
    items: r.rows.map(presentPeriod),
    nextCursor: null,
    /** what the caller may do (the buttons the web shows); a period's unit is judged again on declaring */
    can: {
      declare: can(a, timelinessPolicy, 'declarePeriod', a.acting),
      send: can(a, timelinessPolicy, 'sendZeroReport'),
    },
  };
}

/** A period with every unit's status per day (for units at or below the caller; a unit in scope sees itself). */
export async function periodDetail(ctx: Ctx, id: string) {
  const got = await getPeriod(ctx, id);
  if (!got) throw notFound();
  const { p, above } = got;
  const a = ctx.actor!;
  const now = ctx.clock.now();
  const r =
    await ctx.tx.execute<any>(sql`select d.from_unit_id, d.zero_day::text as day, d.due_at, d.met_at, d.missed_at,
      u.name, u.kind, u.level, z.content, z.id as report_id
    from deadlines d join units u on u.id = d.from_unit_id
    left join zero_reports z on z.id = d.met_by_report_id
    where d.zero_period_id = ${id} and d.superseded_at is null
      ${above ? sql`and u.path @> array[${isGlobalAdmin(a) ? p.root_unit_id : a.acting.id}]::uuid[]` : sql`and u.id = ${a.acting.id}`}
    order by u.path, d.zero_day`);
  const units = new Map<string, any>();
  const totals = { pending: 0, met: 0, late: 0, missed: 0 };
  for (const d of r.rows) {
    const status = deadlineStatus({ dueAt: d.due_at, metAt: d.met_at, missedAt: d.missed_at }, now);
    totals[status]++;
    const u = units.get(d.from_unit_id) ?? {
      unitId: d.from_unit_id,
      unitName: d.name,
      kind: d.kind,
      level: d.level,
      days: [] as any[],
    };
    u.days.push({
      day: d.day,
      dueAt: d.due_at,
      sentAt: d.met_at,
      status,
      content: d.content,
      reportId: d.report_id,
    });
    units.set(d.from_unit_id, u);
  }
  return { ...presentPeriod(p), totals, units: [...units.values()] };
}

/** The caller's unit: what it owes today (and its history) in every period it is part of. */
export async function myZeroReports(ctx: Ctx) {
  const a = ctx.actor!;
  const now = ctx.clock.now();
  const r =
    await ctx.tx.execute<any>(sql`select d.zero_period_id, d.zero_day::text as day, d.due_at, d.met_at,
      d.missed_at, p.name, z.content
    from deadlines d join zero_report_periods p on p.id = d.zero_period_id
    left join zero_reports z on z.id = d.met_by_report_id
    where d.kind = 'zero_report' and d.from_unit_id = ${a.acting.id} and d.superseded_at is null
      and d.base_at <= ${now.toISOString()}
    order by d.zero_day desc limit 100`);
  return {
    unitId: a.acting.id,
    today: beijingParts(now).date,
    items: r.rows.map((d) => ({
      periodId: d.zero_period_id,
      periodName: d.name,
      day: d.day,
      dueAt: d.due_at,
      sentAt: d.met_at,
      content: d.content,
      status: deadlineStatus({ dueAt: d.due_at, metAt: d.met_at, missedAt: d.missed_at }, now),
    })),
  };
}

/** 无事也报: the caller's unit sends its zero report for a day of the period. */
export async function sendZeroReport(ctx: Ctx, input: { periodId: string; day: string; content: string }) {
  authorize(ctx.actor, timelinessPolicy, 'sendZeroReport');
  const a = ctx.actor;
  const now = ctx.clock.now();
  if (input.day > beijingParts(now).date) throw unprocessable('zero_report_future');
  const dl = (
    await ctx.tx.execute<any>(sql`select * from deadlines where zero_period_id = ${input.periodId}
      and from_unit_id = ${a.acting.id} and zero_day = ${input.day} and superseded_at is null for update`)
  ).rows[0];
  if (!dl) throw unprocessable('zero_report_not_due');
  if (dl.met_at) throw conflict('zero_report_exists');
  const z = (
    await ctx.tx.execute<any>(sql`insert into zero_reports (period_id, unit_id, day, content, sent_at, user_id)
      values (${input.periodId}, ${a.acting.id}, ${input.day}, ${input.content}, ${now.toISOString()}, ${a.id})
      on conflict do nothing returning *`)
  ).rows[0];
  if (!z) throw conflict('zero_report_exists');
  await ctx.tx.execute(
    sql`update deadlines set met_at = ${now.toISOString()}, met_by_report_id = ${z.id} where id = ${dl.id}`,
  );
  const status = deadlineStatus({ dueAt: dl.due_at, metAt: now, missedAt: dl.missed_at }, now);
  await audit(ctx, {
    stream: `unit:${a.acting.id}`,
    action: 'zero_report_sent',
    entityType: 'zero_report',
    entityId: z.id,
    unitId: a.acting.id,
    data: { periodId: input.periodId, day: input.day, content: input.content, status },
  });
  if (dl.to_unit_id)
    await publish(ctx, [intakeAudience(dl.to_unit_id), unitAudience(a.acting.id)], 'zero_report.sent', {
      periodId: input.periodId,
      unitId: a.acting.id,
      day: input.day,
      status,
    });
  return {
    id: z.id,
    periodId: z.period_id,
    unitId: z.unit_id,
    day: input.day,
    content: z.content,
    sentAt: z.sent_at,
    dueAt: dl.due_at,
    status,
  };
}

async function openZeroDeadlines(ctx: Ctx, t: TimerRow) {
  const r =
    await ctx.tx.execute<any>(sql`select d.*, u.name as unit_name, p.name as period_name, p.root_unit_id,
      p.due_time
    from deadlines d join units u on u.id = d.from_unit_id join zero_report_periods p on p.id = d.zero_period_id
    where d.zero_period_id = ${t.ref_id} and d.zero_day = ${t.payload.day} and d.met_at is null
      and d.superseded_at is null and p.cancelled_at is null`);
  return r.rows;
}

const dayZh = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

zeroReportTimers.set('zero_report.remind', async (ctx, timers) => {
  for (const t of timers)
    for (const d of await openZeroDeadlines(ctx, t)) {
      await notify(ctx, {
        userIds: await usersActingFor(ctx, d.from_unit_id, ['reporter', 'duty_officer']),
        kind: 'zero_report.remind',
        title: `【零报告提醒】请于${d.due_time}前报送${dayZh(t.payload.day)}零报告`,
        body: `${d.period_name}期间实行零报告制度，无事也须按时报告。`,
        data: { periodId: t.ref_id, day: t.payload.day, deadlineId: d.id },
        dedupeKey: `zero:${d.id}:remind`,
      });
    }
});

async function escalate(ctx: Ctx, t: TimerRow, kind: 'late' | 'missed') {
  const open = await openZeroDeadlines(ctx, t);
  if (!open.length) return;
  const late = kind === 'late';
  for (const d of open) {
    await notify(ctx, {
      userIds: await usersActingFor(
        ctx,
        d.from_unit_id,
        late ? ['reporter', 'approver', 'principal'] : ['principal'],
      ),
      kind: late ? 'zero_report.late' : 'zero_report.missed',
      title: late
        ? `【零报告超时】${d.unit_name}${dayZh(t.payload.day)}零报告未按时报送`
        : `【零报告漏报】${d.unit_name}${dayZh(t.payload.day)}未报送零报告`,
      body: late
        ? `应于${d.due_time}前报送，至今未报，按迟报处理；当日未报按漏报处理。`
        : '当日结束仍未报送零报告，记为漏报。',
      data: { periodId: t.ref_id, day: t.payload.day, deadlineId: d.id },
      urgent: late,
      dedupeKey: `zero:${d.id}:${kind}`,
    });
    await audit(ctx, {
      stream: `unit:${d.from_unit_id}`,
      action: late ? 'zero_report_late' : 'zero_report_missed',
      entityType: 'deadline',
      entityId: d.id,
      unitId: d.from_unit_id,
      data: { periodId: t.ref_id, day: t.payload.day, dueAt: d.due_at },
    });
  }
  // the receiving office of the root hears once, with the list
  const root = open[0].root_unit_id as string;
  const names = open.map((d) => d.unit_name);
  await notify(ctx, {
    userIds: await usersActingFor(ctx, root, ['editor', 'duty_officer']),
    kind: late ? 'zero_report.late' : 'zero_report.missed',
    title: `【零报告${late ? '超时' : '漏报'}】${dayZh(t.payload.day)}有 ${open.length} 个单位${late ? '未按时报送' : '未报送'}零报告`,
    body: names.slice(0, 30).join('、') + (names.length > 30 ? ` 等 ${names.length} 个单位` : ''),
    data: { periodId: t.ref_id, day: t.payload.day, unitIds: open.map((d) => d.from_unit_id) },
    dedupeKey: `zero:${t.ref_id}:${t.payload.day}:${kind}`,
  });
  await publish(
    ctx,
    [intakeAudience(root), ...open.map((d) => unitAudience(d.from_unit_id))],
    'deadline.overdue',
    {
      zeroReport: true,
      periodId: t.ref_id,
      day: t.payload.day,
      status: kind,
      unitIds: open.map((d) => d.from_unit_id),
    },
  );
}

zeroReportTimers.set('zero_report.late', (ctx, timers) =>
  timers.reduce((p, t) => p.then(() => escalate(ctx, t, 'late')), Promise.resolve()),
);
zeroReportTimers.set('zero_report.missed', (ctx, timers) =>
  timers.reduce((p, t) => p.then(() => escalate(ctx, t, 'missed')), Promise.resolve()),
);
