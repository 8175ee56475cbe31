import { z } from 'zod';
import {
  READINESS,
  RESPONSE_LEVELS,
  SHELTER_TYPES,
  STOCK_MOVE_KINDS,
  TEAM_TYPES,
} from '../../contract/resources.js';
import { requiredText, text } from '../../floor/floor.schema.js';

const CATEGORY = z.string().regex(/^1[1-4](000|[A-Z](\d{2}))$/);
const lng = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
const count = z.number().int().min(0).max(10_000_000);
/** a quantity: positive, at most three decimals (checked again as thousandths in the service) */
export const quantity = z.number().positive().max(1e12);

const common = {
  unitId: z.uuid(),
  name: requiredText(200),
  address: text(400).nullish(),
  lng: lng.nullish(),
  lat: lat.nullish(),
  contactName: text(100).nullish(),
  phone: text(100).nullish(),
};

/** The fields of each register, beyond the common ones; they are kept in `details` except the indexed ones. */
export const registerFields = {
  warehouse: {
    level: z.enum(['province', 'city', 'county', 'township', 'enterprise']).nullish(),
    areaSqm: count.nullish(),
    manager: text(100).nullish(),
  },
  team: {
    teamType: z.enum(TEAM_TYPES),
    level: text(40).nullish(),
    headcount: count.nullish(),
    equipment: text(2000).nullish(),
    speciality: text(200).nullish(),
    readiness: z.enum(READINESS).nullish(),
    categoryCodes: z.array(CATEGORY).max(50).nullish(),
  },
  expert: {
    field: requiredText(100),
    speciality: text(200).nullish(),
    employer: text(200).nullish(),
    title: text(100).nullish(),
    categoryCodes: z.array(CATEGORY).max(50).nullish(),
  },
  shelter: {
    shelterType: z.enum(SHELTER_TYPES).nullish(),
    capacity: count.nullish(),
    areaSqm: count.nullish(),
    readiness: z.enum(READINESS).nullish(),
  },
  /** 人防工程: kind of work (人员掩蔽, 医疗救护, 专业队, 配套 …), protection class (抗力等级), capacity */
  air_defence_work: {
    workType: text(60).nullish(),
    protectionLevel: text(40).nullish(),
    capacity: count.nullish(),
    areaSqm: count.nullish(),
    readiness: z.enum(READINESS).nullish(),
  },
  /** 指挥所: level and the last readiness check */
  command_post: {
    level: text(40).nullish(),
    areaSqm: count.nullish(),
    readiness: z.enum(READINESS).nullish(),
    checkedOn: z.iso.date().nullish(),
  },
  /** 重要经济目标 */
  key_target: {
    targetType: text(60).nullish(),
    protectionLevel: text(40).nullish(),
  },
} as const;

export const registerBody = {
  warehouse: z.object({ ...common, ...registerFields.warehouse }),
  team: z.object({ ...common, ...registerFields.team }),
  expert: z.object({ ...common, ...registerFields.expert }),
  shelter: z.object({ ...common, ...registerFields.shelter }),
  air_defence_work: z.object({ ...common, ...registerFields.air_defence_work }),
  command_post: z.object({ ...common, ...registerFields.command_post }),
  key_target: z.object({ ...common, ...registerFields.key_target }),
};

/** One answer shape for every register (fields of other kinds absent). */
export const entryOut = z.object({
  id: z.uuid(),
  kind: z.string(),
  unitId: z.uuid(),
  unitName: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  contactName: z.string().nullable(),
  /** null for a caller who may not see phones (phoneHidden: true) */
  phone: z.string().nullable(),
  phoneHidden: z.boolean(),
  readiness: z.string().nullable(),
  categoryCodes: z.array(z.string()),
  level: z.string().nullish(),
  areaSqm: z.number().nullish(),
  manager: z.string().nullish(),
  teamType: z.string().nullish(),
  headcount: z.number().nullish(),
  equipment: z.string().nullish(),
  speciality: z.string().nullish(),
  field: z.string().nullish(),
  employer: z.string().nullish(),
  title: z.string().nullish(),
  shelterType: z.string().nullish(),
  capacity: z.number().nullish(),
  workType: z.string().nullish(),
  protectionLevel: z.string().nullish(),
  checkedOn: z.string().nullish(),
  targetType: z.string().nullish(),
  /** 内部: seen by the owner, the area's offices and leaders only; every read logged */
  internal: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  can: z.object({ edit: z.boolean(), moveStock: z.boolean(), dispatch: z.boolean() }),
});

