import { type SQL, sql } from 'drizzle-orm';
import { INTERNAL_KINDS } from '../../contract/resources.js';
import { type Actor, type Ctx, isOfficeKind } from '../../floor/context.js';
import { isGlobalAdmin } from '../auth/policy.js';

/** SQL of 一网五库: registers, stock, dispatches. Rules live in the services and rules.ts. */

export type OwnerUnit = {
  id: string;
  name: string;
  kind: string;
  parent_id: string | null;
  path: string[];
  /** the area of the unit (itself for an area) */
  area_id: string;
  /** who reads its entries: its county-level area (see scopeAreaOf) */
  scope_area_id: string;
};

/**
 * A unit with its area and its county-level area: the county above or at it; for a unit above the county
 * level its own area; a township directly under a city (东莞) reads with its city. Null: unknown or disabled.
 */
export async function ownerUnit(ctx: Ctx, id: string): Promise<OwnerUnit | null> {
  const r = await ctx.tx.execute<{
    id: string;
    name: string;
    kind: string;
    parent_id: string | null;
    path: string[];
    ancestors: { id: string; kind: string; level: string | null; parent_id: string | null }[];
  }>(sql`select u.id, u.name, u.kind, u.parent_id, u.path,
      (select coalesce(json_agg(json_build_object('id', a.id, 'kind', a.kind, 'level', a.level,
         'parent_id', a.parent_id)), '[]') from units a where a.id = any(u.path)) as ancestors
    from units u where u.id = ${id} and not u.disabled`);
  const u = r.rows[0];
  if (!u) return null;
  const byId = new Map(u.ancestors.map((a) => [a.id, a]));
  const areaId = u.kind === 'area' || !u.parent_id ? u.id : u.parent_id;
  const county = u.ancestors.find((a) => a.kind === 'area' && a.level === 'county');
  const area = byId.get(areaId);
  const scope = county?.id ?? (area?.level === 'township' && area.parent_id ? area.parent_id : areaId);
  return {
    id: u.id,
    name: u.name,
    kind: u.kind,
    parent_id: u.parent_id,
    path: u.path,
    area_id: areaId,
    scope_area_id: scope,
  };
}

/** SQL: the register row or plan aliased `alias` (owner_path, scope_area_id) is readable by the actor. */
export function readableSql(a: Actor, alias: string): SQL {
  if (isGlobalAdmin(a)) return sql`true`;
  const col = (c: string) => sql.raw(`${alias}.${c}`);
  const path = sql.raw(
    `array[${a.acting.path.map((id) => `'${id.replace(/'/g, '')}'`).join(',') || 'null'}]::uuid[]`,
  );
  return sql`(${col('owner_path')} @> array[${a.acting.id}]::uuid[] or ${col('scope_area_id')} = any(${path}))`;
}

/**
 * SQL: a register row aliased `alias` is readable by the actor — as `readableSql`, and an internal one (人防工程,
 * 指挥所, 重要经济目标) only by its owner, and by the offices and leaders of the owner's area and the areas above.
 */
export function entryReadableSql(a: Actor, alias: string): SQL {
  const col = (c: string) => sql.raw(`${alias}.${c}`);
  const internal = sql.raw(`array[${INTERNAL_KINDS.map((k) => `'${k}'`).join(',')}]::text[]`);
  const officeOrLeader = isOfficeKind(a.unit.kind) || a.roles.includes('leader');
  const internalOk = officeOrLeader
    ? sql`(${col('unit_id')} = ${a.acting.id} or ${col('owner_path')} @> array[${a.acting.id}]::uuid[])`
    : sql`${col('unit_id')} = ${a.acting.id}`;
  return sql`(${readableSql(a, alias)} and (not (${col('kind')} = any(${internal})) or ${internalOk}))`;
}

export type EntryRow = {
  id: string;
  kind: string;
  unit_id: string;
  unit_name: string;
  area_id: string;
  owner_path: string[];
  scope_area_id: string;
  name: string;
  address: string | null;
  lng: number | null;
  lat: number | null;
  contact_name: string | null;
  phone: string | null;
  readiness: string | null;
  category_codes: string[];
  details: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
};

