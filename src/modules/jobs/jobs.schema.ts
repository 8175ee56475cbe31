import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Long work (a province's import from the division table, verifying the registration log) runs as a
 * background job: the request answers 202 `{jobId}` at once and the caller follows `GET /api/jobs/{id}`.
 * `heartbeat_at` is moved by the running instance; a job whose heartbeat stopped (the process died) is
 * marked failed on the next start or sweep.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    actorId: uuid('actor_id'),
    state: text('state').notNull(), // queued | running | done | failed
    progressDone: integer('progress_done').notNull().default(0),
    progressTotal: integer('progress_total'),
    input: jsonb('input'),
    result: jsonb('result'),
    error: jsonb('error'), // {code, details}
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('jobs_actor_idx').on(t.actorId, t.createdAt), index('jobs_state_idx').on(t.state)],
);
