import { sql } from 'drizzle-orm';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { runCommand } from '../../floor/command.js';
import { inTx, systemCtx } from '../../floor/context.js';
import type { App } from '../../floor/http.js';
import type { WorkerFactory } from '../../floor/workers.js';
import { subtreeScope } from '../auth/policy.js';
import { loop } from '../notify/worker.js';
import { DUTY_UNIT_COND, getSettings, loadUnit } from './common.js';
import { directory, directoryWorkbook } from './directory.js';
import {
  holidayStatusBelow,
  holidaysOfUnit,
  publishHolidayRoster,
  remindHolidayRosters,
} from './holidays.js';
import './messages.js';
import { requiredText } from '../../floor/floor.schema.js';
import {
  addLogEntry,
  checkIn,
  closeLogEntry,
  confirmHandover,
  handOver,
  LOG_KINDS,
  myShifts,
  onDutyBoard,
  shiftDetail,
} from './on-shift.js';
import { dutyPolicy } from './policy.js';
import { assignShift, decideSwap, listSwaps, monthView, requestSwap, saveSettings } from './roster.js';
import {
  answerSpotCheck,
  listSpotChecks,
  spotCheckStats,
  startSpotCheck,
  sweepSpotChecks,
} from './spot-checks.js';

/** Background: spot checks past their time become missed; holiday roster reminders. */
export const dutyWorker: WorkerFactory = (deps) => {
  let lastReminders = 0;
  return loop(
    'duty',
    deps,
    async () => {
      const n = await inTx(systemCtx(deps), (ctx) => sweepSpotChecks(ctx));
      if (Date.now() - lastReminders > 60_000) {
        lastReminders = Date.now();
        await inTx(systemCtx(deps), (ctx) => remindHolidayRosters(ctx));
      }
      return n;
    },
    { pollMs: Number(process.env.JIBAO_DUTY_POLL_MS ?? 5000) },
  );
};

