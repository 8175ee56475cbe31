import type { JibaoModule } from '../floor/module.js';
import { composeTimers, timerWorker } from '../floor/timers.js';
import type { WorkerFactory } from '../floor/workers.js';
import { accountabilityModule } from '../modules/accountability/index.js';
import { affairsModule } from '../modules/affairs/index.js';
import { authModule } from '../modules/auth/index.js';
import { dutyModule } from '../modules/duty/index.js';
import { emergencyModule } from '../modules/emergency/index.js';
import { inspectionsModule } from '../modules/inspections/index.js';
import { jobsModule } from '../modules/jobs/index.js';
import { notifyModule } from '../modules/notify/index.js';
import { resourcesModule } from '../modules/resources/index.js';
import { rulesModule } from '../modules/rules/index.js';
import { tasksModule } from '../modules/tasks/index.js';
import { timelinessModule } from '../modules/timeliness/index.js';
import { unitsModule } from '../modules/units/index.js';

/** Every module of Jibao, in one list: their routes, timer kinds and workers are composed from here only. */
export const MODULES: readonly JibaoModule[] = [
  authModule,
  unitsModule,
  notifyModule,
  dutyModule,
  emergencyModule,
  accountabilityModule,
  timelinessModule,
  rulesModule,
  jobsModule,
  tasksModule,
  inspectionsModule,
  resourcesModule,
  affairsModule,
];

/** What every timer kind does; a kind handled twice stops the start, one handled by nobody is an error. */
export const TIMERS = composeTimers(MODULES.flatMap((m) => (m.timers ? [m.timers] : [])));

/** Every background worker: the modules' own and the sweep of due timers. */
export const WORKERS: readonly WorkerFactory[] = [
  ...MODULES.flatMap((m) => m.workers ?? []),
  timerWorker(TIMERS),
];

/** The modules' demo data, in module order (first start of a demo database only). */
export const DEMOS: ReadonlyArray<{ name: string; load: NonNullable<JibaoModule['demo']> }> = MODULES.flatMap(
  (m) => (m.demo ? [{ name: m.name, load: m.demo }] : []),
);
