import type { JibaoModule } from '../../floor/module.js';
import { inspectionTimers } from './escalation.js';
import { registerInspectionRoutes } from './inspections.routes.js';
import { registerTipoffRoutes } from './tipoffs.routes.js';

/** 大检查: campaigns, visits, hazards and their rectification clock, public tip-offs. */
export const inspectionsModule: JibaoModule = {
  name: 'inspections',
  routes: (app) => {
    registerInspectionRoutes(app);
    registerTipoffRoutes(app);
  },
  timers: inspectionTimers,
};
