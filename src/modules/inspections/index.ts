import type { JibaoModule } from '../../floor/module.js';
import { loadInspectionsDemo } from './demo.js';
import { inspectionTimers } from './escalation.js';
import { registerHazardSourceRoutes } from './hazard-sources.routes.js';
import { sourceTimers } from './hazard-sources.service.js';
import { registerInspectionRoutes } from './inspections.routes.js';
import { registerSafetyOfficeRoutes } from './safety-offices.routes.js';
import { registerTipoffRoutes } from './tipoffs.routes.js';

/**
 * 大检查: campaigns, visits, hazards and their rectification clock, public tip-offs, major hazard sources and their
 * watch, the areas' safety committee offices (安委办).
 */
export const inspectionsModule: JibaoModule = {
  name: 'inspections',
  routes: (app) => {
    registerInspectionRoutes(app);
    registerTipoffRoutes(app);
    registerHazardSourceRoutes(app);
    registerSafetyOfficeRoutes(app);
  },
  timers: new Map([...inspectionTimers, ...sourceTimers]),
  demo: loadInspectionsDemo,
};