const ENTRY_COLUMNS = sql`r.*, u.name as unit_name,
  case when u.kind = 'area' or u.parent_id is null then u.id else u.parent_id end as area_id`;

export interface NewEntry {
  kind: string;
  unitId: string;
  ownerPath: string[];
  scopeAreaId: string;
  name: string;
  address: string | null;
  lng: number | null;
  lat: number | null;
  contactName: string | null;
  phone: string | null;
  readiness: string | null;
  categoryCodes: string[];
  details: Record<string, unknown>;
}

const textArray = (xs: string[]) =>
  sql.raw(`array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]::text[]`);
const uuidArray = (xs: string[]) =>
  sql.raw(`array[${xs.map((x) => `'${x.replace(/[^0-9a-f-]/gi, '')}'`).join(',')}]::uuid[]`);

export async function insertEntry(ctx: Ctx, e: NewEntry): Promise<string> {
  const now = ctx.clock.now().toISOString();
  const r = await ctx.tx.execute<{ id: string }>(sql`insert into resource_entries
    (kind, unit_id, owner_path, scope_area_id, name, address, lng, lat, contact_name, phone, readiness,
     category_codes, details, created_by, created_at, updated_at)
    values (${e.kind}, ${e.unitId}, ${uuidArray(e.ownerPath)}, ${e.scopeAreaId}, ${e.name}, ${e.address}, ${e.lng},
      ${e.lat}, ${e.contactName}, ${e.phone}, ${e.readiness}, ${textArray(e.categoryCodes)},
      ${JSON.stringify(e.details)}::jsonb, ${ctx.actor!.id}, ${now}, ${now}) returning id`);
  return r.rows[0].id;
}

export async function updateEntry(
  ctx: Ctx,
  id: string,
  e: Omit<NewEntry, 'kind' | 'unitId' | 'ownerPath' | 'scopeAreaId'>,
): Promise<void> {
  await ctx.tx.execute(sql`update resource_entries set name = ${e.name}, address = ${e.address}, lng = ${e.lng},
    lat = ${e.lat}, contact_name = ${e.contactName}, phone = ${e.phone}, readiness = ${e.readiness},
    category_codes = ${textArray(e.categoryCodes)}, details = ${JSON.stringify(e.details)}::jsonb,
    updated_at = ${ctx.clock.now().toISOString()} where id = ${id}`);
}

/** One entry of a kind the actor may read (null: none, or not readable — a sibling county gets 404). */
export async function readableEntry(
  ctx: Ctx,
  a: Actor,
  kind: string,
  id: string,
  lock = false,
): Promise<EntryRow | null> {
  const r = await ctx.tx.execute<EntryRow>(sql`select ${ENTRY_COLUMNS} from resource_entries r
    join units u on u.id = r.unit_id
    where r.id = ${id} and r.kind = ${kind} and ${entryReadableSql(a, 'r')} ${lock ? sql`for update of r` : sql``}`);
  return r.rows[0] ?? null;
}

export interface EntryFilter {
  unitId?: string;
  q?: string;
  readiness?: string;
}

export async function listEntries(ctx: Ctx, a: Actor, kind: string, f: EntryFilter, limit = 500) {
  const conds: SQL[] = [sql`r.kind = ${kind}`, entryReadableSql(a, 'r')];
  if (f.unitId) conds.push(sql`r.unit_id = ${f.unitId}`);
  if (f.readiness) conds.push(sql`r.readiness = ${f.readiness}`);
  if (f.q) conds.push(sql`(r.name like ${`%${f.q}%`} or coalesce(r.address, '') like ${`%${f.q}%`})`);
  const r = await ctx.tx.execute<EntryRow>(sql`select ${ENTRY_COLUMNS} from resource_entries r
    join units u on u.id = r.unit_id where ${sql.join(conds, sql` and `)}
    order by r.created_at desc, r.id limit ${limit}`);
  return r.rows;
}

// ---- stock

export type StockRow = {
  warehouse_id: string;
  warehouse_name: string;
  item_code: string;
  item_name: string;
  unit: string;
  quantity: string;
  batches: { expiresOn: string | null; quantity: string }[];
};

