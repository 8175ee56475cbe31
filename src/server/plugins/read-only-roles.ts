import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../floor/context.js';
import { forbidden } from '../../floor/errors.js';
import { registerMessages } from '../../floor/i18n.js';

registerMessages(
  { 'error.read_only_role': '审计管理员只能查阅，不能更改任何数据。' },
  { 'error.read_only_role': 'An auditor may read, not change anything.' },
);

/**
 * 三员分立 (等保: system, security and audit administrators kept apart): whoever holds the `auditor` role reads the
 * registration log and its verification and changes nothing — whatever other roles the account also holds.
 */
export const READ_ONLY_ROLES = ['auditor'] as const;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** their own session and password stay theirs to manage (matched route, never the raw URL) */
const OWN_ACCOUNT = new Set(['/api/auth/login', '/api/auth/logout', '/api/auth/password']);

export const isReadOnly = (a: Actor | null) =>
  !!a && a.roles.some((r) => (READ_ONLY_ROLES as readonly string[]).includes(r));

/** Refuse every write of a read-only actor before its body is validated or any handler runs. */
export function registerReadOnlyRoles(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    if (READS.has(req.method) || !isReadOnly(req.baseCtx?.actor ?? null)) return;
    if (OWN_ACCOUNT.has(req.routeOptions.url ?? '')) return;
    throw forbidden('read_only_role');
  });
}
