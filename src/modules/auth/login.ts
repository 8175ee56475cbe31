import { createHash, randomBytes } from 'node:crypto';
import { audit } from '../../floor/audit.js';
import { type Ctx, inTx } from '../../floor/context.js';
import { AppError } from '../../floor/errors.js';
import { notify } from '../notify/notify.js';
import * as repo from './auth.repo.js';
import { hashPassword, verifyPassword } from './password.js';

export const LOCKOUT = { failures: 5, windowMinutes: 15, lockMinutes: 15 };
export const SESSION_DAYS = 7;

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

let dummyHash: Promise<string> | null = null;

/**
 * Sign in. The attempt is counted first, in its own committed statement, and the password is checked only
 * while the count is within LOCKOUT.failures: however many guesses arrive at once, at most five are ever
 * checked per window. The fifth failure locks the username for 15 minutes (even for the right password)
 * and tells its owner; an administrator can unlock (`unlockUser`).
 * `ctx.tx` must be the database, not a transaction: the count must commit whatever follows.
 */
export async function login(ctx: Ctx, input: { username: string; password: string }) {
  const now = ctx.clock.now();
  const username = input.username.trim();
  const counted = await repo.countAttempt(ctx.tx, username, now, LOCKOUT.windowMinutes);
  if ((counted.lockedUntil && counted.lockedUntil > now) || counted.attempts > LOCKOUT.failures)
    throw new AppError(429, 'locked_out');
  const user = await repo.findUserByUsername(ctx.tx, username);
  // Verify against a dummy hash for unknown users, so timing does not reveal which usernames exist.
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const ok = await verifyPassword(user?.password_hash ?? (await dummyHash), input.password);
  if (!user || !ok) {
    const lockUntil = new Date(now.getTime() + LOCKOUT.lockMinutes * 60_000);
    // Recorded in its own transaction: the refusal below must not roll it back.
    await inTx(ctx, async (c) => {
      const n = await repo.recordFailure(c.tx, username, LOCKOUT.failures, lockUntil);
      const locked = n === LOCKOUT.failures;
      await audit(c, {
        stream: `login:${username}`,
        action: locked ? 'locked_out' : 'sign_in_failed',
        entityType: 'user',
        entityId: user?.id ?? null,
        unitId: user?.unit_id ?? null,
        data: { username, failures: n, ...(locked ? { lockedUntil: lockUntil.toISOString() } : {}) },
      });
      if (locked && user) await tellLocked(c, user, lockUntil);
    });
    throw new AppError(401, 'bad_credentials');
  }
  if (user.disabled) throw new AppError(403, 'user_disabled');
  return inTx(ctx, (c) => startSession(c, user, now));
}

/** The owner of a locked account learns of it, and how to get back in before the lock runs out. */
async function tellLocked(ctx: Ctx, user: any, until: Date) {
  const local = until.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  await notify(ctx, {
    userIds: [user.id],
    kind: 'account.locked',
    title: '账号因多次登录失败已被临时锁定',
    body:
      `您的账号（${user.username}）连续 ${LOCKOUT.failures} 次登录失败，已锁定至 ${local}（北京时间）。` +
      '如不是您本人操作，可能有人在尝试猜测您的密码：请联系本单位或上级单位的系统管理员在“用户管理”中立即解锁，并考虑修改密码。' +
      ` / Your account was locked after ${LOCKOUT.failures} failed sign-ins until ${until.toISOString()}. ` +
      'An administrator of your unit or above can unlock it at once under Users.',
    data: { username: user.username, lockedUntil: until.toISOString() },
    dedupeKey: `account.locked:${user.id}:${until.toISOString()}`,
  });
}

async function startSession(ctx: Ctx, user: any, now: Date) {
  await repo.clearAttempts(ctx.tx, user.username);
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
