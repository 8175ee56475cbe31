import { sql } from 'drizzle-orm';
import type { Ctx } from '../../floor/context.js';
import { AppError, notFound } from '../../floor/errors.js';
import { inScope } from '../auth/policy.js';
import { actingUnitIdOf } from '../units/acting.js';

export interface ShiftTemplate {
  code: string;
  name: string;
  start: string; // HH:MM Beijing time
  end: string; // HH:MM; not after start → next day
}

export const DEFAULT_SHIFTS: ShiftTemplate[] = [
  { code: 'day', name: '白班', start: '08:30', end: '17:30' },
  { code: 'night', name: '夜班', start: '17:30', end: '08:30' },
];
export const DEFAULT_PUBLISH_LEAD_DAYS = 7;
export const DEFAULT_SPOT_CHECK_MINUTES = 3;

export interface DutySettings {
  unitId: string;
  shifts: ShiftTemplate[];
  publishLeadDays: number;
  spotCheckMinutes: number;
  isDefault: boolean;
}

export type DutyUnit = {
  id: string;
  name: string;
  kind: string;
  level: string | null;
  parent_id: string | null;
  path: string[];
  duty_phone: string | null;
};

const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** A Beijing-time wall clock on a date as an instant. */
export function beijingInstant(day: string, hhmm: string, plusDays = 0): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + plusDays, 0, toMin(hhmm)) - 8 * 3600_000);
}

export function shiftBounds(day: string, s: ShiftTemplate): { startsAt: Date; endsAt: Date } {
  const startsAt = beijingInstant(day, s.start);
  const endsAt = beijingInstant(day, s.end, toMin(s.end) <= toMin(s.start) ? 1 : 0);
  return { startsAt, endsAt };
}

export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

export async function getSettings(ctx: Ctx, unitId: string): Promise<DutySettings> {
  const r = await ctx.tx.execute<any>(sql`select * from duty_settings where unit_id = ${unitId}`);
  const s = r.rows[0];
  if (!s)
    return {
      unitId,
      shifts: DEFAULT_SHIFTS,
      publishLeadDays: DEFAULT_PUBLISH_LEAD_DAYS,
      spotCheckMinutes: DEFAULT_SPOT_CHECK_MINUTES,
      isDefault: true,
    };
  return {
    unitId,
    shifts: s.shifts,
    publishLeadDays: s.publish_lead_days,
    spotCheckMinutes: s.spot_check_minutes,
    isDefault: false,
  };
}

export async function loadUnit(ctx: Ctx, id: string): Promise<DutyUnit> {
  const r = await ctx.tx.execute<DutyUnit>(
    sql`select id, name, kind, level, parent_id, path, duty_phone from units where id = ${id}`,
  );
  const u = r.rows[0];
  if (!u || (ctx.actor && !inScope(ctx.actor, u.path))) throw notFound();
  return u;
}

/** A person may be rostered on a unit when they belong to it (an office's people to the offices of its area). */
export async function requireAssignable(ctx: Ctx, unit: DutyUnit, userId: string) {
  const r = await ctx.tx.execute<any>(sql`
    select u.id, u.name, u.disabled, un.id as unit_id, un.kind, un.parent_id
    from users u join units un on un.id = u.unit_id where u.id = ${userId}`);
  const u = r.rows[0];
  if (!u || u.disabled) throw new DutyError(400, 'duty_unknown_person', { userId });
  const same =
    u.unit_id === unit.id ||
    actingUnitIdOf({ id: u.unit_id, kind: u.kind, parentId: u.parent_id }) ===
      actingUnitIdOf({ id: unit.id, kind: unit.kind, parentId: unit.parent_id });
  if (!same) throw new DutyError(400, 'duty_not_member', { userId, name: u.name });
  return u as { id: string; name: string };
}

export class DutyError extends AppError {}

/** SQL: units that keep duty (duty rooms, a township's 党政办, and any unit with duty settings). */
export const DUTY_UNIT_COND = sql`(u.kind = 'duty_room'
  or (u.kind = 'party_office' and exists (select 1 from units p where p.id = u.parent_id and p.level = 'township'))
  or exists (select 1 from duty_settings s where s.unit_id = u.id))`;

export async function peopleByIds(ctx: Ctx, ids: (string | null | undefined)[]) {
  const uniq = [...new Set(ids.filter((x): x is string => !!x))];
  const out = new Map<string, { id: string; name: string; phone: string | null }>();
  if (!uniq.length) return out;
  const r = await ctx.tx.execute<any>(
    sql`select id, name, phone from users where id in (${sql.join(
      uniq.map((i) => sql`${i}`),
      sql`, `,
    )})`,
  );
  for (const p of r.rows) out.set(p.id, { id: p.id, name: p.name, phone: p.phone ?? null });
  return out;
}

export const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** A `date` column as YYYY-MM-DD (node-postgres parses dates to local midnight). */
export function dayStr(v: unknown): string {
  if (v instanceof Date) {
    const p = (n: number) => String(n).padStart(2, '0');
    return `${v.getFullYear()}-${p(v.getMonth() + 1)}-${p(v.getDate())}`;
  }
  return String(v).slice(0, 10);
}
