import { createHash, randomBytes } from 'node:crypto';
import { audit } from '../accountability/audit.js';
import { type Ctx, inTx } from '../shared/context.js';
import { AppError } from '../shared/errors.js';
import * as repo from './auth.repo.js';
import { hashPassword, verifyPassword } from './password.js';

export const LOCKOUT = { failures: 5, windowMinutes: 15, lockMinutes: 15 };
export const SESSION_DAYS = 7;

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

let dummyHash: Promise<string> | null = null;

/** Sign in: argon2id check, lockout after 5 failures in 15 minutes (even for the right password). */
export async function login(ctx: Ctx, input: { username: string; password: string }) {
  const now = ctx.clock.now();
  const username = input.username.trim();
  if (await repo.lockedUntil(ctx.tx, username, now)) throw new AppError(429, 'locked_out');
  const user = await repo.findUserByUsername(ctx.tx, username);
  // Verify against a dummy hash for unknown users, so timing does not reveal which usernames exist.
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const ok = await verifyPassword(user?.password_hash ?? (await dummyHash), input.password);
  if (!user || !ok) {
    // Recorded in its own transaction: the refusal below must not roll it back.
    await inTx(ctx, async (c) => {
      const n = await repo.recordFailure(c.tx, username, now, LOCKOUT.windowMinutes);
      if (n >= LOCKOUT.failures) {
        await repo.lock(c.tx, username, new Date(now.getTime() + LOCKOUT.lockMinutes * 60_000));
      }
      await audit(c, {
        stream: `login:${username}`,
        action: n >= LOCKOUT.failures ? 'locked_out' : 'sign_in_failed',
        entityType: 'user',
        entityId: user?.id ?? null,
        unitId: user?.unit_id ?? null,
        data: { username, failures: n },
      });
    });
    throw new AppError(401, 'bad_credentials');
  }
  if (user.disabled) throw new AppError(403, 'user_disabled');
  return inTx(ctx, (c) => startSession(c, user, now));
}

async function startSession(ctx: Ctx, user: any, now: Date) {
  await repo.clearFailures(ctx.tx, user.username);
  const token = randomBytes(32).toString('base64url');
  await repo.insertSession(
    ctx.tx,
    tokenHash(token),
    user.id,
    now,
    new Date(now.getTime() + SESSION_DAYS * 86_400_000),
  );
  const actor = await repo.actorFromUserRow(ctx.tx, user);
  await audit(
    { ...ctx, actor },
    { stream: `user:${user.id}`, action: 'signed_in', entityType: 'user', entityId: user.id, data: {} },
  );
  return { token, actor };
}
