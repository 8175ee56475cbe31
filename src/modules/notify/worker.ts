import type pg from 'pg';
import type { Db } from '../../db/index.js';
import type { Clock } from '../../floor/clock.js';
import { onSignal, type SignalKind } from '../../floor/signal.js';
import { processDueDeliveries } from './delivery.js';

export interface LoopDeps {
  db: Db;
  pool: pg.Pool;
  clock: Clock;
  log: (m: string) => void;
}

/**
 * A background loop: runs `pass` every `pollMs` and whenever a NOTIFY arrives on `channel`; never two
 * passes at once in one instance (instances coordinate through row locks).
 */
export function loop(
  name: string,
  deps: LoopDeps,
  pass: () => Promise<number>,
  opts: { pollMs: number; channel?: string; signal?: SignalKind },
) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let listener: pg.PoolClient | null = null;
  const tick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          // keep going while a full batch came back
          while (!stopped && (await pass()) > 0) {}
        } catch (e) {
          deps.log(`${name}: ${(e as Error).message}`);
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  };
  let unsubscribe: (() => void) | null = null;
  const listen = async () => {
    if (!opts.channel || stopped) return;
    try {
      const c = await deps.pool.connect();
      listener = c;
      c.on('notification', tick);
      c.on('error', () => {
        if (listener !== c) return; // already handed back by stop()
        listener = null;
        c.release(true);
        if (!stopped) setTimeout(listen, 1000).unref();
      });
      await c.query(`LISTEN ${opts.channel}`);
    } catch {
      if (!stopped) setTimeout(listen, 1000).unref();
    }
  };
  return {
    name,
    start() {
      if (opts.signal) unsubscribe = onSignal(deps.db, opts.signal, tick);
      timer = setInterval(tick, opts.pollMs);
      timer.unref();
      void listen();
      tick();
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      if (timer) clearInterval(timer);
      await running;
      if (listener) {
        const c = listener;
        listener = null;
        const ok = await c.query(`UNLISTEN ${opts.channel}`).then(
          () => true,
          () => false,
        );
        c.release(!ok); // a broken connection is destroyed, not pooled
      }
    },
  };
}

export function deliveryWorker(deps: LoopDeps) {
  const pollMs = Number(process.env.JIBAO_NOTIFY_POLL_MS ?? 1000);
  return loop('notify-delivery', deps, () => processDueDeliveries({ db: deps.db, clock: deps.clock }), {
    pollMs,
    signal: 'notify.wake',
  });
}
