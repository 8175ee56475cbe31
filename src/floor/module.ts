import type { Ctx } from './context.js';
import type { App } from './http.js';
import type { TimerHandlers } from './timers.js';
import type { WorkerFactory } from './workers.js';

/**
 * What a module gives the server: its routes, what its timer kinds do, its background workers. The server
 * composes every module's in one list (src/server/modules.ts); nothing registers itself on import.
 */
export interface JibaoModule {
  name: string;
  routes?: (app: App) => void;
  timers?: TimerHandlers;
  workers?: readonly WorkerFactory[];
  /**
   * The module's demo data, made through its domain code on the first start of a demo database (after the units'
   * demo city), in one transaction: every step keeps its registration-log entry, timers and live messages.
   */
  demo?: (ctx: Ctx) => Promise<void>;
}
