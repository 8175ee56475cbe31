import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../../floor/audit.js';
import { runCommand } from '../../floor/command.js';
import { inTx } from '../../floor/context.js';
import { AppError } from '../../floor/errors.js';
import { type App, SESSION_COOKIE } from '../../floor/http.js';
import { usersPolicy } from '../units/policy.js';
import { presentMe } from '../units/units.presenters.js';
import * as repo from './auth.repo.js';
import { login, SESSION_DAYS } from './login.js';
import { hashPassword, verifyPassword } from './password.js';
import { assertStrongPassword } from './password-policy.js';
import { authPolicy } from './policy.js';
import { endSession, revokeUserSessions } from './revoke.js';
import { unlockUser } from './unlock.js';

/** Length and strength are checked by `assertStrongPassword`, which says what is wrong. */
export const passwordSchema = z.string().min(1).max(128);

export function registerAuthRoutes(app: App): void {
  const r = app.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>();
  r.post(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: '登录 / sign in',
        body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
      },
    },
    async (req, reply) => {
      const { token, actor } = await login(req.baseCtx, req.body);
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: req.protocol === 'https',
        maxAge: SESSION_DAYS * 86_400,
      });
      return { token, user: presentMe(actor) };
    },
  );

  r.post(
    '/api/auth/logout',
    { config: { policy: authPolicy.ref('signOut') }, schema: { tags: ['auth'], summary: '退出 / sign out' } },
    async (req, reply) => {
      const hash = req.sessionTokenHash;
      const actor = req.ctx.actor;
      if (hash && actor)
        await inTx(req.ctx, async (ctx) => {
          await endSession(ctx, hash);
          await audit(ctx, {
            stream: `user:${actor.id}`,
            action: 'signed_out',
            entityType: 'user',
            entityId: actor.id,
            data: {},
          });
        });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );

  r.post(
    '/api/auth/password',
    {
      config: { policy: authPolicy.ref('changePassword') },
      schema: {
        tags: ['auth'],
        summary: '修改密码 / change password',
        body: z.object({ currentPassword: z.string().min(1).max(256), newPassword: passwordSchema }),
      },
    },
    async (req, reply) =>
      runCommand(req, reply, 200, async (ctx) => {
        const actor = ctx.actor!;
        const user = await repo.findUserByUsername(ctx.tx, actor.username);
        if (!(await verifyPassword(user.password_hash, req.body.currentPassword)))
          throw new AppError(400, 'wrong_current_password');
        assertStrongPassword(req.body.newPassword, actor.username);
        const h = await hashPassword(req.body.newPassword);
        await ctx.tx.execute(sql`update users set password_hash = ${h} where id = ${actor.id}`);
        // every other session of this person ends, on every instance; this one stays signed in
        await revokeUserSessions(ctx, actor.id, req.sessionTokenHash);
        await audit(ctx, {
          stream: `user:${actor.id}`,
          action: 'password_changed',
          entityType: 'user',
          entityId: actor.id,
        });
        return { ok: true };
      }),
  );

  r.post(
    '/api/users/:id/unlock',
    {
      config: { policy: usersPolicy.ref('unlock') },
      schema: {
        tags: ['users'],
        summary: '解除登录锁定（管理员） / lift a sign-in lock (admin of the person’s unit or above)',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req, reply) => runCommand(req, reply, 200, (ctx) => unlockUser(ctx, req.params.id)),
  );

  r.get(
    '/api/me',
    {
      config: { policy: authPolicy.ref('me') },
      schema: { tags: ['auth'], summary: '当前用户 / the signed-in user' },
    },
    async (req) => presentMe(req.ctx.actor),
  );
}
