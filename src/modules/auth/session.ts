import type { Db } from '../../db/index.js';
import type { Clock } from '../../floor/clock.js';
import type { Actor } from '../../floor/context.js';
import { findSessionActor } from './auth.repo.js';
import { tokenHash } from './login.js';
import { cachedActor, cacheStamp, rememberActor } from './session-cache.js';

/** Who holds this session token: the actor and the token's hash, or null for no, an expired or a revoked session. */
export async function resolveSession(
  db: Db,
  clock: Clock,
  token: string,
): Promise<{ actor: Actor; tokenHash: string } | null> {
  const h = tokenHash(token);
  const cached = cachedActor(db, h);
  if (cached) return { actor: cached, tokenHash: h };
  const stamp = cacheStamp(db);
  const actor = await findSessionActor(db, h, clock.now());
  if (!actor) return null;
  rememberActor(db, h, actor, stamp);
  return { actor, tokenHash: h };
}
