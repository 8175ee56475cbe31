import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../floor/http.js';
import type { WorkerFactory } from '../../floor/workers.js';
import { failInterruptedJobs, getJob } from './jobs.js';
import { jobsPolicy } from './policy.js';

const SWEEP_MS = 30_000;

// A job whose process died is failed at start, and by a sweep for jobs of other instances that died since.
export const jobsWorker: WorkerFactory = ({ db, clock, log }) => {
  let timer: NodeJS.Timeout | null = null;
  const sweep = () =>
    failInterruptedJobs(db, clock)
      .then((n) => n && log(`${n} interrupted background job(s) marked failed`))
      .catch(() => {});
  return {
    name: 'jobs',
    start() {
      void sweep();
      timer = setInterval(sweep, SWEEP_MS);
      timer.unref?.();
    },
    async stop() {
      if (timer) clearInterval(timer);
    },
  };
};

const jobOut = z.object({
  id: z.uuid(),
  kind: z.string(),
  state: z.enum(['queued', 'running', 'done', 'failed']),
  progress: z.object({ done: z.number(), total: z.number().nullable() }),
  result: z.unknown(),
  error: z
    .object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) })
    .nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

export function registerJobRoutes(app: App): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/jobs/:id',
    {
      config: { policy: jobsPolicy.ref('follow') },
      schema: {
        tags: ['jobs'],
        summary: '后台任务的进度与结果（发起人） / a background job’s progress and result (its starter)',
        params: z.object({ id: z.uuid() }),
        response: { 200: jobOut },
      },
    },
    async (req) => getJob(req.ctx, req.params.id),
  );
}
