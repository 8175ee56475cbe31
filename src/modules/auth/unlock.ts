import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import type { Ctx } from '../../floor/context.js';
import { notFound } from '../../floor/errors.js';
import { authorize } from '../../floor/policy.js';
import { usersPolicy } from '../units/policy.js';

/**
 * An administrator of the person's unit (or above) lifts a sign-in lock at once, so a duty room locked out
 * by someone guessing its password is back within minutes, not after the lock runs out. Logged.
 */
export async function unlockUser(ctx: Ctx, userId: string) {
  const r = await ctx.tx.execute<any>(sql`
    select u.id, u.username, u.unit_id, un.path from users u join units un on un.id = u.unit_id
    where u.id = ${userId}`);
  const user = r.rows[0];
  if (!user) throw notFound();
  authorize(ctx.actor, usersPolicy, 'unlock', user);
  const gone = await ctx.tx.execute<{ locked_until: Date | null; failures: number }>(sql`
    delete from login_attempts where username = ${user.username} returning locked_until, failures`);
  const was = gone.rows[0];
  const wasLocked = !!was?.locked_until && was.locked_until > ctx.clock.now();
  await audit(ctx, {
    stream: `user:${user.id}`,
    action: 'sign_in_unlocked',
    entityType: 'user',
    entityId: user.id,
    unitId: user.unit_id,
    data: { username: user.username, wasLocked, failures: was?.failures ?? 0 },
  });
  return { ok: true, wasLocked };
}
