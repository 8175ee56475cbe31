import type pg from 'pg';
import type { Db } from '../db/index.js';
import type { Clock } from './clock.js';

export interface Workers {
  stop(): Promise<void>;
}

export type Worker = { name: string; start(): void; stop(): Promise<void> };
export interface WorkerDeps {
  db: Db;
  pool: pg.Pool;
  clock: Clock;
  log: (m: string) => void;
}
/** A background worker of a module (the deadline sweeper, notification delivery …), started by the server. */
export type WorkerFactory = (deps: WorkerDeps) => Worker;

/** Start the given workers (the server passes every module's, in one list: src/server/modules.ts). */
export function startWorkers(deps: WorkerDeps, factories: readonly WorkerFactory[]): Workers {
  const ws = factories.map((f) => f(deps));
  for (const w of ws) w.start();
  return {
    async stop() {
      await Promise.all(ws.map((w) => w.stop()));
    },
  };
}