/** Lock the stock rows of these (warehouse, item) pairs in a fixed order (no deadlocks between transfers). */
export async function lockStock(
  ctx: Ctx,
  keys: { warehouseId: string; itemCode: string }[],
): Promise<Map<string, { unit: string; item_name: string; quantity: string }>> {
  const out = new Map<string, { unit: string; item_name: string; quantity: string }>();
  const sorted = [...keys].sort((a, b) =>
    `${a.warehouseId}/${a.itemCode}` < `${b.warehouseId}/${b.itemCode}` ? -1 : 1,
  );
  for (const k of sorted) {
    const r = await ctx.tx.execute<{ unit: string; item_name: string; quantity: string }>(sql`select unit,
      item_name, quantity::text as quantity from stock_items
      where warehouse_id = ${k.warehouseId} and item_code = ${k.itemCode} for update`);
    if (r.rows[0]) out.set(`${k.warehouseId}/${k.itemCode}`, r.rows[0]);
  }
  return out;
}

/** Create the stock row of a first receipt (a racing twin waits on the key, then finds it). */
export async function ensureStockItem(
  ctx: Ctx,
  k: { warehouseId: string; itemCode: string; itemName: string; unit: string },
): Promise<{ unit: string; item_name: string; quantity: string }> {
  await ctx.tx.execute(sql`insert into stock_items (warehouse_id, item_code, item_name, unit, quantity, updated_at)
    values (${k.warehouseId}, ${k.itemCode}, ${k.itemName}, ${k.unit}, 0, ${ctx.clock.now().toISOString()})
    on conflict do nothing`);
  const r = await ctx.tx.execute<{ unit: string; item_name: string; quantity: string }>(sql`select unit,
    item_name, quantity::text as quantity from stock_items
    where warehouse_id = ${k.warehouseId} and item_code = ${k.itemCode} for update`);
  return r.rows[0];
}

/** The item's row in another warehouse (empty, same name and unit) unless it has one. */
export async function copyStockItem(
  ctx: Ctx,
  from: { warehouseId: string; itemCode: string },
  toWarehouseId: string,
): Promise<void> {
  await ctx.tx.execute(sql`insert into stock_items (warehouse_id, item_code, item_name, unit, quantity, updated_at)
    select ${toWarehouseId}, item_code, item_name, unit, 0, ${ctx.clock.now().toISOString()} from stock_items
    where warehouse_id = ${from.warehouseId} and item_code = ${from.itemCode} on conflict do nothing`);
}

export async function batchesOf(ctx: Ctx, warehouseId: string, itemCode: string) {
  const r = await ctx.tx.execute<{ id: string; expires_on: string | null; quantity: string }>(sql`select id,
    to_char(expires_on, 'YYYY-MM-DD') as expires_on, quantity::text as quantity from stock_batches
    where warehouse_id = ${warehouseId} and item_code = ${itemCode} and quantity > 0`);
  return r.rows;
}

export async function setBatchQuantity(ctx: Ctx, id: string, quantity: string): Promise<void> {
  await ctx.tx.execute(sql`update stock_batches set quantity = ${quantity}::numeric where id = ${id}`);
}

export async function addBatch(
  ctx: Ctx,
  b: { warehouseId: string; itemCode: string; expiresOn: string | null; quantity: string },
): Promise<void> {
  await ctx.tx.execute(sql`insert into stock_batches (warehouse_id, item_code, expires_on, quantity, received_at)
    values (${b.warehouseId}, ${b.itemCode}, ${b.expiresOn}, ${b.quantity}::numeric, ${ctx.clock.now().toISOString()})`);
}

export async function setStockQuantity(
  ctx: Ctx,
  warehouseId: string,
  itemCode: string,
  quantity: string,
): Promise<void> {
  await ctx.tx.execute(sql`update stock_items set quantity = ${quantity}::numeric,
    updated_at = ${ctx.clock.now().toISOString()} where warehouse_id = ${warehouseId} and item_code = ${itemCode}`);
}

