import type { Ctx } from '../../floor/context.js';
import { signal } from '../../floor/signal.js';
import * as repo from './auth.repo.js';

/**
 * End a user's sessions (all but `keep`): the rows go in the caller's transaction; after the commit every
 * instance drops them from its cache and closes their live streams. Used on disabling, role, unit and
 * password changes.
 */
export async function revokeUserSessions(ctx: Ctx, userId: string, keep?: string | null): Promise<void> {
  await repo.deleteUserSessions(ctx.tx, userId, keep);
  await signal(ctx, 'session.revoked', { userId, keep: keep ?? null });
}

/** Sign-out of one session: the row goes, and every instance forgets it and closes its streams. */
export async function endSession(ctx: Ctx, tokenHash: string): Promise<string | null> {
  const userId = await repo.deleteSession(ctx.tx, tokenHash);
  if (userId) await signal(ctx, 'session.revoked', { userId, tokenHash });
  return userId;
}
