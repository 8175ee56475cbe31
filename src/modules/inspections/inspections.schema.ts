import { z } from 'zod';
import { eventTime, requiredText, text } from '../../floor/floor.schema.js';

const day = z.iso.date();
const sector = requiredText(40);
const time = z.iso.datetime({ offset: true });

export const campaignBody = z.object({
  title: requiredText(200),
  from: day,
  to: day,
  sectors: z
    .array(z.object({ sector, leadUnitId: z.uuid() }))
    .min(1)
    .max(40),
  unitIds: z.array(z.uuid()).max(500),
  /** when participating units file their action plan and leading body: a date (end of that day, Beijing) or a
   * date-time; default: the end of the 7th day after creation (Beijing) */
  planDueAt: z.union([day, time]).nullish(),
});

const unitRef = { unitId: z.uuid(), unitName: z.string() };
const boardLine = {
  placesInspected: z.number(),
  visits: z.number(),
  hazardsFound: z.number(),
  rectifiedOnTime: z.number(),
  closed: z.number(),
};
export const campaignOut = z.object({
  id: z.uuid(),
  title: z.string(),
  from: z.string(),
  to: z.string(),
  areaId: z.uuid(),
  areaName: z.string(),
  issuerUnitId: z.uuid(),
  createdAt: z.string(),
  sectors: z.array(z.object({ sector: z.string(), leadUnitId: z.uuid(), leadUnitName: z.string() })),
  units: z.array(z.object(unitRef)),
});
const planUnit = z.object({
  ...unitRef,
  taskId: z.uuid(),
  status: z.enum(['open', 'done', 'overdue']),
  filed: z.boolean(),
  overdue: z.boolean(),
  completedAt: z.string().nullable(),
});
export const campaignDetailOut = campaignOut.extend({
  /** the collection task (行动方案和领导机构报送) to the participating units; null when the campaign has none */
  planCollectionId: z.uuid().nullable(),
  board: z.object({
    /** per participating unit: action plan filed / not filed / overdue */
    plans: z
      .object({
        collectionId: z.uuid(),
        title: z.string(),
        dueAt: z.string(),
        canViewCollection: z.boolean(),
        counts: z.object({ total: z.number(), filed: z.number(), notFiled: z.number(), overdue: z.number() }),
        units: z.array(planUnit),
      })
      .nullable(),
    bySector: z.array(
      z.object({ sector: z.string(), leadUnitId: z.uuid(), leadUnitName: z.string(), ...boardLine }),
    ),
    byUnit: z.array(z.object({ ...unitRef, ...boardLine })),
  }),
  can: z.object({ recordVisit: z.boolean() }),
});

export const visitBody = z.object({
  campaignId: z.uuid().nullish(),
  place: requiredText(200),
  sector,
  visitedAt: eventTime().optional(),
  findings: text(4000).nullish(),
});
export const visitOut = z.object({
  id: z.uuid(),
  campaignId: z.uuid().nullable(),
  place: z.string(),
  sector: z.string(),
  unitId: z.uuid(),
  unitName: z.string(),
  visitedAt: z.string(),
  findings: z.string().nullable(),
  hazardCount: z.number(),
});

export const hazardBody = z.object({
  campaignId: z.uuid().nullish(),
  visitId: z.uuid().nullish().describe('检查记录（可选；不填则自动登记一次检查）'),
  place: requiredText(200),
  sector,
  severity: z.enum(['general', 'major']),
  description: requiredText(4000),
  responsibleUnitId: z.uuid(),
  rectifyBy: time.describe('整改期限（可早于现在：补录纸质记录）'),
  foundAt: eventTime().optional(),
  measures: z
    .array(z.enum(['suspend', 'closure_proposed']))
    .max(2)
    .optional()
    .describe('措施：suspend 停产整顿（至验收销号）、closure_proposed 提请强制关闭'),
  enforcement: z
    .object({ unitIds: z.array(z.uuid()).max(20), penalty: text(1000).nullish() })
    .nullish()
    .describe('联合执法：参与部门及处罚'),
});

