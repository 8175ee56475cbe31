import { registerAccountabilityRoutes } from '../modules/accountability/accountability.routes.js';
import { registerAssessmentRoutes } from '../modules/accountability/assessment.routes.js';
import { registerAuthRoutes } from '../modules/auth/auth.routes.js';
import { registerDutyRoutes } from '../modules/duty/duty.routes.js';
import { registerAttachmentRoutes } from '../modules/emergency/attachments.js';
import { registerEmergencyRoutes } from '../modules/emergency/emergency.routes.js';
import { registerInstructionRoutes } from '../modules/emergency/instructions.js';
import { registerJobRoutes } from '../modules/jobs/jobs.routes.js';
import { registerNotifyRoutes } from '../modules/notify/notify.routes.js';
import { registerRuleSetRoutes } from '../modules/shared/rule-sets.routes.js';
import { registerHappenedTimeChecks } from '../modules/shared/times.js';
import { registerZeroReportRoutes } from '../modules/timeliness/zero-reports.routes.js';
import { registerDivisionRoutes } from '../modules/units/division.routes.js';
import { registerExcelRoutes } from '../modules/units/excel.routes.js';
import { registerResponsibleRoutes } from '../modules/units/responsible.routes.js';
import { registerStaffingRoutes } from '../modules/units/staffing.routes.js';
import { registerUnitRoutes } from '../modules/units/units.routes.js';
import '../modules/timeliness/index.js';
import type { App } from './app.js';
import { registerReadOnlyRoles } from './plugins/read-only-roles.js';
import { registerStreamRoutes } from './stream.routes.js';

/** Every module registers its routes here. */
export async function registerModules(app: App): Promise<void> {
  registerReadOnlyRoles(app);
  registerAuthRoutes(app);
  registerUnitRoutes(app);
  registerDivisionRoutes(app);
  registerExcelRoutes(app);
  registerResponsibleRoutes(app);
  registerStaffingRoutes(app);
  registerStreamRoutes(app);
  registerNotifyRoutes(app);
  registerDutyRoutes(app);
  registerEmergencyRoutes(app);
  registerAccountabilityRoutes(app);
  registerAssessmentRoutes(app);
  registerZeroReportRoutes(app);
  registerRuleSetRoutes(app);
  registerInstructionRoutes(app);
  registerAttachmentRoutes(app);
  registerJobRoutes(app);
  registerHappenedTimeChecks(app);
}
