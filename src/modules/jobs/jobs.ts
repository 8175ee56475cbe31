import { sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import type { Ctx } from '../../floor/context.js';
import { AppError, notFound } from '../../floor/errors.js';
import { registerMessages } from '../../floor/i18n.js';
import { authorize } from '../../floor/policy.js';
import { jobsPolicy } from './policy.js';

registerMessages(
  {
    'error.job_interrupted': '后台任务因服务重启而中断，请重新发起。',
    'error.job_failed': '后台任务失败。',
  },
  {
    'error.job_interrupted': 'The background job was interrupted by a restart; please start it again.',
    'error.job_failed': 'The background job failed.',
  },
);

/**
 * Background jobs: long work leaves the request. `startJob` stores the job (`queued`), answers with its id at
 * once, and runs it in this process after the answer; `run` reports progress (`done` of `total`) as it goes.
 * At most `MAX_RUNNING` jobs run at a time per process (the rest wait queued), so a burst of imports cannot
 * take every core. A running job moves its heartbeat; a job whose heartbeat stopped (its process died) is
 * marked failed (`failInterruptedJobs`, at start and by the sweep).
 */

export type JobState = 'queued' | 'running' | 'done' | 'failed';
export type Progress = (done: number, total?: number | null) => Promise<void>;
export type JobRun<R> = (ctx: Ctx, progress: Progress) => Promise<R>;

export const MAX_RUNNING = 2;
const HEARTBEAT_MS = 5_000;
/** A running job whose heartbeat is older than this was lost with its process. */
export const STALE_AFTER_MS = 60_000;
/** Statement timeout inside a job's transactions (the request pool's 15 s does not fit a province). */
export const JOB_STATEMENT_TIMEOUT = '10min';

let running = 0;
const waiting: Array<() => void> = [];
const inFlight = new Set<Promise<unknown>>();

async function slot(): Promise<void> {
  if (running < MAX_RUNNING) {
    running++;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}
function release() {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

/** Inside a job's transaction: lift the request statement timeout for this transaction only. */
export async function allowLongStatements(ctx: Ctx): Promise<void> {
  await ctx.tx.execute(sql.raw(`set local statement_timeout = '${JOB_STATEMENT_TIMEOUT}'`));
}

/**
 * Store a job and run it after the current request (never inside its transaction: the job row must be
 * committed before it runs, and the job opens its own transactions with `inTx`). Returns `{ jobId }`.
 */
export async function startJob<R>(
  ctx: Ctx,
  kind: string,
  run: JobRun<R>,
  opts: { input?: unknown } = {},
): Promise<{ jobId: string }> {
  if ((ctx as any).__inTx) throw new Error('startJob must be called outside a transaction');
  const db = ctx.tx;
  const r = await db.execute<{ id: string }>(sql`
    insert into jobs (kind, actor_id, state, input, created_at)
    values (${kind}, ${ctx.actor?.id ?? null}, 'queued', ${JSON.stringify(opts.input ?? null)}::jsonb,
            ${ctx.clock.now().toISOString()})
    returning id`);
  const jobId = r.rows[0].id;
  const p = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => execute(ctx, db, jobId, run))
    .finally(() => inFlight.delete(p));
  inFlight.add(p);
  return { jobId };
}

async function execute<R>(ctx: Ctx, db: Db, jobId: string, run: JobRun<R>): Promise<void> {
  await slot();
  const beat = setInterval(() => {
    db.execute(
      sql`update jobs set heartbeat_at = clock_timestamp() where id = ${jobId} and state = 'running'`,
    ).catch(() => {});
  }, HEARTBEAT_MS);
  beat.unref?.();
  try {
    await db.execute(sql`update jobs set state = 'running', started_at = ${ctx.clock.now().toISOString()},
      heartbeat_at = clock_timestamp() where id = ${jobId}`);
    let last = 0;
    const progress: Progress = async (done, total) => {
      const now = Date.now();
      if (now - last < 200 && (total == null || done < total)) return; // at most 5 writes a second
      last = now;
      await db.execute(sql`update jobs set progress_done = ${Math.max(0, Math.floor(done))},
        progress_total = coalesce(${total ?? null}::int, progress_total), heartbeat_at = clock_timestamp()
        where id = ${jobId}`);
    };
    const jobCtx: Ctx = { actor: ctx.actor, tx: db, clock: ctx.clock, lang: ctx.lang };
    const result = await run(jobCtx, progress);
    await db.execute(sql`update jobs set state = 'done', result = ${JSON.stringify(result ?? null)}::jsonb,
      progress_done = greatest(progress_done, coalesce(progress_total, 0)),
      finished_at = ${ctx.clock.now().toISOString()} where id = ${jobId}`);
  } catch (e) {
    const error =
      e instanceof AppError ? { code: e.code, status: e.status, details: e.details } : { code: 'internal' };
    if (!(e instanceof AppError)) console.error(`job ${jobId} failed`, e);
    await db
      .execute(sql`update jobs set state = 'failed', error = ${JSON.stringify(error)}::jsonb,
        finished_at = ${ctx.clock.now().toISOString()} where id = ${jobId}`)
      .catch(() => {});
  } finally {
    clearInterval(beat);
    release();
  }
}

/** Wait for this process's jobs (tests, graceful shutdown). */
export async function settleJobs(): Promise<void> {
  while (inFlight.size) await Promise.allSettled([...inFlight]);
}

/** Jobs left `queued` or `running` by a process that died are failed (`interrupted`). */
export async function failInterruptedJobs(db: Db, clock: { now(): Date }, staleAfterMs = STALE_AFTER_MS) {
  const r = await db.execute(sql`
    update jobs set state = 'failed', error = '{"code":"job_interrupted"}'::jsonb,
      finished_at = ${clock.now().toISOString()}
    where state in ('queued', 'running')
      and heartbeat_at < clock_timestamp() - make_interval(secs => ${staleAfterMs / 1000})`);
  return r.rowCount ?? 0;
}

/** A job as its owner sees it; someone else's job is a 404. */
export async function getJob(ctx: Ctx, id: string) {
  const r = await ctx.tx.execute<any>(sql`select * from jobs where id = ${id}`);
  const j = r.rows[0];
  if (!j) throw notFound();
  authorize(ctx.actor, jobsPolicy, 'follow', j);
  const error = j.error as { code: string; details?: Record<string, unknown> } | null;
  return {
    id: j.id as string,
    kind: j.kind as string,
    state: j.state as JobState,
    progress: { done: j.progress_done as number, total: (j.progress_total ?? null) as number | null },
    result: j.result ?? null,
    error: error
      ? {
          code: error.code,
          message: new AppError(400, error.code, error.details ?? {}).message_(ctx.lang),
          details: error.details ?? {},
        }
      : null,
    createdAt: new Date(j.created_at).toISOString(),
    startedAt: j.started_at ? new Date(j.started_at).toISOString() : null,
    finishedAt: j.finished_at ? new Date(j.finished_at).toISOString() : null,
  };
}
