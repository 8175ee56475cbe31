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
}
