import type { JibaoModule } from '../../floor/module.js';
import { composeTimers } from '../../floor/timers.js';
import { escalationTimers } from './escalation.js';
import './rules.js';
import { zeroReportTimers } from './zero-reports.js';
import { registerZeroReportRoutes } from './zero-reports.routes.js';

export const timelinessModule: JibaoModule = {
  name: 'timeliness',
  routes: registerZeroReportRoutes,
  timers: composeTimers([escalationTimers, zeroReportTimers]),
};
