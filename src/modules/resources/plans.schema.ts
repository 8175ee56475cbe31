import { z } from 'zod';
import { PLAN_KINDS, RESPONSE_LEVELS } from '../../contract/resources.js';
import { requiredText, text } from '../../floor/floor.schema.js';
import { CATEGORY, quantity } from './resources.schema.js';

const level = z.enum(RESPONSE_LEVELS);

export const planBody = z.object({
  title: requiredText(200),
  kind: z.enum(PLAN_KINDS),
  ownerUnitId: z.uuid(),
  /** the event categories it covers, matched as a tree (12000 covers 12G00); an overall plan covers all */
  categoryCodes: z.array(CATEGORY).max(50),
  /** the response levels it provides for */
  levels: z.array(level).min(1).max(4),
  /** revise by (修订期限) */
  reviseBy: z.iso.date(),
  /** who does what within how long, per response level */
  tasks: z
    .array(
      z.object({
        level,
        title: requiredText(200),
        unitId: z.uuid(),
        withinMinutes: z
          .number()
          .int()
          .min(1)
          .max(30 * 24 * 60),
      }),
    )
    .max(200)
    .nullish(),
  /** the supplies it needs */
  supplies: z
    .array(z.object({ itemCode: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/), quantity }))
    .max(200)
    .nullish(),
  summary: text(4000).nullish(),
});

export const planOut = z.object({
  id: z.uuid(),
  title: z.string(),
  kind: z.enum(PLAN_KINDS),
  ownerUnitId: z.uuid(),
  ownerUnitName: z.string(),
  categoryCodes: z.array(z.string()),
  levels: z.array(z.string()),
  reviseBy: z.string(),
  version: z.number(),
  status: z.literal('published'),
  tasks: z.array(
    z.object({
      level: z.string(),
      title: z.string(),
      unitId: z.uuid(),
      unitName: z.string(),
      withinMinutes: z.number(),
    }),
  ),
  supplies: z.array(
    z.object({
      itemCode: z.string(),
      itemName: z.string().nullable(),
      unit: z.string().nullable(),
      quantity: z.number(),
    }),
  ),
  createdAt: z.string(),
  can: z.object({ activate: z.boolean(), edit: z.boolean(), publish: z.boolean() }),
});

export const planQuery = z.object({
  kind: z.enum(PLAN_KINDS).optional(),
  q: text(100).optional(),
  unitId: z.uuid().optional(),
});

export const activateBody = z.object({ eventId: z.uuid(), level });

const activationTask = z.object({
  id: z.uuid(),
  title: z.string(),
  unitId: z.uuid(),
  unitName: z.string().optional(),
  dueAt: z.string(),
  status: z.enum(['open', 'done', 'overdue']),
  completedAt: z.string().nullable().optional(),
});
export const activationOut = z.object({
  id: z.uuid(),
  planId: z.uuid(),
  planTitle: z.string(),
  eventId: z.uuid(),
  level: z.string(),
  planVersion: z.number(),
  tasks: z.array(activationTask),
  /** `no_tasks_for_level`: activated, but the plan has no tasks at this level */
  warning: z.string().nullable(),
  warningText: z.string().nullable(),
  activatedAt: z.string(),
  activatedByName: z.string().nullable(),
  activatedUnitName: z.string().nullable(),
});
