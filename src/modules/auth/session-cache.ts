import { performance } from 'node:perf_hooks';
import type { Actor } from '../shared/context.js';

/**
 * A few seconds of memory for signed-in sessions, so a busy desk does not pay three queries per request to
 * learn who it is. Any sign-out, disabling, role or password change in this instance clears it; other
 * instances see such a change within TTL_MS.
 */
const TTL_MS = 5_000;
const MAX = 10_000;
const cache = new Map<string, { actor: Actor; until: number }>();

export function cachedActor(tokenHash: string): Actor | null {
  const hit = cache.get(tokenHash);
  if (!hit) return null;
  if (hit.until < performance.now()) {
    cache.delete(tokenHash);
    return null;
  }
  return hit.actor;
}

export function rememberActor(tokenHash: string, actor: Actor): void {
  if (cache.size >= MAX) cache.clear();
  cache.set(tokenHash, { actor, until: performance.now() + TTL_MS });
}

export function invalidateSessionCache(): void {
  cache.clear();
}
