import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { runCommand } from '../../floor/command.js';
import type { UserCtx } from '../../floor/context.js';
import { requiredText, text } from '../../floor/floor.schema.js';
import { type App, idParam } from '../../floor/http.js';
import { tasksPolicy } from './policy.js';
import {
  createCollection,
  createTask,
  getCollection,
  getTask,
  listCollections,
  listTasks,
  reopenTask,
  reportProgress,
  TASK_SOURCES,
} from './tasks.service.js';

const tags = ['tasks'];
const source = z.enum(TASK_SOURCES);
const status = z.enum(['open', 'done', 'overdue']);
/** A date (`2027-04-30`: the end of that day, Beijing time) or a date-time with its offset. */
const due = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
const dueFields = {
  dueAt: due.optional(),
  dueInDays: z.number().int().min(1).max(366).optional(),
  workingDays: z.boolean().optional(),
};

const progressOut = z.object({
  id: z.uuid(),
  kind: z.enum(['progress', 'reopen']),
  at: z.string(),
  text: z.string(),
  done: z.boolean(),
  userName: z.string().nullable(),
  unitName: z.string().nullable(),
});

const taskOut = z.object({
  id: z.uuid(),
  title: z.string(),
  source,
  sourceId: z.string().nullable(),
  ownerUnitId: z.uuid(),
  ownerUnitName: z.string(),
  issuerUnitId: z.uuid(),
  issuerUnitName: z.string(),
  issuerUserId: z.uuid().nullable(),
  issuerName: z.string().nullable(),
  leaderName: z.string().nullable(),
  collectionId: z.uuid().nullable(),
  issuedAt: z.string(),
  dueAt: z.string(),
  reportEveryDays: z.number().int().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  lastProgressAt: z.string().nullable(),
  status,
  overdue: z.boolean(),
  completedLate: z.boolean(),
  progressMissed: z.boolean(),
  progress: z.array(progressOut).optional(),
  /** where the record the task came from is shown (an instruction → its event page), on the detail only */
  sourceLink: z.string().nullable().optional(),
  can: z.object({ progress: z.boolean(), reopen: z.boolean() }),
});

const collectionOut = z.object({
  id: z.uuid(),
  title: z.string(),
  source,
  issuerUnitId: z.uuid(),
  issuerUnitName: z.string(),
  dueAt: z.string(),
  createdAt: z.string(),
  units: z.array(
    z.object({
      taskId: z.uuid(),
      unitId: z.uuid(),
      unitName: z.string(),
      status,
      filed: z.boolean(),
      overdue: z.boolean(),
      completedAt: z.string().nullable(),
      lastProgressAt: z.string().nullable(),
    }),
  ),
  notFiled: z.array(z.object({ unitId: z.uuid(), unitName: z.string(), taskId: z.uuid() })),
  counts: z.object({ total: z.number(), filed: z.number(), notFiled: z.number(), overdue: z.number() }),
});

const listQuery = z.object({
  status: status.optional(),
  ownerUnitId: z.uuid().optional(),
  issuerUnitId: z.uuid().optional(),
  collectionId: z.uuid().optional(),
  source: source.optional(),
  sourceId: text(200).optional(),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

/** 督查督办 routes: thin — schemas, the policy action each performs, and one service call. */
export function registerTaskRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/tasks',
    {
      config: { policy: tasksPolicy.ref('issue') },
      schema: {
        tags,
        summary: '交办督办事项 / issue a supervised task',
        body: z.object({
          title: requiredText(500),
          source,
          sourceId: text(200).nullish(),
          ownerUnitId: z.uuid(),
          ...dueFields,
          issuedAt: z.iso.datetime({ offset: true }).optional(),
          reportEveryDays: z.number().int().min(1).max(90).nullish(),
          leaderName: text(100).nullish(),
        }),
        response: { 201: taskOut },
      },
    },
    async (req, reply) => runCommand(req, reply, 201, (c) => createTask(c as UserCtx, req.body)),
  );

  r.post(
    '/api/tasks/collections',
    {
      config: { policy: tasksPolicy.ref('issue') },
      schema: {
        tags,
        summary: '一事多单位汇总催报（每个单位一项督办） / a collection task: one task per addressed unit',
        body: z.object({
          title: requiredText(500),
          unitIds: z.array(z.uuid()).min(1).max(500),
          ...dueFields,
          source: source.optional(),
          sourceId: text(200).nullish(),
          issuedAt: z.iso.datetime({ offset: true }).optional(),
          reportEveryDays: z.number().int().min(1).max(90).nullish(),
          leaderName: text(100).nullish(),
        }),
        response: { 201: z.object({ collectionId: z.uuid(), tasks: z.array(taskOut) }) },
      },
    },
    async (req, reply) => runCommand(req, reply, 201, (c) => createCollection(c as UserCtx, req.body)),
  );

  r.get(
    '/api/tasks/collections',
    {
      config: { policy: tasksPolicy.ref('list') },
      schema: {
        tags,
        summary: '本区域交办的汇总催报 / collection tasks issued by your area',
        querystring: z.object({
          cursor: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.uuid(),
                title: z.string(),
                source,
                issuerUnitId: z.uuid(),
                issuerUnitName: z.string(),
                dueAt: z.string(),
                createdAt: z.string(),
                total: z.number(),
                filed: z.number(),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => listCollections(req.ctx, req.query),
  );

  r.get(
    '/api/tasks/collections/:id',
    {
      config: { policy: tasksPolicy.ref('viewCollection') },
      schema: {
        tags,
        summary: '汇总催报：各单位已报、未报、超期 / a collection: filed, not filed, overdue per unit',
        params: idParam,
        response: { 200: collectionOut },
      },
    },
    async (req) => getCollection(req.ctx, req.params.id),
  );

  r.get(
    '/api/tasks',
    {
      config: { policy: tasksPolicy.ref('list') },
      schema: {
        tags,
        summary: '督办事项（超期的在前） / supervised tasks, overdue first',
        querystring: listQuery,
        response: {
          200: z.object({
            items: z.array(taskOut),
            nextCursor: z.string().nullable(),
            can: z.object({ issue: z.boolean() }),
          }),
        },
      },
    },
    async (req) => listTasks(req.ctx, req.query),
  );

  r.get(
    '/api/tasks/:id',
    {
      config: { policy: tasksPolicy.ref('view') },
      schema: {
        tags,
        summary: '督办事项及进展 / a supervised task with its progress',
        params: idParam,
        response: { 200: taskOut },
      },
    },
    async (req) => getTask(req.ctx, req.params.id),
  );

  r.post(
    '/api/tasks/:id/progress',
    {
      config: { policy: tasksPolicy.ref('progress') },
      schema: {
        tags,
        summary: '报送进展或办结 / report progress or completion',
        params: idParam,
        body: z.object({ text: requiredText(4000), done: z.boolean().optional() }),
        response: { 200: taskOut },
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, (c) => reportProgress(c as UserCtx, req.params.id, req.body)),
  );

  r.post(
    '/api/tasks/:id/reopen',
    {
      config: { policy: tasksPolicy.ref('reopen') },
      schema: {
        tags,
        summary: '退回重办（交办单位，须说明理由） / reopen a done task (the issuing area, with a reason)',
        params: idParam,
        body: z.object({ reason: requiredText(2000) }),
        response: { 200: taskOut },
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, (c) => reopenTask(c as UserCtx, req.params.id, req.body)),
  );
}
