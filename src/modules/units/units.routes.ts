import { sql } from 'drizzle-orm';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { runCommand } from '../../floor/command.js';
import { ROLES } from '../../floor/context.js';
import { notFound } from '../../floor/errors.js';
import { requiredText } from '../../floor/floor.schema.js';
import { type App, idParam } from '../../floor/http.js';
import { canMany } from '../../floor/policy.js';
import { inScope, isGlobalAdmin } from '../auth/policy.js';
import { unitsPolicy, usersPolicy } from './policy.js';
import { presentUnit, presentUser } from './units.presenters.js';
import * as repo from './units.repo.js';
import { AREA_LEVELS, createUnit, createUser, UNIT_KINDS, updateUnit, updateUser } from './units.service.js';

const workingHours = z
  .object({
    days: z.array(z.number().int().min(1).max(7)).optional(),
    periods: z.array(z.tuple([z.string().regex(/^\d{2}:\d{2}$/), z.string().regex(/^\d{2}:\d{2}$/)])),
  })
  .nullable();

const unitBody = z.object({
  name: requiredText(100),
  kind: z.enum(UNIT_KINDS),
  level: z.enum(AREA_LEVELS).nullish(),
  parentId: z.uuid().nullish(),
  divisionCode: z.string().max(12).nullish(),
  departmentType: z.string().max(40).nullish(),
  dutyPhone: z.string().max(40).nullish(),
  fax: z.string().max(40).nullish(),
  workingHours: workingHours.optional(),
});

const userBody = z.object({
  username: z
    .string()
    .trim()
    .min(2)
    .max(64)
    .regex(/^[A-Za-z0-9_.@-]+$/),
  password: z.string().min(1).max(128), // strength: auth/password-policy.ts, with a clear message
  name: requiredText(60),
  unitId: z.uuid(),
  roles: z.array(z.enum(ROLES as [string, ...string[]])).max(ROLES.length),
  officerType: z.enum(['full_time', 'part_time']).nullish(),
  post: z.string().max(60).nullish(),
  phone: z.string().max(40).nullish(),
  email: z.email().nullish(),
});

export function registerUnitRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/units',
    {
      config: { policy: unitsPolicy.ref('read') },
      schema: {
        tags: ['units'],
        summary: '单位列表（调用者可见的） / units the caller may see',
        querystring: z.object({
          q: z.string().max(60).optional(),
          kind: z.enum(UNIT_KINDS).optional(),
          parentId: z.uuid().optional(),
          includeDisabled: z.enum(['0', '1', 'true', 'false']).optional(),
        }),
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await repo.listVisibleUnits(req.ctx.tx, req.ctx.actor!, {
        q: q.q,
        kind: q.kind,
        parentId: q.parentId,
        includeDisabled: q.includeDisabled === '1' || q.includeDisabled === 'true',
      });
      return { items: rows.map(presentUnit), nextCursor: null };
    },
  );

  r.get(
    '/api/units/:id',
    { config: { policy: unitsPolicy.ref('read') }, schema: { tags: ['units'], params: idParam } },
    async (req) => {
      const u = await repo.getUnit(req.ctx.tx, req.params.id);
      if (!u) throw notFound();
      const visible = await repo.listVisibleUnits(req.ctx.tx, req.ctx.actor!, {});
      if (!visible.some((v) => v.id === u.id)) throw notFound();
      return presentUnit(u);
    },
  );

  r.post(
    '/api/units',
    {
      config: { policy: unitsPolicy.ref('create') },
      schema: { tags: ['units'], summary: '新建单位（管理员） / create a unit (admin)', body: unitBody },
    },
    async (req, reply) =>
      runCommand(req, reply, 201, async (ctx) => presentUnit(await createUnit(ctx, req.body))),
  );

  r.patch(
    '/api/units/:id',
    {
      config: { policy: unitsPolicy.ref('edit') },
      schema: {
        tags: ['units'],
        params: idParam,
        body: unitBody
          .pick({
            name: true,
            divisionCode: true,
            departmentType: true,
            dutyPhone: true,
            fax: true,
            workingHours: true,
          })
          .partial()
          .extend({ disabled: z.boolean().optional() }),
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, async (ctx) =>
        presentUnit(await updateUnit(ctx, req.params.id, req.body as any)),
      ),
  );

  r.get(
    '/api/users',
    {
      config: { policy: usersPolicy.ref('list') },
      schema: {
        tags: ['users'],
        summary: '用户列表 / users (admin: own subtree)',
        querystring: z.object({ q: z.string().max(60).optional(), unitId: z.uuid().optional() }),
      },
    },
    async (req) => {
      const a = req.ctx.actor;
      const scope = isGlobalAdmin(a) ? sql`true` : sql`un.path @> array[${a.acting.id}]::uuid[]`;
      const rows = await req.ctx.tx.execute<any>(sql`
        select u.*, un.path as unit_path, la.locked_until from users u join units un on un.id = u.unit_id
          left join login_attempts la
            on la.username = u.username and la.locked_until > ${req.ctx.clock.now().toISOString()}
        where ${scope}
          ${req.query.q ? sql`and (u.username ilike ${`%${req.query.q}%`} or u.name ilike ${`%${req.query.q}%`} or u.phone like ${`%${req.query.q}%`})` : sql``}
          ${req.query.unitId ? sql`and u.unit_id = ${req.query.unitId}` : sql``}
        order by un.path, u.username limit 2000`);
      return {
        items: rows.rows.map((u: any) => ({
          ...presentUser(u),
          can: canMany(a, usersPolicy, ['edit', 'resetPassword', 'unlock'], { path: u.unit_path }),
        })),
        nextCursor: null,
      };
    },
  );

  r.post(
    '/api/users',
    {
      config: { policy: usersPolicy.ref('create') },
      schema: { tags: ['users'], summary: '新建用户（管理员） / create a user (admin)', body: userBody },
    },
    async (req, reply) =>
      runCommand(req, reply, 201, async (ctx) => presentUser(await createUser(ctx, req.body as any))),
  );

  r.patch(
    '/api/users/:id',
    {
      config: { policy: usersPolicy.ref('edit') },
      schema: {
        tags: ['users'],
        params: idParam,
        body: userBody
          .omit({ username: true, password: true })
          .partial()
          .extend({ disabled: z.boolean().optional() }),
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, async (ctx) =>
        presentUser(await updateUser(ctx, req.params.id, req.body as any)),
      ),
  );

  r.post(
    '/api/users/:id/reset-password',
    {
      config: { policy: usersPolicy.ref('resetPassword') },
      schema: { tags: ['users'], params: idParam, body: z.object({ password: z.string().min(1).max(128) }) },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, async (ctx) =>
        presentUser(await updateUser(ctx, req.params.id, { password: req.body.password })),
      ),
  );
}

export { inScope };
