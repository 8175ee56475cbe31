import type { JibaoModule } from '../../floor/module.js';
import { jobsWorker, registerJobRoutes } from './jobs.routes.js';

export const jobsModule: JibaoModule = { name: 'jobs', routes: registerJobRoutes, workers: [jobsWorker] };
