import chineseDays from 'chinese-days';

const { isWorkday } = chineseDays;

/** Default working hours: Mon–Fri 08:30–12:00 and 14:30–17:30; public holidays and adjusted working days respected. */
export const DEFAULT_WORKING_HOURS = {
  periods: [
    ['08:30', '12:00'],
    ['14:30', '17:30'],
  ] as [string, string][],
};

const TZ_OFFSET_MIN = 8 * 60; // Beijing time, no DST

/** Beijing local date (YYYY-MM-DD) and minutes since midnight. */
export function beijingParts(at: Date): { date: string; minutes: number; weekday: number } {
  const local = new Date(at.getTime() + TZ_OFFSET_MIN * 60_000);
  const date = local.toISOString().slice(0, 10);
  return { date, minutes: local.getUTCHours() * 60 + local.getUTCMinutes(), weekday: local.getUTCDay() || 7 };
}

const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `at` falls in the unit's working hours (otherwise it is off-hours: the duty room is alerted). */
export function isWorkingTime(workingHours: unknown, at: Date): boolean {
  const wh = (workingHours as typeof DEFAULT_WORKING_HOURS | null) ?? DEFAULT_WORKING_HOURS;
  const { date, minutes } = beijingParts(at);
  if (!isWorkday(date)) return false;
  return wh.periods.some(([a, b]) => minutes >= toMin(a) && minutes < toMin(b));
}

/** 2026年11月23日 */
export function formatDateZh(at: Date): string {
  const { date } = beijingParts(at);
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** 2小时34分 */
export function formatDurationZh(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [];
  if (d) parts.push(`${d}天`);
  if (h) parts.push(`${h}小时`);
  if (m || parts.length === 0) parts.push(`${m}分`);
  return parts.join('');
}
