import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { afterCommit, type Ctx } from './context.js';

/**
 * One cross-instance signal for everything an instance must hear about at once (a revoked session, new
 * outbox rows …). `signal()` waits for the caller's transaction to commit, runs this instance's handlers
 * and then sends ONE `pg_notify` on `SIGNAL_CHANNEL` outside any transaction (NOTIFY inside a write
 * transaction serializes every commit in the cluster). Each instance's hub LISTENs on the channel and
 * hands what it hears to `receiveSignal()`. NOTIFY is not durable: every use needs a fallback (a short
 * cache lifetime, a periodic check) for a signal that is lost.
 *
 * Handlers are per instance, keyed by the instance's database handle (several instances may share one
 * process in tests).
 */
export const SIGNAL_CHANNEL = 'jibao_signal';

export type SignalKinds = {
  /** A user's sessions ended (sign-out, disabled, role/unit/password change): drop them everywhere. */
  'session.revoked': {
    userId: string /** only this session */;
    tokenHash?: string | null /** all but this one */;
    keep?: string | null;
  };
  /** New outbox rows: wake the live hubs. */
  'outbox.wake': Record<string, never>;
  /** Urgent deliveries are due: wake the notification workers. */
  'notify.wake': Record<string, never>;
};
export type SignalKind = keyof SignalKinds;
type Handler<K extends SignalKind> = (payload: SignalKinds[K]) => void;

interface Station {
  /** tells this instance's own notifications apart (they were handled locally already) */
  origin: string;
  handlers: Map<string, Set<Handler<any>>>;
  /** wake-ups waiting for their debounced NOTIFY */
  pending: Set<string>;
}

/** Wake-ups of other instances are sent at most once per this many ms, however many commits ask. */
export const WAKE_DEBOUNCE_MS = 10;
const stations = new WeakMap<object, Station>();

function stationOf(db: Db): Station {
  let s = stations.get(db);
  if (!s) {
    s = { origin: randomUUID(), handlers: new Map(), pending: new Set() };
    stations.set(db, s);
  }
  return s;
}

/** Handle a signal on this instance (the one whose database handle is `db`). Returns the unsubscribe. */
export function onSignal<K extends SignalKind>(db: Db, kind: K, handler: Handler<K>): () => void {
  const s = stationOf(db);
  let set = s.handlers.get(kind);
  if (!set) {
    set = new Set();
    s.handlers.set(kind, set);
  }
  set.add(handler);
  return () => set.delete(handler);
}

function dispatch(s: Station, kind: string, payload: unknown) {
  for (const h of s.handlers.get(kind) ?? []) {
    try {
      h(payload as never);
    } catch {
      /* one handler's failure does not stop the others */
    }
  }
}

/** A NOTIFY payload heard on SIGNAL_CHANNEL by this instance's listener. */
export function receiveSignal(db: Db, raw: string): void {
  let msg: { k?: string; p?: unknown; o?: string };
  try {
    msg = JSON.parse(raw);
  } catch {
    return;
  }
  const s = stationOf(db);
  if (!msg.k || msg.o === s.origin) return;
  dispatch(s, msg.k, msg.p ?? {});
}

/**
 * After the caller's transaction commits: run this instance's handlers, then tell the other instances.
 * `ctx.tx` must belong to the instance's database handle (as every request context does).
 */
export function signal<K extends SignalKind>(ctx: Ctx, kind: K, payload: SignalKinds[K]): Promise<void> {
  return afterCommit(ctx, async (db) => {
    const s = stationOf(db);
    dispatch(s, kind, payload);
    await db.execute(
      sql`select pg_notify(${SIGNAL_CHANNEL}, ${JSON.stringify({ k: kind, p: payload, o: s.origin })})`,
    );
  });
}

type WakeKind = 'outbox.wake' | 'notify.wake';

/**
 * After the caller's transaction commits: wake this instance's readers at once, and the other instances with
 * one debounced NOTIFY sent outside any transaction (many commits in a burst cost one NOTIFY). The readers
 * read the rows themselves, so a lost wake-up only delays them until their periodic sweep.
 */
export function wake(ctx: Ctx, kind: WakeKind): Promise<void> {
  return afterCommit(ctx, (db) => {
    const s = stationOf(db);
    dispatch(s, kind, {});
    if (s.pending.has(kind)) return;
    s.pending.add(kind);
    const t = setTimeout(() => {
      s.pending.delete(kind);
      db.execute(
        sql`select pg_notify(${SIGNAL_CHANNEL}, ${JSON.stringify({ k: kind, p: {}, o: s.origin })})`,
      ).catch(() => {});
    }, WAKE_DEBOUNCE_MS);
    t.unref?.();
  });
}
