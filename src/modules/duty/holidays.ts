import chineseDays from 'chinese-days';
import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import type { Ctx } from '../../floor/context.js';
import { authorize } from '../../floor/policy.js';
import { beijingParts } from '../../floor/working-hours.js';
import { subtreeScope } from '../auth/policy.js';
import { notify } from '../notify/notify.js';
import { actingUnitIdOf } from '../units/acting.js';
import { addDays, beijingInstant, DUTY_UNIT_COND, DutyError, getSettings, iso, loadUnit } from './common.js';
import { dutyPolicy } from './policy.js';
import { gapsBetween } from './roster.js';

const { getDayDetail, isHoliday } = chineseDays;

export interface LongHoliday {
  key: string; // 2026-国庆节
  name: string; // 国庆节
  nameEn: string;
  from: string;
  to: string;
  days: number;
}

const cache = new Map<number, LongHoliday[]>();

/** The long holidays (three days or more off, e.g. 元旦, 春节, 国庆节) of a year, from `chinese-days`. */
export function longHolidays(year: number): LongHoliday[] {
  const hit = cache.get(year);
  if (hit) return hit;
  const out: LongHoliday[] = [];
  let cur: LongHoliday | null = null;
  for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) {
    const detail = getDayDetail(d);
    const parts = detail.name.split(',');
    const named = parts.length >= 2 && isHoliday(d);
    if (named && cur && cur.name === parts[1] && addDays(cur.to, 1) === d) {
      cur.to = d;
      cur.days++;
      continue;
    }
    if (cur) out.push(cur);
    cur = named
      ? { key: `${year}-${parts[1]}`, name: parts[1], nameEn: parts[0], from: d, to: d, days: 1 }
      : null;
  }
  if (cur) out.push(cur);
  // a holiday split by a working day keeps one key: the longest stretch
  const best = new Map<string, LongHoliday>();
  for (const h of out.filter((h) => h.days >= 3))
    if (!best.has(h.key) || best.get(h.key)!.days < h.days) best.set(h.key, h);
  const list = [...best.values()].sort((a, b) => a.from.localeCompare(b.from));
  cache.set(year, list);
  return list;
}

export function findHoliday(key: string): LongHoliday | null {
  // "7e78…" is a number to Number(); only a real four-digit year names a holiday
  if (!/^\d{4}\b/.test(key)) return null;
  const year = Number(key.slice(0, 4));
  if (year < 1990 || year > 2100) return null;
  return longHolidays(year).find((h) => h.key === key) ?? null;
}

/** The roster must be published upward `leadDays` before the holiday starts (Beijing midnight). */
export const publishDueAt = (h: LongHoliday, leadDays: number) =>
  beijingInstant(addDays(h.from, -leadDays), '00:00');

async function publication(ctx: Ctx, unitId: string, key: string) {
  const r = await ctx.tx.execute<any>(
    sql`select * from duty_roster_publications where unit_id = ${unitId} and holiday_key = ${key}`,
  );
  return r.rows[0] ?? null;
}

/** The long holidays of a year for one unit, with the publication state. */
export async function holidaysOfUnit(ctx: Ctx, unitId: string, year: number) {
  await loadUnit(ctx, unitId);
  const settings = await getSettings(ctx, unitId);
  const now = ctx.clock.now();
  const out = [];
  for (const h of longHolidays(year)) {
    const dueAt = publishDueAt(h, settings.publishLeadDays);
    const pub = await publication(ctx, unitId, h.key);
    const gaps = await gapsBetween(ctx, unitId, h.from, h.to);
    out.push({
      ...h,
      dueAt: dueAt.toISOString(),
      published: pub
        ? { at: iso(pub.published_at)!, by: pub.published_by as string, late: !!pub.late }
        : null,
      overdue: !pub && now > dueAt,
      gaps: gaps.length,
    });
  }
  return out;
}

