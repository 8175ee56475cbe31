import type pg from 'pg';
import type { Db } from '../db/index.js';
import type { Clock } from '../modules/shared/clock.js';

export interface Workers {
  stop(): Promise<void>;
}

type Worker = { name: string; start(): void; stop(): Promise<void> };
const registry: Array<(deps: { db: Db; pool: pg.Pool; clock: Clock; log: (m: string) => void }) => Worker> =
  [];

/** Modules register background workers (the deadline sweeper, notification delivery …). */
export function registerWorker(
  factory: (deps: { db: Db; pool: pg.Pool; clock: Clock; log: (m: string) => void }) => Worker,
): void {
  registry.push(factory);
}

export function startWorkers(deps: {
  db: Db;
  pool: pg.Pool;
  clock: Clock;
  log: (m: string) => void;
}): Workers {
  const ws = registry.map((f) => f(deps));
  for (const w of ws) w.start();
  return {
    async stop() {
      await Promise.all(ws.map((w) => w.stop()));
    },
  };
}
