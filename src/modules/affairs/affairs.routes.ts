import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { runCommand } from '../../floor/command.js';
import type { UserCtx } from '../../floor/context.js';
import { eventTime, requiredText, text } from '../../floor/floor.schema.js';
import { type App, idParam } from '../../floor/http.js';
import { createCommission, getCommission, listCommissions, recordDelivery } from './commissions.service.js';
import {
  adoptPiece,
  approvePiece,
  createPiece,
  editPiece,
  getPiece,
  listPieces,
  pieceFileDownload,
  recordInstruction,
  returnPiece,
  submitPiece,
} from './pieces.service.js';
import { affairsPolicy } from './policy.js';
import {
  composeIssue,
  createPublication,
  getIssue,
  issueWord,
  listIssues,
  listLiaison,
  listPublications,
  readIssue,
  setLiaison,
  withdrawIssue,
} from './publications.service.js';
import {
  COMMISSION_STATUSES,
  LEADER_LEVELS,
  PIECE_KINDS,
  PIECE_STATUSES,
  PUBLICATION_KINDS,
  WHERES,
} from './rules.js';
import { scores, scoresWorkbook } from './scores.service.js';
import {
  createPriority,
  getTopic,
  listPriorities,
  listTopics,
  proposeTopic,
  scheduleTopics,
  screenTopic,
  TOPIC_STATUSES,
} from './topics.service.js';
import { listTrainings, recordTraining, TRAINING_KINDS } from './trainings.js';

const tags = ['affairs'];
const kind = z.enum(PIECE_KINDS);
const where = z.enum(WHERES);
const leaderLevel = z.enum(LEADER_LEVELS);
const date = z.iso.date();
const named = z.object({ id: z.uuid(), name: z.string() });

const pieceOut = z.object({
  id: z.uuid(),
  title: z.string(),
  kind,
  body: z.string(),
  commissionId: z.uuid().nullable(),
  commissionTitle: z.string().nullable(),
  eventDate: z.string().nullable(),
  unitId: z.uuid(),
  unitName: z.string(),
  createdBy: z.uuid(),
  createdByName: z.string(),
  status: z.enum(PIECE_STATUSES),
  version: z.number().int(),
  returnReason: z.string().nullable(),
  toAreaId: z.uuid(),
  toAreaName: z.string(),
  recipients: z.array(named),
  createdAt: z.string(),
  updatedAt: z.string(),
  submittedAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  firstSentAt: z.string().nullable(),
  sameDay: z.boolean().nullable(),
  mediaReportedAt: z.string().nullable(),
  sourcePieceIds: z.array(z.uuid()),
  /** 质量提示 before adopting (on the detail only) */
  warnings: z
    .array(
      z.object({
        code: z.enum(['stale_year', 'media_first', 'good_news_only']),
        years: z.array(z.number()).optional(),
        mediaReportedAt: z.string().optional(),
        share: z.number().optional(),
        pieces: z.number().optional(),
      }),
    )
    .optional(),
  adoptions: z.array(
    z.object({
      id: z.uuid(),
      officeId: z.uuid(),
      officeName: z.string(),
      where,
      issueId: z.uuid().nullable(),
      at: z.string(),
      points: z.number(),
      recordedByName: z.string().nullable(),
    }),
  ),
  instructions: z.array(
    z.object({
      id: z.uuid(),
      leaderLevel,
      leaderName: z.string(),
      text: z.string(),
      at: z.string(),
      points: z.number(),
      counted: z.boolean(),
      taskId: z.uuid().nullable(),
      recordedByName: z.string().nullable(),
    }),
  ),
  points: z.number(),
  versions: z
    .array(
      z.object({
        version: z.number().int(),
        title: z.string(),
        body: z.string(),
        note: z.string().nullable(),
        at: z.string(),
        editedByName: z.string().nullable(),
        unitName: z.string().nullable(),
      }),
    )
    .optional(),
  files: z.array(
    z.object({
      id: z.uuid(),
      filename: z.string(),
      mime: z.string(),
      size: z.number().int(),
      at: z.string(),
    }),
  ),
  can: z.object({
    submitPiece: z.boolean(),
    approvePiece: z.boolean(),
    returnPiece: z.boolean(),
    adopt: z.boolean(),
    instruct: z.boolean(),
    edit: z.boolean(),
  }),
});

