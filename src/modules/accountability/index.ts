import type { JibaoModule } from '../../floor/module.js';
import { registerAccountabilityRoutes } from './accountability.routes.js';
import { registerAssessmentRoutes } from './assessment.routes.js';

export const accountabilityModule: JibaoModule = {
  name: 'accountability',
  routes(app) {
    registerAccountabilityRoutes(app);
    registerAssessmentRoutes(app);
  },
};
