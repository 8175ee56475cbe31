import type { JibaoModule } from '../../floor/module.js';
import { deliveryWorkerFactory, registerNotifyRoutes } from './notify.routes.js';

export const notifyModule: JibaoModule = {
  name: 'notify',
  routes: registerNotifyRoutes,
  workers: [deliveryWorkerFactory],
};
