import type { z } from 'zod';
import { INTERNAL_KINDS, type RegisterKind } from '../../contract/resources.js';
import { audit } from '../../floor/audit.js';
import type { Actor, UserCtx } from '../../floor/context.js';
import { badRequest, notFound } from '../../floor/errors.js';
import { authorize, can } from '../../floor/policy.js';
import './messages.js';
import { type OwnedRef, resourcesPolicy } from './policy.js';
import {
  type EntryFilter,
  type EntryRow,
  insertEntry,
  listEntries,
  ownerUnit,
  readableEntry,
  updateEntry,
} from './resources.repo.js';
import { type entryOut, type registerBody, registerFields } from './resources.schema.js';

type Body<K extends RegisterKind> = z.infer<(typeof registerBody)[K]>;
type EntryOut = z.infer<typeof entryOut>;

/** The fields kept in their own columns; the rest of a kind's fields go to `details`. */
const COLUMN_FIELDS = new Set(['readiness', 'categoryCodes']);

export const ownedRef = (e: Pick<EntryRow, 'unit_id' | 'area_id'>): OwnedRef => ({
  unitId: e.unit_id,
  areaId: e.area_id,
});

const iso = (d: Date) => new Date(d).toISOString();

export function presentEntry(a: Actor, e: EntryRow): EntryOut {
  const ref = ownedRef(e);
  const phones = can(a, resourcesPolicy, 'seePhones', ref);
  return {
    ...(e.details as Record<string, unknown>),
    id: e.id,
    kind: e.kind,
    unitId: e.unit_id,
    unitName: e.unit_name,
    name: e.name,
    address: e.address,
    lng: e.lng,
    lat: e.lat,
    contactName: e.contact_name,
    phone: phones ? e.phone : null,
    phoneHidden: !phones && !!e.phone,
    readiness: e.readiness,
    categoryCodes: e.category_codes ?? [],
    internal: INTERNAL_KINDS.includes(e.kind as RegisterKind),
    createdAt: iso(e.created_at),
    updatedAt: iso(e.updated_at),
    can: {
      edit: can(a, resourcesPolicy, 'keep', ref),
      moveStock: e.kind === 'warehouse' && can(a, resourcesPolicy, 'moveStock', ref),
      dispatch: e.kind === 'warehouse' && can(a, resourcesPolicy, 'dispatch', ref),
    },
  } as EntryOut;
}

function split(kind: RegisterKind, body: Record<string, unknown>) {
  const details: Record<string, unknown> = {};
  for (const f of Object.keys(registerFields[kind]))
    if (!COLUMN_FIELDS.has(f) && body[f] !== undefined && body[f] !== null) details[f] = body[f];
  if ((body.lng == null) !== (body.lat == null)) throw badRequest('resource_coordinates_pair');
  const hasReadiness = 'readiness' in registerFields[kind];
  return {
    name: body.name as string,
    address: (body.address as string | null | undefined) || null,
    lng: (body.lng as number | null | undefined) ?? null,
    lat: (body.lat as number | null | undefined) ?? null,
    contactName: (body.contactName as string | null | undefined) || null,
    phone: (body.phone as string | null | undefined) || null,
    readiness: hasReadiness ? ((body.readiness as string | null | undefined) ?? 'ready') : null,
    categoryCodes: [...new Set((body.categoryCodes as string[] | null | undefined) ?? [])],
    details,
  };
}

/** POST /api/resources/{warehouses|teams|experts|shelters}: kept by the owner's editors and admins. */
export async function registerEntry<K extends RegisterKind>(ctx: UserCtx, kind: K, body: Body<K>) {
  const owner = await ownerUnit(ctx, body.unitId);
  if (!owner) throw badRequest('resource_owner_unknown', { unitId: body.unitId });
  authorize(ctx.actor, resourcesPolicy, 'keep', { unitId: owner.id, areaId: owner.area_id });
  const fields = split(kind, body as Record<string, unknown>);
  const id = await insertEntry(ctx, {
    kind,
    unitId: owner.id,
    ownerPath: owner.path,
    scopeAreaId: owner.scope_area_id,
    ...fields,
  });
  await audit(ctx, {
    stream: `resource:${id}`,
    action: 'resource_registered',
    entityType: kind,
    entityId: id,
    data: {
      kind,
      unitId: owner.id,
      name: fields.name,
      lng: fields.lng,
      lat: fields.lat,
      readiness: fields.readiness,
    },
  });
  return getEntry(ctx, kind, id, false);
}

/** PATCH: change an entry (readiness of a team, a shelter's capacity …); the owner stays. */
export async function changeEntry<K extends RegisterKind>(
  ctx: UserCtx,
  kind: K,
  id: string,
  patch: Partial<Body<K>>,
) {
  const e = await readableEntry(ctx, ctx.actor, kind, id, true);
  if (!e) throw notFound('resource_not_found');
  authorize(ctx.actor, resourcesPolicy, 'keep', ownedRef(e));
  if (patch.unitId && patch.unitId !== e.unit_id) throw badRequest('resource_owner_fixed');
  const before: Record<string, unknown> = {
    ...e.details,
    name: e.name,
    address: e.address,
    lng: e.lng,
    lat: e.lat,
    contactName: e.contact_name,
    phone: e.phone,
    readiness: e.readiness,
    categoryCodes: e.category_codes,
  };
  const merged = {
    ...before,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
  };
  const fields = split(kind, merged);
  await updateEntry(ctx, id, fields);
  const changed = Object.keys(patch).filter(
    (k) => k !== 'unitId' && JSON.stringify(before[k] ?? null) !== JSON.stringify(merged[k] ?? null),
  );
  await audit(ctx, {
    stream: `resource:${id}`,
    action: 'resource_changed',
    entityType: kind,
    entityId: id,
    data: {
      changed,
      // phones are personal data: the log says that they changed, not what they are
      from: Object.fromEntries(changed.filter((k) => k !== 'phone').map((k) => [k, before[k] ?? null])),
      to: Object.fromEntries(changed.filter((k) => k !== 'phone').map((k) => [k, merged[k] ?? null])),
    },
  });
  return getEntry(ctx, kind, id, false);
}

/** Every read of an internal entry (人防工程, 指挥所, 重要经济目标) is logged on the entry's stream (SPEC §10). */
async function logInternalReads(ctx: UserCtx, rows: EntryRow[], via: 'record' | 'list') {
  for (const e of rows)
    if (INTERNAL_KINDS.includes(e.kind as RegisterKind))
      await audit(ctx, {
        stream: `resource:${e.id}`,
        action: 'internal_read',
        entityType: e.kind,
        entityId: e.id,
        data: { via },
      });
}

/** One entry; `logRead: false` only where the keeper's own write answers with it (the write is logged). */
export async function getEntry(ctx: UserCtx, kind: RegisterKind, id: string, logRead = true) {
  const e = await readableEntry(ctx, ctx.actor, kind, id);
  if (!e) throw notFound('resource_not_found');
  if (logRead) await logInternalReads(ctx, [e], 'record');
  return presentEntry(ctx.actor, e);
}

export async function listRegister(ctx: UserCtx, kind: RegisterKind, f: EntryFilter) {
  const rows = await listEntries(ctx, ctx.actor, kind, f);
  await logInternalReads(ctx, rows, 'list');
  return { items: rows.map((e) => presentEntry(ctx.actor, e)), nextCursor: null };
}