const commissionOut = z.object({
  id: z.uuid(),
  title: z.string(),
  topicId: z.uuid().nullable(),
  issuerAreaId: z.uuid(),
  issuerAreaName: z.string(),
  issuerOfficeId: z.uuid(),
  issuerOfficeName: z.string(),
  toUnitId: z.uuid(),
  toUnitName: z.string(),
  dueAt: z.string(),
  createdAt: z.string(),
  status: z.enum(COMMISSION_STATUSES),
  overdue: z.boolean(),
  deliveredAt: z.string().nullable(),
  firstSentAt: z.string().nullable(),
  firstPieceId: z.uuid().nullable(),
  offlineDeliveredAt: z.string().nullable(),
  offlineNote: z.string().nullable(),
  scoringVersion: z.number().int(),
  can: z.object({ recordDelivery: z.boolean(), writePiece: z.boolean() }),
});

const topicOut = z.object({
  id: z.uuid(),
  title: z.string(),
  summary: z.string().nullable(),
  priorityId: z.uuid().nullable(),
  priority: z.string().nullable(),
  unitId: z.uuid(),
  unitName: z.string(),
  sectionAreaId: z.uuid(),
  status: z.enum(TOPIC_STATUSES),
  reason: z.string().nullable(),
  mergeIntoId: z.uuid().nullable(),
  scheduledFor: z.string().nullable(),
  scheduleOrder: z.number().int().nullable(),
  createdAt: z.string(),
  screenedAt: z.string().nullable(),
  can: z.object({ screen: z.boolean() }),
});

const adoptionOut = z.object({
  id: z.uuid(),
  pieceId: z.uuid(),
  officeId: z.uuid(),
  where,
  issueId: z.uuid().nullable(),
  at: z.string(),
  points: z.number(),
  scoringVersion: z.number().int(),
});

const instructionOut = z.object({
  id: z.uuid(),
  pieceId: z.uuid(),
  leaderLevel,
  leaderName: z.string(),
  text: z.string(),
  at: z.string(),
  points: z.number(),
  /** the first instruction of its level on the piece: it scores; later ones of the level are recorded at 0 */
  counted: z.boolean(),
  taskId: z.uuid().nullable(),
  scoringVersion: z.number().int(),
});

const scoreItem = z.object({
  unitId: z.uuid(),
  unitName: z.string().optional(),
  userId: z.uuid().optional(),
  name: z.string().optional(),
  points: z.number(),
  pieces: z.number().int(),
  adopted: z.number().int(),
  adoptionRate: z.number(),
  /** 当天采集、当天编写、当天报送: share of dated pieces sent the day of what they report */
  sameDayRate: z.number().nullable(),
});