export const hazardOut = z.object({
  id: z.uuid(),
  campaignId: z.uuid().nullable(),
  campaignTitle: z.string().nullable(),
  visitId: z.uuid(),
  place: z.string(),
  sector: z.string(),
  severity: z.enum(['general', 'major']),
  description: z.string(),
  responsibleUnitId: z.uuid(),
  responsibleUnitName: z.string(),
  recordingUnitId: z.uuid(),
  recordingUnitName: z.string(),
  leadUnitId: z.uuid().nullable(),
  leadUnitName: z.string().nullable(),
  status: z.enum(['open', 'reported', 'closed']),
  overdue: z.boolean(),
  foundAt: z.string(),
  rectifyBy: z.string(),
  firstRectifyBy: z.string(),
  reportedAt: z.string().nullable(),
  rectificationText: z.string().nullable(),
  sentBackCount: z.number(),
  verifyNote: z.string().nullable(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
  photos: z.array(z.object({ id: z.uuid(), filename: z.string(), mime: z.string(), size: z.number() })),
  measures: z.array(z.enum(['suspend', 'closure_proposed'])),
  suspended: z.boolean(),
  enforcement: z
    .object({
      units: z.array(z.object({ unitId: z.uuid(), unitName: z.string() })),
      penalty: z.string().nullable(),
    })
    .nullable(),
  /** the supervised task (督办) of a major hazard, on its own page */
  supervisedTask: z.object({ id: z.uuid(), status: z.enum(['open', 'done', 'overdue']) }).nullish(),
  can: z.object({ rectify: z.boolean(), verify: z.boolean(), addPhoto: z.boolean() }),
});

export const hazardQuery = z.object({
  status: z.enum(['open', 'reported', 'closed', 'overdue']).optional(),
  campaignId: z.uuid().optional(),
  responsibleUnitId: z.uuid().optional(),
  severity: z.enum(['general', 'major']).optional(),
  sector: z.string().max(40).optional(),
});

export const rectificationBody = z.object({
  text: requiredText(4000),
  at: eventTime().optional().describe('整改完成时间（补录纸质记录时填写，不得晚于现在）'),
});

export const verifyBody = z.object({
  accepted: z.boolean(),
  note: text(2000).nullish(),
  rectifyBy: time.nullish(),
});

export const statsQuery = z.object({
  from: day.optional(),
  to: day.optional(),
  campaignId: z.uuid().optional(),
});

const yoyOut = z.object({
  current: z.number(),
  previous: z.number(),
  change: z.number(),
  ratio: z.number().nullable(),
  direction: z.enum(['up', 'down', 'flat']),
});
export const statsOut = z.object({
  from: z.string(),
  to: z.string(),
  yoy: z.object({ total: yoyOut, major: yoyOut }).describe('同比：与上年同期相比'),
  bySector: z.array(z.object({ sector: z.string(), general: z.number(), major: z.number() })),
  byMonth: z.array(z.object({ month: z.string(), general: z.number(), major: z.number() })),
  byUnit: z.array(
    z.object({
      unitId: z.uuid(),
      unitName: z.string(),
      due: z.number(),
      onTime: z.number(),
      overdue: z.number(),
      open: z.number(),
      onTimeRate: z.number().nullable(),
    }),
  ),
});

// ---- tip-offs ------------------------------------------------------------------------------------------------

export const tipoffBody = z.object({
  text: requiredText(5000),
  place: text(200).nullish(),
  contact: text(200).nullish(),
  divisionCode: z
    .string()
    .regex(/^(\d{6}|\d{9}|)$/)
    .nullish(),
});
export const receiptOut = z.object({ receipt: z.string() });
export const tipoffStatusOut = z.object({
  status: z.enum(['received', 'investigating', 'closed']),
  updatedAt: z.string(),
});
export const tipoffOut = z.object({
  id: z.uuid(),
  text: z.string(),
  place: z.string().nullable(),
  contact: z.string().nullable(),
  contactHidden: z.boolean(),
  divisionCode: z.string().nullable(),
  areaId: z.uuid(),
  areaName: z.string(),
  assignedUnitId: z.uuid().nullable(),
  assignedUnitName: z.string().nullable(),
  status: z.enum(['received', 'investigating', 'closed']),
  note: z.string().nullable(),
  result: z.string().nullable(),
  rewardNote: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  photos: z.array(
    z.object({ id: z.uuid(), filename: z.string(), mime: z.string(), size: z.number(), url: z.string() }),
  ),
  can: z.object({ assignTipoff: z.boolean(), handleTipoff: z.boolean() }),
});
