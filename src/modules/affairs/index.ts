import type { JibaoModule } from '../../floor/module.js';
import { registerAffairsRoutes } from './affairs.routes.js';
import { commissionTimers } from './commissions.service.js';

/**
 * 政务信息 (government-affairs information): reporting priorities and research topics, commissions (约稿) with
 * their clocks, pieces written, approved inside the unit and sent to the receiving area's two general offices,
 * adoptions and leader instructions, and the score table from the `scoring` rule set.
 */
export const affairsModule: JibaoModule = {
  name: 'affairs',
  routes: registerAffairsRoutes,
  timers: commissionTimers,
};

export { affairsPolicy } from './policy.js';
