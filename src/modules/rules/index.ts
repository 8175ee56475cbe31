import type { JibaoModule } from '../../floor/module.js';
import { registerRuleSetRoutes } from './rule-sets.routes.js';

export const rulesModule: JibaoModule = { name: 'rules', routes: registerRuleSetRoutes };