export interface NewMove {
  kind: string;
  warehouseId: string;
  toWarehouseId: string | null;
  itemCode: string;
  quantity: string;
  unit: string;
  eventId: string | null;
  expiresOn: string | null;
  reason: string | null;
  batches: { expiresOn: string | null; quantity: number }[];
}

export async function insertMove(ctx: Ctx, m: NewMove): Promise<{ id: string; at: Date }> {
  const a = ctx.actor!;
  const at = ctx.clock.now();
  const r = await ctx.tx.execute<{
    id: string;
  }>(sql`insert into stock_moves (kind, warehouse_id, to_warehouse_id,
    item_code, quantity, unit, event_id, expires_on, reason, batches, user_id, unit_id, at)
    values (${m.kind}, ${m.warehouseId}, ${m.toWarehouseId}, ${m.itemCode}, ${m.quantity}::numeric, ${m.unit},
      ${m.eventId}, ${m.expiresOn}, ${m.reason}, ${JSON.stringify(m.batches)}::jsonb, ${a.id}, ${a.acting.id},
      ${at.toISOString()}) returning id`);
  return { id: r.rows[0].id, at };
}

export async function listStock(
  ctx: Ctx,
  a: Actor,
  f: { warehouseId?: string; itemCode?: string },
): Promise<StockRow[]> {
  const conds: SQL[] = [readableSql(a, 'r')];
  if (f.warehouseId) conds.push(sql`s.warehouse_id = ${f.warehouseId}`);
  if (f.itemCode) conds.push(sql`s.item_code = ${f.itemCode}`);
  const r = await ctx.tx.execute<StockRow>(sql`select s.warehouse_id, r.name as warehouse_name, s.item_code,
      s.item_name, s.unit, s.quantity::text as quantity,
      (select coalesce(json_agg(json_build_object('expiresOn', to_char(b.expires_on, 'YYYY-MM-DD'),
         'quantity', b.quantity::text) order by b.expires_on nulls last), '[]')
       from stock_batches b where b.warehouse_id = s.warehouse_id and b.item_code = s.item_code
         and b.quantity > 0) as batches
    from stock_items s join resource_entries r on r.id = s.warehouse_id
    where ${sql.join(conds, sql` and `)} order by r.name, s.item_code limit 2000`);
  return r.rows;
}

export type MoveRow = {
  id: string;
  kind: string;
  warehouse_id: string;
  to_warehouse_id: string | null;
  item_code: string;
  quantity: string;
  unit: string;
  event_id: string | null;
  expires_on: string | null;
  reason: string | null;
  batches: { expiresOn: string | null; quantity: number }[];
  user_name: string | null;
  at: Date;
};

export async function listMoves(ctx: Ctx, a: Actor, f: { warehouseId?: string; eventId?: string }) {
  const conds: SQL[] = [readableSql(a, 'r')];
  if (f.warehouseId)
    conds.push(sql`(m.warehouse_id = ${f.warehouseId} or m.to_warehouse_id = ${f.warehouseId})`);
  if (f.eventId) conds.push(sql`m.event_id = ${f.eventId}`);
  const r =
    await ctx.tx.execute<MoveRow>(sql`select m.id, m.kind, m.warehouse_id, m.to_warehouse_id, m.item_code,
      m.quantity::text as quantity, m.unit, m.event_id, to_char(m.expires_on, 'YYYY-MM-DD') as expires_on, m.reason,
      m.batches, us.name as user_name, m.at
    from stock_moves m join resource_entries r on r.id = m.warehouse_id left join users us on us.id = m.user_id
    where ${sql.join(conds, sql` and `)} order by m.at desc, m.id limit 500`);
  return r.rows;
}

export async function insertAllocation(
  ctx: Ctx,
  x: {
    eventId: string;
    warehouseId: string;
    itemCode: string;
    quantity: string;
    unit: string;
    moveId: string;
  },
): Promise<string> {
  const r = await ctx.tx.execute<{ id: string }>(sql`insert into event_allocations (event_id, warehouse_id,
    item_code, quantity, unit, status, move_id, dispatched_by, dispatched_at)
    values (${x.eventId}, ${x.warehouseId}, ${x.itemCode}, ${x.quantity}::numeric, ${x.unit}, 'dispatched', ${x.moveId},
      ${ctx.actor!.id}, ${ctx.clock.now().toISOString()}) returning id`);
  return r.rows[0].id;
}

