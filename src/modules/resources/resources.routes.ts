import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REGISTER_KINDS, REGISTER_PATHS, SUPPLY_ITEMS } from '../../contract/resources.js';
import { requiredText } from '../../floor/floor.schema.js';
import { type App, idParam } from '../../floor/http.js';
import { command } from './command.js';
import { deployTeam, eventDeployments, releaseTeam } from './deployments.service.js';
import { registerFileName, registerWorkbook } from './export.js';
import { resourcesPolicy as p } from './policy.js';
import { changeEntry, getEntry, listRegister, registerEntry } from './registers.service.js';
import { approveRequest, declineRequest, requestList, requestSupplies } from './requests.service.js';
import {
  allocationBody,
  allocationOut,
  entryOut,
  entryQuery,
  moveBody,
  moveCreatedOut,
  moveOut,
  registerBody,
  requestBody,
  requestOut,
  stockOut,
  stockQuery,
} from './resources.schema.js';
import { dispatchToEvent, eventAllocations, moveList, recordMove, stockList } from './stock.service.js';

const tags = ['resources'];
const TITLES = {
  warehouse: '物资仓库 / warehouses',
  team: '应急队伍 / rescue teams',
  expert: '应急专家 / experts',
  shelter: '避难场所 / shelters',
  air_defence_work: '人防工程（内部，读取留痕）/ civil air-defence works (internal, reads logged)',
  command_post: '人防指挥所（内部，读取留痕）/ command posts (internal, reads logged)',
  key_target: '重要经济目标（内部，读取留痕）/ key economic targets (internal, reads logged)',
};

