import type { App } from '../floor/http.js';
import { registerHappenedTimeChecks } from '../floor/times.js';
import { MODULES } from './modules.js';
import { registerPolicyGate } from './plugins/policy.js';
import { registerReadOnlyRoles } from './plugins/read-only-roles.js';
import { registerStreamRoutes } from './stream.routes.js';

/** Every module's routes, from the one list in modules.ts, with the server's own around them. */
export async function registerModules(app: App): Promise<void> {
  registerReadOnlyRoles(app);
  // after the read-only check, so an auditor's write is refused as `read_only_role` whatever the route's roles
  registerPolicyGate(app);
  for (const m of MODULES) m.routes?.(app);
  registerStreamRoutes(app);
  registerHappenedTimeChecks(app);
}