/** 报备: publish a holiday roster upward. It must be complete (every shift has an officer and a leader). */
export async function publishHolidayRoster(ctx: Ctx, unitId: string, key: string) {
  const unit = await loadUnit(ctx, unitId);
  authorize(ctx.actor, dutyPolicy, 'publish', unit);
  const h = findHoliday(key);
  if (!h) throw new DutyError(404, 'duty_unknown_holiday', { key });
  const gaps = await gapsBetween(ctx, unitId, h.from, h.to);
  if (gaps.length) throw new DutyError(422, 'duty_roster_incomplete', { gaps, count: gaps.length });
  const settings = await getSettings(ctx, unitId);
  const now = ctx.clock.now();
  const dueAt = publishDueAt(h, settings.publishLeadDays);
  const late = now > dueAt;
  const r = await ctx.tx.execute<any>(sql`
    insert into duty_roster_publications (unit_id, holiday_key, holiday_name, from_day, to_day, due_at,
      published_at, published_by, late)
    values (${unitId}, ${h.key}, ${h.name}, ${h.from}, ${h.to}, ${dueAt.toISOString()}, ${now.toISOString()},
            ${ctx.actor!.id}, ${late})
    on conflict (unit_id, holiday_key) do update set published_at = excluded.published_at,
      published_by = excluded.published_by
    returning *`);
  await audit(ctx, {
    stream: `duty:${unitId}`,
    action: 'duty_roster_published',
    entityType: 'duty_roster_publication',
    entityId: r.rows[0].id,
    unitId,
    data: { holiday: h.key, from: h.from, to: h.to, late, dueAt: dueAt.toISOString() },
  });
  const above = await dutyStaffAbove(ctx, unit);
  if (above.length)
    await notify(ctx, {
      userIds: above,
      kind: 'duty.roster_published',
      title: `${unit.name} 报备了${h.name}值班表`,
      body: `${h.from} 至 ${h.to}${late ? '（逾期报备）' : ''}`,
      data: { unitId, holidayKey: h.key },
    });
  return { unitId, holidayKey: h.key, publishedAt: now.toISOString(), late };
}

/** The duty staff of the unit's own duty rooms (a township 党政办 and the like). */
async function dutyStaffOf(ctx: Ctx, unitId: string): Promise<string[]> {
  const r = await ctx.tx.execute<{ id: string }>(sql`
    select id from users where unit_id = ${unitId} and not disabled
      and roles && array['duty_officer','duty_leader']::text[]`);
  if (r.rows.length) return r.rows.map((x) => x.id);
  const p = await ctx.tx.execute<{ id: string }>(sql`
    select id from users where unit_id = ${unitId} and not disabled and roles && array['principal','approver']::text[]`);
  return p.rows.map((x) => x.id);
}

/** The level above: the duty rooms of the area above the one the unit acts for. */
async function dutyStaffAbove(
  ctx: Ctx,
  unit: { id: string; kind: string; parent_id: string | null },
): Promise<string[]> {
  const acting = actingUnitIdOf({ id: unit.id, kind: unit.kind, parentId: unit.parent_id });
  const r = await ctx.tx.execute<{ parent_id: string | null }>(
    sql`select parent_id from units where id = ${acting}`,
  );
  const above = r.rows[0]?.parent_id;
  if (!above) return [];
  const u = await ctx.tx.execute<{ id: string }>(sql`
    select us.id from users us join units un on un.id = us.unit_id
    where not us.disabled and un.parent_id = ${above} and un.kind in ('duty_room', 'party_office')
      and us.roles && array['duty_officer','duty_leader']::text[]`);
  return u.rows.map((x) => x.id);
}