export const entryQuery = z.object({
  unitId: z.uuid().optional(),
  q: text(100).optional(),
  readiness: z.enum(READINESS).optional(),
});

export const moveBody = z.object({
  warehouseId: z.uuid(),
  itemCode: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/),
  itemName: text(100).nullish(),
  unit: text(20).nullish(),
  quantity,
  kind: z.enum(STOCK_MOVE_KINDS),
  toWarehouseId: z.uuid().nullish(),
  eventId: z.uuid().nullish(),
  expiresOn: z.iso.date().nullish(),
  /** e.g. census (盘盈 as an in), damaged, expired (a loss), purchase, donation, requisition (征用) */
  reason: text(400).nullish(),
});

const batchOut = z.object({ expiresOn: z.string().nullable(), quantity: z.number() });
export const moveOut = z.object({
  id: z.uuid(),
  kind: z.enum(STOCK_MOVE_KINDS),
  warehouseId: z.uuid(),
  toWarehouseId: z.uuid().nullable(),
  itemCode: z.string(),
  quantity: z.number(),
  unit: z.string(),
  eventId: z.uuid().nullable(),
  expiresOn: z.string().nullable(),
  reason: z.string().nullable(),
  batches: z.array(batchOut),
  userName: z.string().nullable().optional(),
  at: z.string(),
});
export const moveCreatedOut = moveOut.extend({
  /** what the warehouse holds of the item after the move */
  stock: z.object({ warehouseId: z.uuid(), itemCode: z.string(), quantity: z.number(), unit: z.string() }),
});

export const stockQuery = z.object({
  warehouseId: z.uuid().optional(),
  itemCode: z.string().max(40).optional(),
});
export const stockOut = z.object({
  warehouseId: z.uuid(),
  warehouseName: z.string(),
  itemCode: z.string(),
  itemName: z.string(),
  unit: z.string(),
  quantity: z.number(),
  expiringSoon: z.boolean(),
  batches: z.array(batchOut.extend({ expiringSoon: z.boolean() })),
});

export const allocationBody = z.object({ warehouseId: z.uuid(), itemCode: z.string().max(40), quantity });
export const allocationOut = z.object({
  id: z.uuid(),
  eventId: z.uuid(),
  warehouseId: z.uuid(),
  warehouseName: z.string(),
  itemCode: z.string(),
  itemName: z.string(),
  quantity: z.number(),
  unit: z.string(),
  status: z.string(),
  moveId: z.uuid(),
  dispatchedByName: z.string().nullable(),
  dispatchedAt: z.string(),
});

export const levelEnum = z.enum(RESPONSE_LEVELS);
export { CATEGORY };

export const requestBody = allocationBody.extend({ reason: text(400).nullish() });
export const requestOut = z.object({
  id: z.uuid(),
  eventId: z.uuid(),
  eventTitle: z.string(),
  warehouseId: z.uuid(),
  warehouseName: z.string(),
  itemCode: z.string(),
  itemName: z.string(),
  unit: z.string().nullable(),
  quantity: z.number(),
  reason: z.string().nullable(),
  status: z.enum(['requested', 'approved', 'declined']),
  requestingUnitId: z.uuid(),
  requestingUnitName: z.string(),
  requestedByName: z.string().nullable(),
  requestedAt: z.string(),
  decidedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  declineReason: z.string().nullable(),
  allocationId: z.uuid().nullable(),
  can: z.object({ approve: z.boolean(), decline: z.boolean() }),
});
