import type { JibaoModule } from '../../floor/module.js';
import { registerAuthRoutes } from './auth.routes.js';

export const authModule: JibaoModule = { name: 'auth', routes: registerAuthRoutes };