/** For the level above: which duty units below have published the roster of a holiday. */
export async function holidayStatusBelow(ctx: Ctx, key: string) {
  const h = findHoliday(key);
  if (!h) throw new DutyError(404, 'duty_unknown_holiday', { key });
  const now = ctx.clock.now();
  const r = await ctx.tx.execute<any>(sql`
    select u.id, u.name, u.kind, u.parent_id, coalesce(s.publish_lead_days, 7) as lead,
           p.published_at, p.late
    from units u
    left join duty_settings s on s.unit_id = u.id
    left join duty_roster_publications p on p.unit_id = u.id and p.holiday_key = ${key}
    where not u.disabled and ${DUTY_UNIT_COND} and ${subtreeScope(ctx.actor!, 'u')}
    order by array_length(u.path, 1), u.name`);
  return {
    holiday: h,
    items: r.rows.map((u) => {
      const dueAt = publishDueAt(h, u.lead);
      return {
        unitId: u.id as string,
        name: u.name as string,
        dueAt: dueAt.toISOString(),
        publishedAt: iso(u.published_at),
        late: !!u.late,
        overdue: !u.published_at && now > dueAt,
      };
    }),
  };
}

/**
 * The reminder pass (worker): from three days before a holiday roster is due until the holiday starts, a
 * unit that has not published is reminded once a day; once it is overdue the level above is told once.
 * Each reminder is claimed by a unique row, so several instances send it once.
 */
export async function remindHolidayRosters(ctx: Ctx): Promise<number> {
  const now = ctx.clock.now();
  const today = beijingParts(now).date;
  const year = Number(today.slice(0, 4));
  const upcoming = [...longHolidays(year), ...longHolidays(year + 1)].filter(
    (h) => h.from > today && h.from <= addDays(today, 60),
  );
  if (!upcoming.length) return 0;
  const units = await ctx.tx.execute<any>(sql`
    select u.id, u.name, u.kind, u.parent_id, coalesce(s.publish_lead_days, 7) as lead
    from units u left join duty_settings s on s.unit_id = u.id
    where not u.disabled and ${DUTY_UNIT_COND}`);
  let sent = 0;
  for (const h of upcoming) {
    for (const u of units.rows) {
      const dueAt = publishDueAt(h, u.lead);
      if (now < new Date(dueAt.getTime() - 3 * 86400_000)) continue;
      if (await publication(ctx, u.id, h.key)) continue;
      const claim = await ctx.tx.execute(sql`
        insert into duty_reminders (unit_id, holiday_key, kind, day, at)
        values (${u.id}, ${h.key}, 'remind', ${today}, ${now.toISOString()}) on conflict do nothing`);
      if (claim.rowCount) {
        const staff = await dutyStaffOf(ctx, u.id);
        if (staff.length)
          await notify(ctx, {
            userIds: staff,
            kind: 'duty.roster_reminder',
            title: `请报备${h.name}值班表`,
            body: `${u.name}：${h.name}（${h.from} 至 ${h.to}）值班表须于 ${beijingParts(dueAt).date} 前报上级${now > dueAt ? '，已逾期' : ''}。`,
            data: { unitId: u.id, holidayKey: h.key, dueAt: dueAt.toISOString() },
          });
        sent++;
      }
      if (now > dueAt) {
        const over = await ctx.tx.execute(sql`
          insert into duty_reminders (unit_id, holiday_key, kind, day, at)
          values (${u.id}, ${h.key}, 'overdue', ${beijingParts(dueAt).date}, ${now.toISOString()}) on conflict do nothing`);
        if (over.rowCount) {
          await audit(ctx, {
            stream: `duty:${u.id}`,
            action: 'duty_roster_overdue',
            entityType: 'duty_roster_publication',
            entityId: null,
            unitId: u.id,
            data: { holiday: h.key, dueAt: dueAt.toISOString() },
          });
          const above = await dutyStaffAbove(ctx, u);
          if (above.length)
            await notify(ctx, {
              userIds: above,
              kind: 'duty.roster_overdue',
              title: `${u.name} 未按时报备${h.name}值班表`,
              body: `应于 ${beijingParts(dueAt).date} 前报备。`,
              data: { unitId: u.id, holidayKey: h.key },
            });
          sent++;
        }
      }
    }
  }
  return sent;
}
