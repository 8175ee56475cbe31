/**
 * The rules of 一网五库 as plain functions (no database): category matching as a tree, plan matching, the
 * straight-line distance and ranking, and stock arithmetic in thousandths with batches issued earliest expiry
 * first.
 */

/** Whether a plan's (or team's, expert's) category code covers an event's: 12000 covers 12G00 and 12G01. */
export function categoryCovers(scope: string, code: string): boolean {
  if (scope === code) return true;
  if (/^1\d000$/.test(scope)) return code.slice(0, 2) === scope.slice(0, 2);
  if (scope.endsWith('00')) return code.slice(0, 3) === scope.slice(0, 3);
  return false;
}

/** The most specific of `scopes` covering `code` (null when none does). */
export function bestCover(scopes: readonly string[], code: string): string | null {
  const covering = scopes.filter((s) => categoryCovers(s, code));
  if (covering.length === 0) return null;
  const depth = (s: string) => (/^1\d000$/.test(s) ? 1 : s.endsWith('00') ? 2 : 3);
  return covering.sort((a, b) => depth(b) - depth(a))[0];
}

export interface PlanLike {
  kind: string;
  categoryCodes: readonly string[];
  levels: readonly string[];
}

export type PlanMatch =
  | { matches: false }
  | {
      matches: true;
      by: 'overall' | 'category';
      category: string | null;
      level: string | null;
      rank: number;
    };

/**
 * Whether a plan applies to an event: an overall plan matches every category, others by the category tree;
 * the event's level must be one of the plan's (an ungraded event matches any level). `rank`: more specific
 * first (detail 3, sub-class 2, class 1, overall 0).
 */
export function planMatches(
  plan: PlanLike,
  event: { categoryCode: string; level: string | null },
): PlanMatch {
  if (event.level && !plan.levels.includes(event.level)) return { matches: false };
  if (plan.kind === 'overall')
    return { matches: true, by: 'overall', category: null, level: event.level, rank: 0 };
  const c = bestCover(plan.categoryCodes, event.categoryCode);
  if (!c) return { matches: false };
  const rank = /^1\d000$/.test(c) ? 1 : c.endsWith('00') ? 2 : 3;
  return { matches: true, by: 'category', category: c, level: event.level, rank };
}

const R_KM = 6371.0088;
const rad = (d: number) => (d * Math.PI) / 180;

/** Straight-line (great-circle) distance in km between two WGS-84/CGCS2000 points (haversine). */
export function distanceKm(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * R_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

type Point = { lng: number | null; lat: number | null };

/** Each item with its distance from `origin` (2 decimals), nearest first; no distance (no place) last. */
export function rankByDistance<T extends Point>(
  origin: Point | null,
  items: readonly T[],
): Array<T & { distanceKm: number | null }> {
  const withD = items.map((i) => ({
    ...i,
    distanceKm:
      origin && origin.lng != null && origin.lat != null && i.lng != null && i.lat != null
        ? Math.round(distanceKm({ lng: origin.lng, lat: origin.lat }, { lng: i.lng, lat: i.lat }) * 100) / 100
        : null,
  }));
  return withD.sort((a, b) => {
    if (a.distanceKm == null && b.distanceKm == null) return 0;
    if (a.distanceKm == null) return 1;
    if (b.distanceKm == null) return -1;
    return a.distanceKm - b.distanceKm;
  });
}

// ---- stock: quantities in thousandths (numeric(18,3)), never floating-point sums

/** "12.5" / 12.5 → 12500 thousandths; more than 3 decimals → null. */
export function toMilli(q: number | string): number | null {
  const s = typeof q === 'number' ? String(q) : q;
  const m = /^(\d+)(?:\.(\d{1,3}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
}
export const fromMilli = (m: number): number => m / 1000;
/** numeric text for SQL */
export const milliText = (m: number): string =>
  `${Math.trunc(m / 1000)}.${String(m % 1000).padStart(3, '0')}`;

export interface Batch {
  id?: string;
  expiresOn: string | null;
  quantity: number; // thousandths
}

/**
 * Take `quantity` from batches, earliest expiry first (no expiry last); null when the batches hold too little
 * (stock never negative). The taken parts and what is left of each batch are returned; nothing is mutated.
 */
export function takeEarliestExpiry(
  batches: readonly Batch[],
  quantity: number,
): { taken: Batch[]; left: Batch[] } | null {
  const total = batches.reduce((s, b) => s + b.quantity, 0);
  if (quantity <= 0 || quantity > total) return null;
  const order = [...batches].sort((a, b) => {
    if (a.expiresOn === b.expiresOn) return 0;
    if (a.expiresOn == null) return 1;
    if (b.expiresOn == null) return -1;
    return a.expiresOn < b.expiresOn ? -1 : 1;
  });
  let need = quantity;
  const taken: Batch[] = [];
  const left: Batch[] = [];
  for (const b of order) {
    const take = Math.min(need, b.quantity);
    if (take > 0) taken.push({ ...b, quantity: take });
    left.push({ ...b, quantity: b.quantity - take });
    need -= take;
  }
  return { taken, left };
}

/** Whether a batch expires within `days` of `today` (both YYYY-MM-DD); expired ones included. */
export function expiresSoon(expiresOn: string | null, today: string, days = 30): boolean {
  if (!expiresOn) return false;
  const t = Date.parse(`${today}T00:00:00Z`) + days * 86_400_000;
  return Date.parse(`${expiresOn}T00:00:00Z`) <= t;
}
