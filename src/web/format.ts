import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import i18n from './i18n';

dayjs.extend(utc);
dayjs.extend(timezone);

export const TZ = 'Asia/Shanghai';

/** 24-hour Beijing time: 2026-11-23 14:05. */
export function fmtTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  const d = dayjs(iso);
  if (!d.isValid()) return '—';
  return d.tz(TZ).format(withSeconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm');
}

/** Short form for today's items: 14:05, otherwise 11-22 14:05. */
export function fmtShort(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = dayjs(iso).tz(TZ);
  const now = dayjs().tz(TZ);
  if (d.isSame(now, 'day')) return d.format('HH:mm');
  if (d.isSame(now, 'year')) return d.format('MM-DD HH:mm');
  return d.format('YYYY-MM-DD HH:mm');
}

/** Durations as 2小时34分 (zh) or 2 h 34 min (en). */
export function fmtDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '—';
  const s = Math.max(0, Math.round(Math.abs(seconds)));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const en = i18n.language === 'en';
  if (s < 60) return en ? `${s} s` : `${s}秒`;
  const parts: string[] = [];
  if (d) parts.push(en ? `${d} d` : `${d}天`);
  if (h) parts.push(en ? `${h} h` : `${h}小时`);
  if (m || !parts.length) parts.push(en ? `${m} min` : `${m}分`);
  return parts.join(en ? ' ' : '');
}

export const durationBetween = (from: string, to?: string | null) =>
  (dayjs(to ?? undefined).valueOf() - dayjs(from).valueOf()) / 1000;

/** Pickers show Beijing wall-clock time whatever the browser's zone: convert both ways. */
export function nowWall(): Dayjs {
  return dayjs(dayjs().tz(TZ).format('YYYY-MM-DDTHH:mm:ss'));
}
export function wallToIso(d: Dayjs): string {
  return dayjs.tz(d.format('YYYY-MM-DDTHH:mm:ss'), TZ).format();
}
export function isoToWall(iso: string): Dayjs {
  return dayjs(dayjs(iso).tz(TZ).format('YYYY-MM-DDTHH:mm:ss'));
}
export function relativeFromNow(iso: string): number {
  return (dayjs(iso).valueOf() - Date.now()) / 1000;
}
