import type { JibaoModule } from '../../floor/module.js';
import { registerTaskRoutes } from './tasks.routes.js';
import { taskTimers } from './timers.js';

/**
 * 督查督办 (supervised tasks): tasks issued by an area's offices to units in its subtree, with reminders,
 * overdue escalation and periodic progress reports on the shared clocks; collection tasks to many units.
 * Other modules issue tasks inside their own transaction with `issueTask`.
 */
export const tasksModule: JibaoModule = {
  name: 'tasks',
  routes: registerTaskRoutes,
  timers: taskTimers,
};

export { tasksPolicy } from './policy.js';
export {
  collectionFor,
  completeLinkedTask,
  issueCollection,
  issueTask,
  linkedTasks,
  linkTaskSource,
  TASK_SOURCES,
  type TaskSource,
} from './tasks.service.js';
