import type { UserCtx } from '../../floor/context.js';
import { notFound } from '../../floor/errors.js';
import { can } from '../../floor/policy.js';
import { CATEGORY_TREE } from '../emergency/categories.js';
import { getVisibleEvent } from '../emergency/emergency.repo.js';
import { activationsOf, listPlans } from './plans.repo.js';
import { plansPolicy, resourcesPolicy } from './policy.js';
import { listEntries, listStock } from './resources.repo.js';
import { bestCover, planMatches, rankByDistance } from './rules.js';

const LEVEL_NAMES: Record<string, string> = { I: 'Ⅰ', II: 'Ⅱ', III: 'Ⅲ', IV: 'Ⅳ' };
const LIMIT = 10;

/**
 * GET /api/events/{id}/suggestions: what the caller may see that fits the event — plans by the category tree
 * and level (most specific first, overall plans last), ready teams and the warehouses holding what the matched
 * plans need by straight-line distance (nearest first, no place last), experts of the event's categories.
 */
export async function suggestionsFor(ctx: UserCtx, eventId: string) {
  const ev = await getVisibleEvent(ctx, eventId);
  if (!ev) throw notFound('event_not_found');
  const en = ctx.lang === 'en';
  const a = ctx.actor;
  const catName = (code: string) => {
    const c = CATEGORY_TREE.find((x) => x[0] === code);
    return c ? (en ? c[2] : c[1]) : code;
  };
  const event = { categoryCode: ev.category_code, level: ev.level };
  const origin =
    ev.place?.lng != null && ev.place?.lat != null
      ? { lng: Number(ev.place.lng), lat: Number(ev.place.lat) }
      : null;

  // plans
  const activated = await activationsOf(ctx, ev.id);
  const matched = (await listPlans(ctx, a, {}))
    .map((p) => ({
      p,
      m: planMatches({ kind: p.kind, categoryCodes: p.category_codes, levels: p.levels }, event),
    }))
    .filter((x) => x.m.matches)
    .sort((x, y) => (y.m.matches && x.m.matches ? y.m.rank - x.m.rank : 0));
  const levelText = ev.level
    ? en
      ? `; provides for level ${LEVEL_NAMES[ev.level]}`
      : `；适用${LEVEL_NAMES[ev.level]}级响应`
    : en
      ? '; the event is not graded yet'
      : '；事件尚未定级';
  const plans = matched.map(({ p, m }) => {
    const cat = m.matches && m.by === 'category' ? m.category! : null;
    const what = cat
      ? cat === ev.category_code
        ? en
          ? `category ${cat} ${catName(cat)}, as the event`
          : `类别 ${cat} ${catName(cat)}，与本事件类别相同`
        : en
          ? `category ${cat} ${catName(cat)} covers ${ev.category_code} ${catName(ev.category_code)}`
          : `类别 ${cat} ${catName(cat)} 涵盖本事件类别 ${ev.category_code} ${catName(ev.category_code)}`
      : en
        ? 'overall plan: covers every category'
        : '总体预案，适用全部类别';
    return {
      id: p.id,
      title: p.title,
      kind: p.kind,
      ownerUnitName: p.owner_name,
      levels: p.levels,
      why: `${what}${levelText}`,
      activatedLevels: activated.filter((x) => x.plan_id === p.id).map((x) => x.level),
      canActivate: can(a, plansPolicy, 'activate', { unitId: p.owner_unit_id, areaId: p.owner_area_id }),
    };
  });

  const distText = (d: number | null) =>
    d == null
      ? !origin
        ? en
          ? 'no distance: the event has no coordinates'
          : '事件无坐标，未计算距离'
        : en
          ? 'no location registered'
          : '未登记位置'
      : en
        ? `straight-line distance ${d.toFixed(1)} km`
        : `直线距离 ${d.toFixed(1)} 公里`;

  // teams: ready only, nearest first
  const teams = rankByDistance(origin, await listEntries(ctx, a, 'team', { readiness: 'ready' }))
    .slice(0, LIMIT)
    .map((x) => {
      const cover = bestCover(x.category_codes ?? [], ev.category_code);
      const good = cover ? (en ? `; handles ${catName(cover)}` : `；擅长${catName(cover)}`) : '';
      return {
        id: x.id,
        name: x.name,
        unitName: x.unit_name,
        teamType: (x.details as { teamType?: string }).teamType ?? null,
        headcount: (x.details as { headcount?: number }).headcount ?? null,
        distanceKm: x.distanceKm,
        canDispatch: can(a, resourcesPolicy, 'dispatch', { unitId: x.unit_id, areaId: x.area_id }),
        why: en ? `ready; ${distText(x.distanceKm)}${good}` : `战备就绪，${distText(x.distanceKm)}${good}`,
      };
    });

  // warehouses holding what the matched plans need (or, without needs, anything in stock)
  const needs = new Map<string, number>();
  for (const { p } of matched)
    for (const s of p.supplies) needs.set(s.itemCode, Math.max(needs.get(s.itemCode) ?? 0, s.quantity));
  const stock = (await listStock(ctx, a, {})).filter(
    (s) => Number(s.quantity) > 0 && (needs.size === 0 || needs.has(s.item_code)),
  );
  const byWarehouse = new Map<string, typeof stock>();
  for (const s of stock) byWarehouse.set(s.warehouse_id, [...(byWarehouse.get(s.warehouse_id) ?? []), s]);
  const warehouseRows = (await listEntries(ctx, a, 'warehouse', {})).filter((w) => byWarehouse.has(w.id));
  const warehouses = rankByDistance(origin, warehouseRows)
    .slice(0, LIMIT)
    .map((w) => ({
      id: w.id,
      name: w.name,
      unitName: w.unit_name,
      distanceKm: w.distanceKm,
      why: distText(w.distanceKm),
      canDispatch: can(a, resourcesPolicy, 'dispatch', { unitId: w.unit_id, areaId: w.area_id }),
      items: byWarehouse.get(w.id)!.map((s) => ({
        itemCode: s.item_code,
        itemName: s.item_name,
        quantity: Number(s.quantity),
        unit: s.unit,
        needed: needs.get(s.item_code) ?? null,
      })),
    }));

  // experts whose categories cover the event's
  const experts = (await listEntries(ctx, a, 'expert', {}))
    .map((x) => ({ x, cover: bestCover(x.category_codes ?? [], ev.category_code) }))
    .filter((e) => e.cover)
    .slice(0, LIMIT)
    .map(({ x, cover }) => {
      const field = (x.details as { field?: string }).field ?? '';
      return {
        id: x.id,
        name: x.name,
        field,
        unitName: x.unit_name,
        why: en ? `${field}; covers ${catName(cover!)}` : `${field}；擅长${catName(cover!)}`,
      };
    });

  return {
    plans,
    teams,
    warehouses,
    experts,
    /** where distances are measured from; null: the event has no coordinates (every distance null) */
    origin: origin ? { ...origin, source: 'event' as const } : null,
    distanceLabel: en ? 'straight-line distance' : '直线距离',
  };
}
