import type { JibaoModule } from '../../floor/module.js';
import { registerPlanRoutes } from './plans.routes.js';
import { registerResourceRoutes } from './resources.routes.js';
import { resourceTimers } from './timers.js';

/**
 * 一网五库: registers (warehouses, teams, experts, shelters), stock with batches and moves, dispatches to events,
 * plans with tasks per response level and their activation on events, suggestions on the event page.
 */
export const resourcesModule: JibaoModule = {
  name: 'resources',
  routes: (app) => {
    registerResourceRoutes(app);
    registerPlanRoutes(app);
  },
  timers: resourceTimers,
};

export { plansPolicy, resourcesPolicy } from './policy.js';