export type AllocationRow = {
  id: string;
  event_id: string;
  warehouse_id: string;
  warehouse_name: string;
  item_code: string;
  item_name: string;
  quantity: string;
  unit: string;
  status: string;
  move_id: string;
  dispatched_by_name: string | null;
  dispatched_at: Date;
};

export async function allocationsOf(ctx: Ctx, eventId: string, id?: string) {
  const r =
    await ctx.tx.execute<AllocationRow>(sql`select x.id, x.event_id, x.warehouse_id, r.name as warehouse_name,
      x.item_code, coalesce(s.item_name, x.item_code) as item_name, x.quantity::text as quantity, x.unit, x.status,
      x.move_id, us.name as dispatched_by_name, x.dispatched_at
    from event_allocations x join resource_entries r on r.id = x.warehouse_id
    left join stock_items s on s.warehouse_id = x.warehouse_id and s.item_code = x.item_code
    left join users us on us.id = x.dispatched_by
    where x.event_id = ${eventId} ${id ? sql`and x.id = ${id}` : sql``} order by x.dispatched_at, x.id`);
  return r.rows;
}

// ---- allocation requests

export type RequestRow = {
  id: string;
  event_id: string;
  event_title: string;
  warehouse_id: string;
  warehouse_name: string;
  warehouse_unit_id: string;
  warehouse_area_id: string;
  item_code: string;
  item_name: string | null;
  unit: string | null;
  quantity: string;
  reason: string | null;
  status: string;
  requested_by: string;
  requesting_unit_id: string;
  requesting_unit_name: string;
  requested_by_name: string | null;
  requested_at: Date;
  decided_by_name: string | null;
  decided_at: Date | null;
  decline_reason: string | null;
  allocation_id: string | null;
};

const REQUEST_SELECT = sql`select q.id, q.event_id, e.title as event_title, q.warehouse_id, r.name as warehouse_name,
    r.unit_id as warehouse_unit_id,
    case when wu.kind = 'area' or wu.parent_id is null then wu.id else wu.parent_id end as warehouse_area_id,
    q.item_code, s.item_name, s.unit, q.quantity::text as quantity, q.reason, q.status, q.requested_by, q.requesting_unit_id,
    ru.name as requesting_unit_name, rb.name as requested_by_name, q.requested_at, db.name as decided_by_name,
    q.decided_at, q.decline_reason, q.allocation_id
  from allocation_requests q join events e on e.id = q.event_id
  join resource_entries r on r.id = q.warehouse_id join units wu on wu.id = r.unit_id
  join units ru on ru.id = q.requesting_unit_id
  left join stock_items s on s.warehouse_id = q.warehouse_id and s.item_code = q.item_code
  left join users rb on rb.id = q.requested_by left join users db on db.id = q.decided_by`;

export async function insertRequest(
  ctx: Ctx,
  x: { eventId: string; warehouseId: string; itemCode: string; quantity: string; reason: string | null },
): Promise<string> {
  const a = ctx.actor!;
  const r = await ctx.tx.execute<{ id: string }>(sql`insert into allocation_requests (event_id, warehouse_id,
      item_code, quantity, reason, status, requested_by, requesting_unit_id, requested_at)
    values (${x.eventId}, ${x.warehouseId}, ${x.itemCode}, ${x.quantity}::numeric, ${x.reason}, 'requested', ${a.id},
      ${a.acting.id}, ${ctx.clock.now().toISOString()}) returning id`);
  return r.rows[0].id;
}

/** A request the actor may see: its warehouse readable by them, or asked by the unit they act for. */
export async function visibleRequest(
  ctx: Ctx,
  a: Actor,
  id: string,
  lock = false,
): Promise<RequestRow | null> {
  const r = await ctx.tx.execute<RequestRow>(sql`${REQUEST_SELECT}
    where q.id = ${id} and (${readableSql(a, 'r')} or q.requesting_unit_id = ${a.acting.id})
    ${lock ? sql`for update of q` : sql``}`);
  return r.rows[0] ?? null;
}

