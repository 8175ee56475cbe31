import type { JibaoModule } from '../../floor/module.js';
import { registerDivisionRoutes } from './division.routes.js';
import { registerExcelRoutes } from './excel.routes.js';
import { registerResponsibleRoutes } from './responsible.routes.js';
import { registerStaffingRoutes } from './staffing.routes.js';
import { registerUnitRoutes } from './units.routes.js';

export const unitsModule: JibaoModule = {
  name: 'units',
  routes(app) {
    registerUnitRoutes(app);
    registerDivisionRoutes(app);
    registerExcelRoutes(app);
    registerResponsibleRoutes(app);
    registerStaffingRoutes(app);
  },
};
