import { performance } from 'node:perf_hooks';
import type { Db } from '../../db/index.js';
import type { Actor } from '../../floor/context.js';
import { onSignal } from '../../floor/signal.js';

/**
 * A moment of memory for signed-in sessions, so a busy desk does not pay three queries per request to learn
 * who it is. One cache per instance (keyed by its database handle). A revoked session is dropped at once by
 * the `session.revoked` signal, on this instance and every other; TTL_MS only bounds how long a lost signal
 * can leave a revoked session usable.
 */
export const SESSION_CACHE_TTL_MS = 1_000;
const MAX = 10_000;
type Entry = { actor: Actor; until: number };
/** `revocations` counts revocations heard, so a lookup that raced one is not remembered */
type Cache = { entries: Map<string, Entry>; revocations: number };
const caches = new WeakMap<object, Cache>();

function cacheOf(db: Db): Cache {
  let cache = caches.get(db);
  if (!cache) {
    const c: Cache = { entries: new Map(), revocations: 0 };
    cache = c;
    caches.set(db, c);
    onSignal(db, 'session.revoked', ({ userId, tokenHash, keep }) => {
      c.revocations++;
      for (const [h, e] of c.entries)
        if (tokenHash ? h === tokenHash : e.actor.id === userId && h !== keep) c.entries.delete(h);
    });
  }
  return cache;
}

/** Take before reading a session from the database; pass to `rememberActor`. */
export function cacheStamp(db: Db): number {
  return cacheOf(db).revocations;
}

export function cachedActor(db: Db, tokenHash: string): Actor | null {
  const cache = cacheOf(db).entries;
  const hit = cache.get(tokenHash);
  if (!hit) return null;
  if (hit.until < performance.now()) {
    cache.delete(tokenHash);
    return null;
  }
  return hit.actor;
}

export function rememberActor(db: Db, tokenHash: string, actor: Actor, stamp: number): void {
  const c = cacheOf(db);
  if (c.revocations !== stamp) return; // a revocation arrived while we read: the row may be stale
  if (c.entries.size >= MAX) c.entries.clear();
  c.entries.set(tokenHash, { actor, until: performance.now() + SESSION_CACHE_TTL_MS });
}
