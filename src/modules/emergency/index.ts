import type { JibaoModule } from '../../floor/module.js';
import { registerAttachmentRoutes } from './attachments.js';
import { registerCallRoutes } from './calls.routes.js';
import { registerEmergencyRoutes } from './emergency.routes.js';
import { instructionTimers, registerInstructionRoutes } from './instructions.js';
import { registerObligationRoutes } from './obligations.routes.js';
import { registerUpwardRoutes } from './upward.routes.js';

export const emergencyModule: JibaoModule = {
  name: 'emergency',
  routes(app) {
    registerEmergencyRoutes(app);
    registerInstructionRoutes(app);
    registerAttachmentRoutes(app);
    registerUpwardRoutes(app);
    registerObligationRoutes(app);
    registerCallRoutes(app);
  },
  timers: instructionTimers,
};
