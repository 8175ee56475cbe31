import type { JibaoModule } from '../../floor/module.js';
import { dutyWorker, registerDutyRoutes } from './duty.routes.js';

export const dutyModule: JibaoModule = { name: 'duty', routes: registerDutyRoutes, workers: [dutyWorker] };