/** 一网五库: the registers, stock and its moves, dispatches to events. */
export function registerResourceRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  for (const kind of REGISTER_KINDS) {
    const base = `/api/resources/${REGISTER_PATHS[kind]}`;
    const body = registerBody[kind];
    r.post(
      base,
      {
        config: { policy: p.ref('keep') },
        schema: { tags, summary: `登记 ${TITLES[kind]}`, body, response: { 201: entryOut } },
      },
      (req, reply) => command(req, reply, 201, (ctx) => registerEntry(ctx, kind, req.body as never)),
    );
    r.get(
      base,
      {
        config: { policy: p.ref('read') },
        schema: {
          tags,
          summary: `${TITLES[kind]}（本县级区域及上级可见）`,
          querystring: entryQuery,
          response: { 200: z.object({ items: z.array(entryOut), nextCursor: z.null() }) },
        },
      },
      (req) => listRegister(req.ctx, kind, req.query),
    );
    r.get(
      `${base}/export`,
      {
        config: { policy: p.ref('read') },
        schema: { tags, summary: `导出 ${TITLES[kind]}（Excel）`, querystring: entryQuery },
      },
      async (req, reply) => {
        const buf = await registerWorkbook(req.ctx, kind, req.query);
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header(
            'content-disposition',
            `attachment; filename*=UTF-8''${encodeURIComponent(registerFileName(kind))}`,
          )
          .send(buf);
      },
    );
    r.get(
      `${base}/:id`,
      {
        config: { policy: p.ref('read') },
        schema: { tags, summary: TITLES[kind], params: idParam, response: { 200: entryOut } },
      },
      (req) => getEntry(req.ctx, kind, req.params.id),
    );
    r.patch(
      `${base}/:id`,
      {
        config: { policy: p.ref('keep') },
        schema: {
          tags,
          summary: `修改 ${TITLES[kind]}（如队伍战备状态）`,
          params: idParam,
          body: body.partial(),
          response: { 200: entryOut },
        },
      },
      (req, reply) =>
        command(req, reply, 200, (ctx) => changeEntry(ctx, kind, req.params.id, req.body as never)),
    );
  }

  r.get(
    '/api/resources/items',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary: '物资目录 / the supplies catalogue',
        response: {
          200: z.object({
            items: z.array(
              z.object({ code: z.string(), name: z.string(), nameEn: z.string(), unit: z.string() }),
            ),
          }),
        },
      },
    },
    async () => ({ items: SUPPLY_ITEMS.map(([code, name, nameEn, unit]) => ({ code, name, nameEn, unit })) }),
  );

  r.post(
    '/api/resources/stock-moves',
    {
      config: { policy: p.ref('moveStock') },
      schema: {
        tags,
        summary:
          '出入库、调拨、报损 / stock in, out, transfer, loss (never negative: 409 insufficient_stock)',
        body: moveBody,
        response: { 201: moveCreatedOut },
      },
    },
    (req, reply) => command(req, reply, 201, (ctx) => recordMove(ctx, req.body)),
  );
  r.get(
    '/api/resources/stock-moves',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary: '出入库记录 / stock moves',
        querystring: z.object({ warehouseId: z.uuid().optional(), eventId: z.uuid().optional() }),
        response: { 200: z.object({ items: z.array(moveOut), nextCursor: z.null() }) },
      },
    },
    (req) => moveList(req.ctx, req.query),
  );
  r.get(
    '/api/resources/stock',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary: '库存 / stock per warehouse and item (batches by expiry, expiring within 30 days flagged)',
        querystring: stockQuery,
        response: { 200: z.object({ items: z.array(stockOut), nextCursor: z.null() }) },
      },
    },
    (req) => stockList(req.ctx, req.query),
  );

  r.post(
    '/api/events/:id/allocations',
    {
      config: { policy: p.ref('dispatch') },
      schema: {
        tags,
        summary: '调拨物资到事件（立即出库）/ dispatch supplies to an event',
        params: idParam,
        body: allocationBody,
        response: { 201: allocationOut },
      },
    },
    (req, reply) => command(req, reply, 201, (ctx) => dispatchToEvent(ctx, req.params.id, req.body)),
  );
  r.get(
    '/api/events/:id/allocations',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary: '事件的物资调拨 / supplies dispatched to an event',
        params: idParam,
        response: { 200: z.object({ items: z.array(allocationOut), nextCursor: z.null() }) },
      },
    },
    (req) => eventAllocations(req.ctx, req.params.id),
  );

  r.post(
    '/api/events/:id/allocation-requests',
    {
      config: { policy: p.ref('requestSupplies') },
      schema: {
        tags,
        summary: '申请调拨物资 / ask a warehouse for supplies for an event',
        params: idParam,
        body: requestBody,
        response: { 201: requestOut },
      },
    },
    (req, reply) => command(req, reply, 201, (ctx) => requestSupplies(ctx, req.params.id, req.body)),
  );
  r.get(
    '/api/allocation-requests',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary: '调拨申请 / allocation requests (to my warehouses, or asked by my unit)',
        querystring: z.object({
          eventId: z.uuid().optional(),
          status: z.enum(['requested', 'approved', 'declined']).optional(),
        }),
        response: { 200: z.object({ items: z.array(requestOut), nextCursor: z.null() }) },
      },
    },
    (req) => requestList(req.ctx, req.query),
  );
  r.post(
    '/api/allocation-requests/:id/approve',
    {
      config: { policy: p.ref('dispatch') },
      schema: {
        tags,
        summary: '同意调拨申请（立即出库）/ approve a request: dispatches at once',
        params: idParam,
        response: { 200: requestOut },
      },
    },
    (req, reply) => command(req, reply, 200, (ctx) => approveRequest(ctx, req.params.id)),
  );
  r.post(
    '/api/allocation-requests/:id/decline',
    {
      config: { policy: p.ref('dispatch') },
      schema: {
        tags,
        summary: '不同意调拨申请 / decline a request (with a reason)',
        params: idParam,
        body: z.object({ reason: requiredText(400) }),
        response: { 200: requestOut },
      },
    },
    (req, reply) => command(req, reply, 200, (ctx) => declineRequest(ctx, req.params.id, req.body)),
  );

  const deploymentOut = z.object({
    id: z.uuid(),
    eventId: z.uuid(),
    teamId: z.uuid(),
    teamName: z.string(),
    deployedByName: z.string().nullable(),
    deployedAt: z.string(),
    releasedAt: z.string().nullable(),
    can: z.object({ release: z.boolean() }),
  });
  r.post(
    '/api/events/:id/team-deployments',
    {
      config: { policy: p.ref('dispatch') },
      schema: {
        tags,
        summary: '派出队伍 / send a ready team to an event (it becomes deployed)',
        params: idParam,
        body: z.object({ teamId: z.uuid() }),
        response: { 201: deploymentOut },
      },
    },
    (req, reply) => command(req, reply, 201, (ctx) => deployTeam(ctx, req.params.id, req.body)),
  );
  r.get(
    '/api/events/:id/team-deployments',
    {
      config: { policy: p.ref('read') },
      schema: {
        tags,
        summary: '事件的派出队伍 / teams sent to an event',
        params: idParam,
        response: { 200: z.object({ items: z.array(deploymentOut), nextCursor: z.null() }) },
      },
    },
    (req) => eventDeployments(req.ctx, req.params.id),
  );
  r.post(
    '/api/team-deployments/:id/release',
    {
      config: { policy: p.ref('dispatch') },
      schema: {
        tags,
        summary: '队伍归队 / the team is back and ready',
        params: idParam,
        response: { 200: deploymentOut },
      },
    },
    (req, reply) => command(req, reply, 200, (ctx) => releaseTeam(ctx, req.params.id)),
  );
}