export async function listRequests(ctx: Ctx, a: Actor, f: { eventId?: string; status?: string }) {
  const conds: SQL[] = [sql`(${readableSql(a, 'r')} or q.requesting_unit_id = ${a.acting.id})`];
  if (f.eventId) conds.push(sql`q.event_id = ${f.eventId}`);
  if (f.status) conds.push(sql`q.status = ${f.status}`);
  const r = await ctx.tx.execute<RequestRow>(
    sql`${REQUEST_SELECT} where ${sql.join(conds, sql` and `)} order by q.requested_at desc, q.id limit 500`,
  );
  return r.rows;
}

export async function decideRequest(
  ctx: Ctx,
  id: string,
  d: { status: 'approved' | 'declined'; allocationId: string | null; declineReason: string | null },
): Promise<void> {
  await ctx.tx.execute(sql`update allocation_requests set status = ${d.status}, decided_by = ${ctx.actor!.id},
    decided_at = ${ctx.clock.now().toISOString()}, allocation_id = ${d.allocationId},
    decline_reason = ${d.declineReason} where id = ${id}`);
}

/** The people who dispatch from a warehouse: principals and people on duty acting for its owner or area. */
export async function dispatchersOf(ctx: Ctx, unitId: string, areaId: string): Promise<string[]> {
  const r = await ctx.tx.execute<{
    id: string;
  }>(sql`select us.id from users us join units un on un.id = us.unit_id
    where not us.disabled and us.roles && array['principal', 'duty_leader', 'duty_officer']::text[]
      and (un.id in (${unitId}, ${areaId})
        or (un.parent_id = ${areaId} and un.kind in ('party_office', 'gov_office', 'duty_room', 'confidential_bureau')))`);
  return r.rows.map((x) => x.id);
}

// ---- team deployments

export type DeploymentRow = {
  id: string;
  event_id: string;
  team_id: string;
  team_name: string;
  team_unit_id: string;
  team_area_id: string;
  deployed_by_name: string | null;
  deployed_at: Date;
  released_at: Date | null;
};

const DEPLOYMENT_SELECT = sql`select d.id, d.event_id, d.team_id, r.name as team_name, r.unit_id as team_unit_id,
    case when u.kind = 'area' or u.parent_id is null then u.id else u.parent_id end as team_area_id,
    us.name as deployed_by_name, d.deployed_at, d.released_at
  from team_deployments d join resource_entries r on r.id = d.team_id join units u on u.id = r.unit_id
  left join users us on us.id = d.deployed_by`;

export async function insertDeployment(ctx: Ctx, eventId: string, teamId: string): Promise<string> {
  const r = await ctx.tx.execute<{
    id: string;
  }>(sql`insert into team_deployments (event_id, team_id, deployed_by,
    deployed_at) values (${eventId}, ${teamId}, ${ctx.actor!.id}, ${ctx.clock.now().toISOString()}) returning id`);
  return r.rows[0].id;
}

export async function deploymentById(ctx: Ctx, a: Actor, id: string, lock = false) {
  const r = await ctx.tx.execute<DeploymentRow>(sql`${DEPLOYMENT_SELECT}
    where d.id = ${id} and ${entryReadableSql(a, 'r')} ${lock ? sql`for update of d` : sql``}`);
  return r.rows[0] ?? null;
}

export async function deploymentsOf(ctx: Ctx, eventId: string) {
  const r = await ctx.tx.execute<DeploymentRow>(
    sql`${DEPLOYMENT_SELECT} where d.event_id = ${eventId} order by d.deployed_at, d.id`,
  );
  return r.rows;
}

export async function releaseDeployment(ctx: Ctx, id: string): Promise<void> {
  await ctx.tx.execute(sql`update team_deployments set released_by = ${ctx.actor!.id},
    released_at = ${ctx.clock.now().toISOString()} where id = ${id}`);
}

export async function setReadiness(ctx: Ctx, id: string, readiness: string): Promise<void> {
  await ctx.tx.execute(sql`update resource_entries set readiness = ${readiness},
    updated_at = ${ctx.clock.now().toISOString()} where id = ${id}`);
}