const list = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/** 政务信息 routes: thin — schemas, the policy action each performs, and one service call. */
export function registerAffairsRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cmd = (req: any, reply: any, status: number, fn: (c: UserCtx) => Promise<unknown>) =>
    runCommand(req, reply, status, (c) => fn(c as UserCtx));

  // ---- pieces (信息/稿件) ----
  r.post(
    '/api/affairs/pieces',
    {
      config: { policy: affairsPolicy.ref('writePiece') },
      schema: {
        tags,
        summary: '起草政务信息 / draft a piece',
        body: z.object({
          title: requiredText(300),
          kind,
          body: z.string().min(1).max(200_000),
          commissionId: z.uuid().nullish(),
          eventDate: date.nullish(),
          mediaReportedAt: eventTime().nullish(),
          sourcePieceIds: z.array(z.uuid()).max(50).nullish(),
        }),
        response: { 201: pieceOut },
      },
    },
    async (req, reply) => cmd(req, reply, 201, (c) => createPiece(c, req.body)),
  );

  r.get(
    '/api/affairs/pieces',
    {
      config: { policy: affairsPolicy.ref('read') },
      schema: {
        tags,
        summary: '政务信息列表（本单位的稿件与报送到本办的信息） / pieces the caller may see',
        querystring: z.object({
          status: z.enum(PIECE_STATUSES).optional(),
          unitId: z.uuid().optional(),
          commissionId: z.uuid().optional(),
          inbox: boolQuery.optional(),
          cursor: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
        }),
        response: { 200: list(pieceOut) },
      },
    },
    async (req) => listPieces(req.ctx, req.query),
  );

  r.get(
    '/api/affairs/pieces/:id',
    {
      config: { policy: affairsPolicy.ref('viewPiece') },
      schema: {
        tags,
        summary: '政务信息及其版本 / a piece with its versions',
        params: idParam,
        response: { 200: pieceOut },
      },
    },
    async (req) => getPiece(req.ctx, req.params.id),
  );

  r.patch(
    '/api/affairs/pieces/:id',
    {
      config: { policy: affairsPolicy.ref('editPiece') },
      schema: {
        tags,
        summary: '编辑信息（每次编辑为新版本） / edit a piece (each edit a new version)',
        params: idParam,
        body: z.object({
          title: requiredText(300).optional(),
          kind: kind.optional(),
          body: z.string().min(1).max(200_000).optional(),
          note: text(2000).nullish(),
        }),
        response: { 200: pieceOut },
      },
    },
    async (req, reply) => cmd(req, reply, 200, (c) => editPiece(c, req.params.id, req.body)),
  );

  r.post(
    '/api/affairs/pieces/:id/submit',
    {
      config: { policy: affairsPolicy.ref('submitPiece') },
      schema: {
        tags,
        summary: '提交审签 / submit for approval',
        params: idParam,
        response: { 200: pieceOut },
      },
    },
    async (req, reply) => cmd(req, reply, 200, (c) => submitPiece(c, req.params.id)),
  );

  r.post(
    '/api/affairs/pieces/:id/approve',
    {
      config: { policy: affairsPolicy.ref('approvePiece') },
      schema: {
        tags,
        summary: '审签并报出 / approve and send',
        params: idParam,
        response: { 200: pieceOut },
      },
    },
    async (req, reply) => cmd(req, reply, 200, (c) => approvePiece(c, req.params.id)),
  );

  r.post(
    '/api/affairs/pieces/:id/return',
    {
      config: { policy: affairsPolicy.ref('returnPiece') },
      schema: {
        tags,
        summary:
          '退回（单位内审签退回，或信息科退回修改） / return (by the unit’s approver, or by the receiving section)',
        params: idParam,
        body: z.object({ reason: requiredText(2000) }),
        response: { 200: pieceOut },
      },
    },
    async (req, reply) => cmd(req, reply, 200, (c) => returnPiece(c, req.params.id, req.body)),
  );

  r.post(
    '/api/affairs/pieces/:id/adoptions',
    {
      config: { policy: affairsPolicy.ref('adopt') },
      schema: {
        tags,
        summary: '登记采用 / record an adoption',
        params: idParam,
        body: z.object({ where, issueId: z.uuid().nullish(), at: eventTime().nullish() }),
        response: { 201: adoptionOut },
      },
    },
    async (req, reply) => cmd(req, reply, 201, (c) => adoptPiece(c, req.params.id, req.body)),
  );

  r.post(
    '/api/affairs/pieces/:id/instructions',
    {
      config: { policy: affairsPolicy.ref('instruct') },
      schema: {
        tags,
        summary:
          '登记领导批示（每级计分一次，可转为督办） / record a leader instruction (scores once per level; may become a supervised task)',
        params: idParam,
        body: z.object({
          leaderLevel,
          leaderName: requiredText(100),
          text: requiredText(4000),
          at: eventTime(),
          task: z.object({ dueAt: z.union([date, z.iso.datetime({ offset: true })]) }).nullish(),
        }),
        response: { 201: instructionOut },
      },
    },
    async (req, reply) => cmd(req, reply, 201, (c) => recordInstruction(c, req.params.id, req.body)),
  );

  r.get(
    '/api/affairs/files/:id',
    {
      config: { policy: affairsPolicy.ref('viewPiece') },
      schema: { tags, summary: '信息中的图片（粘贴时嵌入） / an image embedded in a piece', params: idParam },
    },
    async (req, reply) => {
      const f = await pieceFileDownload(req.ctx, req.params.id);
      return reply.headers(f.headers).send(f.data);
    },
  );

  // ---- commissions (约稿) ----
  r.post(
    '/api/affairs/commissions',
    {
      config: { policy: affairsPolicy.ref('commission') },
      schema: {
        tags,
        summary: '约稿 / commission a piece',
        body: z.object({
          toUnitId: z.uuid(),
          title: requiredText(300),
          dueAt: eventTime(),
          topicId: z.uuid().nullish(),
        }),
        response: { 201: commissionOut },
      },
    },
    async (req, reply) => cmd(req, reply, 201, (c) => createCommission(c, req.body)),
  );

  r.get(
    '/api/affairs/commissions',
    {
      config: { policy: affairsPolicy.ref('read') },
      schema: {
        tags,
        summary: '约稿列表 / commissions',
        querystring: z.object({
          status: z.enum(COMMISSION_STATUSES).optional(),
          toUnitId: z.uuid().optional(),
          topicId: z.uuid().optional(),
          overdue: boolQuery.optional(),
        }),
        response: {
          200: z.object({
            items: z.array(commissionOut),
            nextCursor: z.string().nullable(),
            can: z.object({ commission: z.boolean() }),
          }),
        },
      },
    },
    async (req) => listCommissions(req.ctx, req.query),
  );

  r.get(
    '/api/affairs/commissions/:id',
    {
      config: { policy: affairsPolicy.ref('read') },
      schema: { tags, summary: '约稿 / a commission', params: idParam, response: { 200: commissionOut } },
    },
    async (req) => getCommission(req.ctx, req.params.id),
  );

  r.post(
    '/api/affairs/commissions/:id/delivery',
    {
      config: { policy: affairsPolicy.ref('recordDelivery') },
      schema: {
        tags,
        summary: '登记线下报送（纸质） / record an offline delivery with its time',
        params: idParam,
        body: z.object({ at: eventTime(), note: text(2000).nullish() }),
        response: { 200: commissionOut },
      },
    },
    async (req, reply) => cmd(req, reply, 200, (c) => recordDelivery(c, req.params.id, req.body)),
  );

  // ---- scores (积分) ----
  r.get(
    '/api/affairs/scores',
    {
      config: { policy: affairsPolicy.ref('read') },
      schema: {
        tags,
        summary: '政务信息积分 / points per unit or person',
        querystring: z.object({
          from: z.union([date, z.iso.datetime({ offset: true })]).optional(),
          to: z.union([date, z.iso.datetime({ offset: true })]).optional(),
          by: z.enum(['unit', 'person']).optional(),
        }),
        response: {
          200: z.object({
            from: z.string(),
            to: z.string(),
            by: z.enum(['unit', 'person']),
            scoringVersion: z.number().int(),
            items: z.array(scoreItem),
          }),
        },
      },
    },
    async (req) => scores(req.ctx, req.query),
  );

  r.get(
    '/api/affairs/scores.xlsx',
    {
      config: { policy: affairsPolicy.ref('read') },
      schema: {
        tags,
        summary: '导出信息积分（Excel） / the score table as .xlsx',
        querystring: z.object({
          from: z.union([date, z.iso.datetime({ offset: true })]).optional(),
          to: z.union([date, z.iso.datetime({ offset: true })]).optional(),
          by: z.enum(['unit', 'person']).optional(),
        }),
      },
    },
    async (req, reply) =>
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="affairs-scores.xlsx"; filename*=UTF-8''${encodeURIComponent('信息积分.xlsx')}`,
        )
        .send(await scoresWorkbook(req.ctx, req.query)),
  );

  // ---- key liaison units (重点联系单位) ----
  const liaisonOut = z.object({
    year: z.number().int(),
    items: z.array(
      z.object({
        unitId: z.uuid(),
        unitName: z.string(),
        quota: z.number().int(),
        sent: z.number().int(),
        progress: z.number(),
      }),
    ),
  });
  r.post(
    '/api/affairs/liaison-units',
    {
      config: { policy: affairsPolicy.ref('setPriorities') },
      schema: {
        tags,
        summary: '设定重点联系单位及年度任务数 / a key liaison unit with its yearly quota',
        body: z.object({
          unitId: z.uuid(),
          year: z.number().int().min(2000).max(2100).optional(),
          quota: z.number().int().min(0).max(10_000),
        }),
        response: { 200: liaisonOut },
      },
    },
    async (req, reply) => cmd(req, reply, 200, (c) => setLiaison(c, req.body)),
  );
  r.get(
    '/api/affairs/liaison-units',
    {
      config: { policy: affairsPolicy.ref('read') },
      schema: {
        tags,
        summary: '重点联系单位完成情况 / key liaison units: progress against quota',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
        response: { 200: liaisonOut },
      },
    },
    async (req) => listLiaison(req.ctx, req.query),
  );

  // ---- information staff development (信息队伍建设) ----
  const trainingsOut = z.object({
    year: z.number().int(),
    items: z.array(
      z.object({
        id: z.uuid(),
        userId: z.uuid(),
        name: z.string(),
        unitId: z.uuid(),
        unitName: z.string(),
        kind: z.enum(TRAINING_KINDS),
        date: z.string(),
        hours: z.number().nullable(),
        organiser: z.string().nullable(),
        note: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
    untrainedUnits: z.array(z.object({ unitId: z.uuid(), unitName: z.string() })),
  });
  r.post(
    '/api/affairs/trainings',
    {
      config: { policy: affairsPolicy.ref('setPriorities') },
      schema: {
        tags,
        summary:
          '登记信息员培训、挂职、调研、列席会议、阅读文件 / record an officer’s training or development',
        body: z.object({
          userId: z.uuid(),
          kind: z.enum(TRAINING_KINDS),
          date,
          hours: z.number().min(0).max(2000).nullish(),
          organiser: text(200).nullish(),
          note: text(2000).nullish(),
        }),
        response: { 201: trainingsOut },
      },
    },
    async (req, reply) => cmd(req, reply, 201, (c) => recordTraining(c, req.body)),
  );
  r.get(
    '/api/affairs/trainings',
    {
      config: { policy: affairsPolicy.ref('read') },
      schema: {
        tags,
        summary:
          '信息队伍培训记录及本年未参加培训的单位 / training records and the units without any this year',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
        response: { 200: trainingsOut },
      },
    },
    async (req) => listTrainings(req.ctx, req.query),
  );

  // ---- priorities and topics (报送要点、调研题目) ----
  r.post(
    '/api/affairs/priorities',
    {
      config: { policy: affairsPolicy.ref('setPriorities') },
      schema: {
        tags,
        summary: '发布年度报送要点 / publish a reporting priority',
        body: z.object({ title: requiredText(300), year: z.number().int().min(2000).max(2100).optional() }),
        response: {
          201: z.object({ id: z.uuid(), areaId: z.uuid(), year: z.number().int(), title: z.string() }),
        },
      },
    },
    async (req, reply) => cmd(req, reply, 201, (c) => createPriority(c, req.body)),
  );

  r.get(
    '/api/affairs/priorities',
    {
      config: { policy: affairsPolicy.ref('read') },
      schema: {
        tags,
        summary: '报送要点 / reporting priorities',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
        response: {
          200: list(z.object({ id: z.uuid(), areaId: z.uuid(), year: z.number().int(), title: z.string() })),
        },
      },
    },
    async (req) => listPriorities(req.ctx, req.query),
  );

  r.post(
    '/api/affairs/topics',
    {
      config: { policy: affairsPolicy.ref('proposeTopic') },
      schema: {
        tags,
        summary: '申报调研题目 / propose a research topic',
        body: z.object({
          title: requiredText(300),
          summary: text(4000).nullish(),
          priority: text(300).nullish(),
        }),
        response: { 201: topicOut },
      },
    },
    async (req, reply) => cmd(req, reply, 201, (c) => proposeTopic(c, req.body)),
  );

  r.get(
    '/api/affairs/topics',
    {
      config: { policy: affairsPolicy.ref('read') },
      schema: {
        tags,
        summary: '调研题目 / topics',
        querystring: z.object({ status: z.enum(TOPIC_STATUSES).optional() }),
        response: { 200: list(topicOut) },
      },
    },
    async (req) => listTopics(req.ctx, req.query),
  );

  r.get(
    '/api/affairs/topics/:id',
    {
      config: { policy: affairsPolicy.ref('read') },
      schema: { tags, summary: '调研题目 / a topic', params: idParam, response: { 200: topicOut } },
    },
    async (req) => getTopic(req.ctx, req.params.id),
  );

  r.post(
    '/api/affairs/topics/:id/screen',
    {
      config: { policy: affairsPolicy.ref('screenTopic') },
      schema: {
        tags,
        summary: '筛选调研题目 / screen a topic',
        params: idParam,
        body: z.object({
          decision: z.enum(['accept', 'merge', 'decline']),
          reason: text(2000).nullish(),
          mergeIntoId: z.uuid().nullish(),
          scheduledFor: date.nullish(),
        }),
        response: { 200: topicOut },
      },
    },
    async (req, reply) => cmd(req, reply, 200, (c) => screenTopic(c, req.params.id, req.body)),
  );

  r.post(
    '/api/affairs/topics/schedule',
    {
      config: { policy: affairsPolicy.ref('screenTopic') },
      schema: {
        tags,
        summary: '排出时间表（按顺序约稿） / order the accepted topics into a schedule',
        body: z.object({ topicIds: z.array(z.uuid()).min(1).max(200) }),
        response: { 200: list(topicOut) },
      },
    },
    async (req, reply) => cmd(req, reply, 200, (c) => scheduleTopics(c, req.body)),
  );

  // ---- publications and issues (刊物) ----
  const publicationOut = z.object({
    id: z.uuid(),
    officeId: z.uuid(),
    officeName: z.string(),
    areaId: z.uuid(),
    name: z.string(),
    kind: z.enum(PUBLICATION_KINDS),
    distribution: z.array(z.uuid()),
    createdAt: z.string(),
    can: z.object({ compose: z.boolean() }),
  });
  const issueOut = z.object({
    id: z.uuid(),
    publicationId: z.uuid(),
    publicationName: z.string(),
    kind: z.enum(PUBLICATION_KINDS),
    year: z.number().int(),
    number: z.number().int(),
    totalNumber: z.number().int(),
    label: z.string(),
    title: z.string().nullable(),
    status: z.enum(['published', 'withdrawn']),
    createdAt: z.string(),
    withdrawnAt: z.string().nullable(),
    pieces: z.array(z.object({ id: z.uuid(), title: z.string(), unitName: z.string(), body: z.string() })),
    reads: z.array(z.object({ userId: z.uuid(), name: z.string(), readAt: z.string() })),
    can: z.object({ withdraw: z.boolean() }),
  });

  r.post(
    '/api/affairs/publications',
    {
      config: { policy: affairsPolicy.ref('publish') },
      schema: {
        tags,
        summary: '新建刊物 / create a publication',
        body: z.object({
          name: requiredText(100),
          kind: z.enum(PUBLICATION_KINDS),
          distribution: z.array(z.uuid()).max(500).nullish(),
        }),
        response: { 201: publicationOut },
      },
    },
    async (req, reply) => cmd(req, reply, 201, (c) => createPublication(c, req.body)),
  );

  r.get(
    '/api/affairs/publications',
    {
      config: { policy: affairsPolicy.ref('read') },
      schema: {
        tags,
        summary: '刊物 / publications the caller may read',
        response: {
          200: z.object({
            items: z.array(publicationOut),
            nextCursor: z.string().nullable(),
            can: z.object({ create: z.boolean() }),
          }),
        },
      },
    },
    async (req) => listPublications(req.ctx),
  );

  r.post(
    '/api/affairs/publications/:id/issues',
    {
      config: { policy: affairsPolicy.ref('publish') },
      schema: {
        tags,
        summary: '编发一期（同时登记采用） / compose and publish an issue (adopting its pieces)',
        params: idParam,
        body: z.object({
          pieceIds: z.array(z.uuid()).min(1).max(100),
          title: text(300).nullish(),
          where: where.nullish(),
        }),
        response: { 201: issueOut },
      },
    },
    async (req, reply) => cmd(req, reply, 201, (c) => composeIssue(c, req.params.id, req.body)),
  );

  r.get(
    '/api/affairs/publications/:id/issues',
    {
      config: { policy: affairsPolicy.ref('readIssue') },
      schema: {
        tags,
        summary: '刊物各期 / issues of a publication',
        params: idParam,
        response: {
          200: list(
            z.object({
              id: z.uuid(),
              year: z.number().int(),
              number: z.number().int(),
              totalNumber: z.number().int(),
              label: z.string(),
              title: z.string().nullable(),
              status: z.enum(['published', 'withdrawn']),
              createdAt: z.string(),
            }),
          ),
        },
      },
    },
    async (req) => listIssues(req.ctx, req.params.id),
  );

  r.get(
    '/api/affairs/issues/:id',
    {
      config: { policy: affairsPolicy.ref('readIssue') },
      schema: { tags, summary: '一期刊物 / an issue', params: idParam, response: { 200: issueOut } },
    },
    async (req) => getIssue(req.ctx, req.params.id),
  );

  r.post(
    '/api/affairs/issues/:id/withdraw',
    {
      config: { policy: affairsPolicy.ref('publish') },
      schema: {
        tags,
        summary: '撤回（保留期号） / withdraw (keeps its number)',
        params: idParam,
        response: { 200: issueOut },
      },
    },
    async (req, reply) => cmd(req, reply, 200, (c) => withdrawIssue(c, req.params.id)),
  );

  r.post(
    '/api/affairs/issues/:id/read',
    {
      config: { policy: affairsPolicy.ref('readIssue') },
      schema: {
        tags,
        summary: '传阅：已阅 / read receipt of a circulated issue',
        params: idParam,
        response: { 200: issueOut },
      },
    },
    async (req, reply) => cmd(req, reply, 200, (c) => readIssue(c, req.params.id)),
  );

  r.get(
    '/api/affairs/issues/:id/docx',
    {
      config: { policy: affairsPolicy.ref('readIssue') },
      schema: {
        tags,
        summary: '一期刊物的 Word 文件（GB/T 9704 版式） / the issue as .docx',
        params: idParam,
      },
    },
    async (req, reply) => {
      const f = await issueWord(req.ctx, req.params.id);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header(
          'content-disposition',
          `attachment; filename="${f.asciiName}"; filename*=UTF-8''${encodeURIComponent(f.name)}`,
        )
        .send(f.buf);
    },
  );
}