const idParam = z.object({ id: z.uuid() });
const day = z.iso.date();
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const person = z.object({ id: z.uuid(), name: z.string(), phone: z.string().nullable() }).nullable();
const shiftOut = z.object({
  id: z.uuid().nullable(),
  unitId: z.uuid(),
  day: z.string(),
  shiftCode: z.string(),
  shiftName: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  officer: person,
  leader: person,
  checkedInAt: z.string().nullable(),
  gap: z.boolean(),
});
const template = z.object({
  code: z
    .string()
    .regex(/^[a-z0-9_]{1,20}$/)
    .describe('班次代码 day / night …'),
  name: requiredText(20),
  start: hhmm,
  end: hhmm,
});
const settingsOut = z.object({
  unitId: z.uuid(),
  shifts: z.array(template),
  publishLeadDays: z.number(),
  spotCheckMinutes: z.number(),
  isDefault: z.boolean(),
});
const swapOut = z.object({
  id: z.uuid(),
  shiftId: z.uuid(),
  unitId: z.uuid(),
  role: z.enum(['officer', 'leader']),
  fromUserId: z.string().nullable(),
  toUserId: z.uuid(),
  reason: z.string(),
  status: z.enum(['requested', 'approved', 'rejected']),
  requestedBy: z.uuid(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
});
const entryOut = z.object({
  id: z.uuid(),
  shiftId: z.uuid(),
  kind: z.enum(LOG_KINDS),
  at: z.string(),
  counterpart: z.string(),
  phone: z.string().nullable(),
  content: z.string(),
  open: z.boolean(),
  closedAt: z.string().nullable(),
  closeNote: z.string().nullable(),
  eventId: z.string().nullable(),
  userId: z.uuid(),
});
const handoverOut = z.object({
  id: z.uuid(),
  fromShiftId: z.uuid(),
  toShiftId: z.uuid(),
  fromUserId: z.uuid(),
  toUserId: z.string().nullable(),
  notes: z.string(),
  openItemIds: z.array(z.string()),
  createdAt: z.string(),
  confirmedAt: z.string().nullable(),
  confirmedBy: z.string().nullable(),
});
const shiftDetailOut = z.object({
  shift: shiftOut,
  unit: z.object({ id: z.uuid(), name: z.string() }),
  log: z.array(entryOut),
  openItems: z.array(entryOut),
  handoverOut: handoverOut.nullable(),
  handoverIn: handoverOut.nullable(),
});
const spotOut = z.object({
  id: z.uuid(),
  fromUnitId: z.uuid(),
  targetUnitId: z.uuid(),
  targetUnitName: z.string().nullable(),
  startedBy: z.uuid(),
  startedAt: z.string(),
  dueAt: z.string(),
  message: z.string(),
  status: z.enum(['pending', 'answered', 'missed']),
  answeredAt: z.string().nullable(),
  answeredBy: z.string().nullable(),
  responseSeconds: z.number().nullable(),
  notifiedUserIds: z.array(z.string()),
});
const holidayOut = z.object({
  key: z.string(),
  name: z.string(),
  nameEn: z.string(),
  from: z.string(),
  to: z.string(),
  days: z.number(),
});
const assignBody = z.object({
  day,
  shiftCode: z.string().max(20),
  officerId: z.uuid().nullish(),
  leaderId: z.uuid().nullish(),
});
const range = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export function registerDutyRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['duty'];

  r.get(
    '/api/duty/units',
    {
      config: { policy: dutyPolicy.ref('read') },
      schema: {
        tags,
        summary: '值班单位（本级及下级） / units that keep duty in my subtree',
        response: {
          200: z.object({
            items: z.array(
              z.object({ id: z.uuid(), name: z.string(), kind: z.string(), parentId: z.string().nullable() }),
            ),
            nextCursor: z.null(),
          }),
        },
      },
    },
    async (req) => {
      const a = req.ctx.actor!;
      const rows = await req.ctx.tx.execute<any>(sql`
        select u.id, u.name, u.kind, u.parent_id from units u
        where not u.disabled and (${DUTY_UNIT_COND} or u.id = ${a.unitId}) and ${subtreeScope(a, 'u')}
        order by (u.id = ${a.unitId}) desc, array_length(u.path, 1), u.name limit 2000`);
      return {
        items: rows.rows.map((u) => ({
          id: u.id,
          name: u.name,
          kind: u.kind,
          parentId: u.parent_id ?? null,
        })),
        nextCursor: null,
      };
    },
  );

  r.get(
    '/api/duty/units/:id/settings',
    {
      config: { policy: dutyPolicy.ref('read') },
      schema: {
        tags,
        summary: '班次设置 / shift settings of a unit',
        params: idParam,
        response: { 200: settingsOut },
      },
    },
    async (req) => {
      await loadUnit(req.ctx, req.params.id);
      return getSettings(req.ctx, req.params.id);
    },
  );

  r.put(
    '/api/duty/units/:id/settings',
    {
      config: { policy: dutyPolicy.ref('edit') },
      schema: {
        tags,
        summary: '修改班次设置 / change shifts, holiday publication lead days, spot-check answer time',
        params: idParam,
        body: z.object({
          shifts: z.array(template).min(1).max(6),
          publishLeadDays: z.number().int().min(0).max(60).optional(),
          spotCheckMinutes: z.number().int().min(1).max(60).optional(),
        }),
        response: { 200: settingsOut },
      },
    },
    async (req, reply) => runCommand(req, reply, 200, (ctx) => saveSettings(ctx, req.params.id, req.body)),
  );

  r.get(
    '/api/duty/roster',
    {
      config: { policy: dutyPolicy.ref('read') },
      schema: {
        tags,
        summary: '排班月视图 / roster of a month (gaps shown)',
        querystring: z.object({ unitId: z.uuid(), month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/) }),
        response: {
          200: z.object({
            unit: z.object({ id: z.uuid(), name: z.string(), kind: z.string() }),
            month: z.string(),
            settings: settingsOut,
            gaps: z.number(),
            can: z.object({ edit: z.boolean(), publish: z.boolean(), decideSwap: z.boolean() }),
            days: z.array(
              z.object({
                day: z.string(),
                weekday: z.number(),
                holiday: z.object({ name: z.string(), work: z.boolean() }).nullable(),
                shifts: z.array(shiftOut),
              }),
            ),
          }),
        },
      },
    },
    async (req) => monthView(req.ctx, req.query.unitId, req.query.month),
  );

  r.post(
    '/api/duty/shifts',
    {
      config: { policy: dutyPolicy.ref('edit') },
      schema: {
        tags,
        summary: '排班：指定值班员与带班领导 / put people on a shift',
        description: '同一人不能排在两个时间重叠的班次上（409 duty_conflict）。',
        body: assignBody.extend({ unitId: z.uuid() }),
        response: { 200: shiftOut },
      },
    },
    async (req, reply) => runCommand(req, reply, 200, (ctx) => assignShift(ctx, req.body.unitId, req.body)),
  );

  r.post(
    '/api/duty/roster',
    {
      config: { policy: dutyPolicy.ref('edit') },
      schema: {
        tags,
        summary: '批量排班（全部成功或全部不变） / fill many shifts at once (all or nothing)',
        body: z.object({ unitId: z.uuid(), items: z.array(assignBody).min(1).max(400) }),
        response: { 200: z.object({ items: z.array(shiftOut) }) },
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, async (ctx) => {
        const items = [];
        for (const i of req.body.items) items.push(await assignShift(ctx, req.body.unitId, i));
        return { items };
      }),
  );

  r.get(
    '/api/duty/swaps',
    {
      config: { policy: dutyPolicy.ref('read') },
      schema: {
        tags,
        summary: '换班申请 / swap requests of a unit',
        querystring: z.object({
          unitId: z.uuid(),
          status: z.enum(['requested', 'approved', 'rejected']).optional(),
        }),
        response: { 200: z.object({ items: z.array(swapOut), nextCursor: z.null() }) },
      },
    },
    async (req) => ({
      items: await listSwaps(req.ctx, req.query.unitId, req.query.status),
      nextCursor: null,
    }),
  );

  r.post(
    '/api/duty/swaps',
    {
      config: { policy: dutyPolicy.ref('requestSwap') },
      schema: {
        tags,
        summary: '申请换班 / request a swap',
        body: z.object({
          shiftId: z.uuid(),
          role: z.enum(['officer', 'leader']),
          toUserId: z.uuid(),
          reason: z.string().max(500).optional(),
        }),
        response: { 201: swapOut },
      },
    },
    async (req, reply) => runCommand(req, reply, 201, (ctx) => requestSwap(ctx, req.body)),
  );

  for (const [verb, approve] of [
    ['approve', true],
    ['reject', false],
  ] as const)
    r.post(
      `/api/duty/swaps/:id/${verb}`,
      {
        config: { policy: dutyPolicy.ref('decideSwap') },
        schema: {
          tags,
          summary: approve ? '批准换班 / approve a swap' : '驳回换班 / reject a swap',
          params: idParam,
          body: z.object({ note: z.string().max(500).optional() }).nullish(),
          response: { 200: swapOut },
        },
      },
      async (req, reply) =>
        runCommand(req, reply, 200, (ctx) => decideSwap(ctx, req.params.id, approve, req.body?.note ?? null)),
    );

  r.get(
    '/api/duty/holidays',
    {
      config: { policy: dutyPolicy.ref('read') },
      schema: {
        tags,
        summary: '节假日值班表报备情况 / long holidays and whether the unit published its roster',
        querystring: z.object({ unitId: z.uuid(), year: z.coerce.number().int().min(2004).max(2100) }),
        response: {
          200: z.object({
            items: z.array(
              holidayOut.extend({
                dueAt: z.string(),
                published: z.object({ at: z.string(), by: z.string(), late: z.boolean() }).nullable(),
                overdue: z.boolean(),
                gaps: z.number(),
              }),
            ),
            nextCursor: z.null(),
          }),
        },
      },
    },
    async (req) => ({
      items: await holidaysOfUnit(req.ctx, req.query.unitId, req.query.year),
      nextCursor: null,
    }),
  );

  r.post(
    '/api/duty/holidays/:key/publish',
    {
      config: { policy: dutyPolicy.ref('publish') },
      schema: {
        tags,
        summary: '报备节假日值班表 / publish a holiday roster upward',
        description: '值班表须完整（每班有值班员和带班领导），否则 422 duty_roster_incomplete。',
        params: z.object({ key: z.string().max(40) }),
        body: z.object({ unitId: z.uuid() }),
        response: {
          200: z.object({
            unitId: z.uuid(),
            holidayKey: z.string(),
            publishedAt: z.string(),
            late: z.boolean(),
          }),
        },
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, (ctx) => publishHolidayRoster(ctx, req.body.unitId, req.params.key)),
  );

  r.get(
    '/api/duty/holidays/:key/status',
    {
      config: { policy: dutyPolicy.ref('read') },
      schema: {
        tags,
        summary: '下级节假日值班表报备情况 / which units below published the roster of a holiday',
        params: z.object({ key: z.string().max(40) }),
        response: {
          200: z.object({
            holiday: holidayOut,
            items: z.array(
              z.object({
                unitId: z.uuid(),
                name: z.string(),
                dueAt: z.string(),
                publishedAt: z.string().nullable(),
                late: z.boolean(),
                overdue: z.boolean(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => holidayStatusBelow(req.ctx, req.params.key),
  );

  r.get(
    '/api/duty/my-shifts',
    {
      config: { policy: dutyPolicy.ref('read') },
      schema: {
        tags,
        summary: '我的班次（当前及 24 小时内） / my shifts now and within 24 h',
        response: { 200: z.object({ items: z.array(shiftOut.extend({ unitName: z.string() })) }) },
      },
    },
    async (req) => ({ items: await myShifts(req.ctx) }),
  );

  r.get(
    '/api/duty/now',
    {
      config: { policy: dutyPolicy.ref('read') },
      schema: {
        tags,
        summary: '在岗情况：本级及下级现在谁在值班 / who is on duty now, everywhere below me',
        response: {
          200: z.object({
            at: z.string(),
            items: z.array(
              z.object({
                unit: z.object({
                  id: z.uuid(),
                  name: z.string(),
                  kind: z.string(),
                  areaName: z.string().nullable(),
                }),
                dutyPhone: z.string().nullable(),
                status: z.enum(['no_roster', 'gap', 'on_duty', 'not_checked_in']),
                shifts: z.array(
                  z.object({
                    shiftId: z.uuid(),
                    shiftName: z.string(),
                    startsAt: z.string(),
                    endsAt: z.string(),
                    officer: person,
                    leader: person,
                    checkedInAt: z.string().nullable(),
                  }),
                ),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({ at: req.ctx.clock.now().toISOString(), items: await onDutyBoard(req.ctx) }),
  );

  r.get(
    '/api/duty/shifts/:id',
    {
      config: { policy: dutyPolicy.ref('read') },
      schema: {
        tags,
        summary: '班次详情、值班日志与交接 / a shift with its log and handover',
        params: idParam,
        response: { 200: shiftDetailOut },
      },
    },
    async (req) => shiftDetail(req.ctx, req.params.id),
  );

  r.post(
    '/api/duty/shifts/:id/check-in',
    {
      config: { policy: dutyPolicy.ref('checkIn') },
      schema: { tags, summary: '到岗 / check in', params: idParam, response: { 200: shiftDetailOut } },
    },
    async (req, reply) => runCommand(req, reply, 200, (ctx) => checkIn(ctx, req.params.id)),
  );

  r.post(
    '/api/duty/shifts/:id/log',
    {
      config: { policy: dutyPolicy.ref('log') },
      schema: {
        tags,
        summary: '记值班日志 / add a duty log entry',
        description:
          'kind: call_in 来电 · call_out 去电 · visitor 来访 · instruction 指示 · event 事件 · other 其他；open=true 为待办事项，交班时移交。',
        params: idParam,
        body: z.object({
          kind: z.enum(LOG_KINDS),
          at: z.iso.datetime({ offset: true }).optional(),
          counterpart: z.string().max(100).optional(),
          phone: z.string().max(40).nullish(),
          content: requiredText(4000),
          open: z.boolean().optional(),
          eventId: z.uuid().nullish(),
        }),
        response: { 201: entryOut },
      },
    },
    async (req, reply) => runCommand(req, reply, 201, (ctx) => addLogEntry(ctx, req.params.id, req.body)),
  );

  r.post(
    '/api/duty/log/:id/close',
    {
      config: { policy: dutyPolicy.ref('closeItem') },
      schema: {
        tags,
        summary: '办结待办事项 / close an open item',
        params: idParam,
        body: z.object({ note: z.string().max(1000).optional() }).nullish(),
        response: { 200: entryOut },
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, (ctx) => closeLogEntry(ctx, req.params.id, req.body?.note ?? null)),
  );

  r.post(
    '/api/duty/shifts/:id/handover',
    {
      config: { policy: dutyPolicy.ref('handOver') },
      schema: {
        tags,
        summary: '交班（遗留事项移交下一班） / hand over to the next shift with the open items',
        params: idParam,
        body: z.object({ notes: z.string().max(4000).optional(), toShiftId: z.uuid().nullish() }),
        response: { 201: handoverOut },
      },
    },
    async (req, reply) => runCommand(req, reply, 201, (ctx) => handOver(ctx, req.params.id, req.body)),
  );

  r.post(
    '/api/duty/handovers/:id/confirm',
    {
      config: { policy: dutyPolicy.ref('confirmHandover') },
      schema: {
        tags,
        summary: '接班确认 / the incoming officer confirms',
        params: idParam,
        response: { 200: handoverOut },
      },
    },
    async (req, reply) => runCommand(req, reply, 200, (ctx) => confirmHandover(ctx, req.params.id)),
  );

  r.post(
    '/api/duty/spot-checks',
    {
      config: { policy: dutyPolicy.ref('startSpotCheck') },
      schema: {
        tags,
        summary: '查岗 / start a spot check of a lower duty room',
        body: z.object({
          targetUnitId: z.uuid(),
          message: z.string().max(500).optional(),
          minutes: z.number().int().min(1).max(60).optional(),
        }),
        response: { 201: spotOut },
      },
    },
    async (req, reply) => runCommand(req, reply, 201, (ctx) => startSpotCheck(ctx, req.body)),
  );

  r.post(
    '/api/duty/spot-checks/:id/answer',
    {
      config: { policy: dutyPolicy.ref('answerSpotCheck') },
      schema: {
        tags,
        summary: '应答查岗 / answer a spot check',
        params: idParam,
        response: { 200: spotOut },
      },
    },
    async (req, reply) => runCommand(req, reply, 200, (ctx) => answerSpotCheck(ctx, req.params.id)),
  );

  r.get(
    '/api/duty/spot-checks',
    {
      config: { policy: dutyPolicy.ref('read') },
      schema: {
        tags,
        summary: '查岗记录 / spot checks (outgoing, incoming, or all in my subtree)',
        querystring: range.extend({ direction: z.enum(['outgoing', 'incoming']).optional() }),
        response: { 200: z.object({ items: z.array(spotOut), nextCursor: z.null() }) },
      },
    },
    async (req) => ({ items: await listSpotChecks(req.ctx, req.query), nextCursor: null }),
  );

  r.get(
    '/api/duty/spot-checks/stats',
    {
      config: { policy: dutyPolicy.ref('read') },
      schema: {
        tags,
        summary: '查岗统计（按单位） / spot checks counted per unit',
        querystring: range,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                unitId: z.uuid(),
                name: z.string(),
                total: z.number(),
                answered: z.number(),
                missed: z.number(),
                pending: z.number(),
                answerRate: z.number().nullable(),
                avgSeconds: z.number().nullable(),
                maxSeconds: z.number().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({ items: await spotCheckStats(req.ctx, req.query) }),
  );

  const dirItem = z.object({
    unit: z.object({
      id: z.uuid(),
      name: z.string(),
      kind: z.string(),
      level: z.string().nullable(),
      parentId: z.string().nullable(),
      parentName: z.string().nullable(),
    }),
    dutyPhone: z.string().nullable(),
    fax: z.string().nullable(),
    responsible: z.array(
      z.object({
        tier: z.string(),
        name: z.string(),
        post: z.string().nullable(),
        phone: z.string().nullable(),
      }),
    ),
    onDuty: z.array(
      z.object({
        role: z.enum(['officer', 'leader']),
        id: z.uuid(),
        name: z.string(),
        phone: z.string().nullable(),
      }),
    ),
    defects: z.array(z.string()),
  });

  r.get(
    '/api/duty/directory',
    {
      config: { policy: dutyPolicy.ref('read') },
      schema: {
        tags,
        summary: '值班通讯录（可搜索；defects=1 只列联系不畅的单位） / duty directory, searchable',
        querystring: z.object({ q: z.string().max(60).optional(), defects: z.enum(['0', '1']).optional() }),
        response: { 200: z.object({ items: z.array(dirItem), nextCursor: z.null() }) },
      },
    },
    async (req) => ({
      items: await directory(req.ctx, { q: req.query.q, defectsOnly: req.query.defects === '1' }),
      nextCursor: null,
    }),
  );

  r.get(
    '/api/duty/directory.xlsx',
    {
      config: { policy: dutyPolicy.ref('read') },
      schema: {
        tags,
        summary: '导出值班通讯录（Excel） / export the directory as .xlsx',
        querystring: z.object({ q: z.string().max(60).optional() }),
      },
    },
    async (req, reply) => {
      const buf = await directoryWorkbook(req.ctx, req.query.q);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent('值班通讯录.xlsx')}`,
        )
        .send(buf);
    },
  );
}
