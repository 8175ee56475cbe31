import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { type BufferedTimer, batchOf } from './batch.js';
import type { Clock } from './clock.js';
import { type Ctx, inTx, systemCtx } from './context.js';
import { arrayParam } from './sql-arrays.js';
import type { WorkerFactory } from './workers.js';

/**
 * Durable timers: a `timers` row per step that must happen at a time (a reminder, an escalation …), claimed
 * with FOR UPDATE SKIP LOCKED and fired in the transaction of its effect — exactly once across instances, and
 * whatever fell due while the server was down fires on the first sweep after it starts. Modules say what
 * their kinds do (a `TimerHandlers` map each); the server composes them into one table (src/server/modules.ts),
 * and a kind nobody handles is an error, never silently "fired".
 */
export type TimerRow = {
  id: string;
  kind: string;
  ref_id: string;
  due_at: Date;
  payload: Record<string, any>;
};

/** What a due timer of one kind does: called with a batch, in the claiming transaction. */
export type TimerHandler = (ctx: Ctx, timers: TimerRow[]) => Promise<void>;
export type TimerHandlers = ReadonlyMap<string, TimerHandler>;

export interface SweepDeps {
  db: Db;
  clock: Clock;
  timers: TimerHandlers;
  log?: (m: string) => void;
}

/** One table of every module's timer kinds; the same kind handled twice is a wiring error. */
export function composeTimers(tables: TimerHandlers[]): TimerHandlers {
  const all = new Map<string, TimerHandler>();
  for (const t of tables)
    for (const [kind, h] of t) {
      if (all.has(kind)) throw new Error(`timer kind ${kind} is handled twice`);
      all.set(kind, h);
    }
  return all;
}

/** Schedule a step at `dueAt` (inside a command: written with the command's other floor rows at its end). */
export async function addTimer(
  ctx: Ctx,
  kind: string,
  refId: string,
  dueAt: Date,
  payload: Record<string, unknown> = {},
) {
  await addTimers(ctx, [{ kind, refId, dueAt, payload }]);
}

/** Several timers in one multi-row insert (or into the command's batch). */
export async function addTimers(
  ctx: Ctx,
  timers: Array<{ kind: string; refId: string; dueAt: Date; payload?: Record<string, unknown> }>,
) {
  if (timers.length === 0) return;
  const createdAt = ctx.clock.now();
  const rows: BufferedTimer[] = timers.map((t) => ({
    kind: t.kind,
    refId: t.refId,
    dueAt: t.dueAt,
    payload: JSON.parse(JSON.stringify(t.payload ?? {})),
    createdAt,
  }));
  const batch = batchOf(ctx);
  if (batch) {
    // the same step scheduled twice in one command is one timer (as the upsert makes it), with the last payload
    const key = (t: BufferedTimer) => `${t.refId} ${t.kind} ${t.dueAt.getTime()}`;
    const added = new Set(rows.map(key));
    batch.timers = [...batch.timers.filter((t) => !added.has(key(t))), ...rows];
    return;
  }
  await ctx.tx.execute(sql`${insertTimersSql(dedupeTimers(rows))}`);
}

function dedupeTimers(rows: BufferedTimer[]): BufferedTimer[] {
  const m = new Map<string, BufferedTimer>();
  for (const t of rows) m.set(`${t.refId} ${t.kind} ${t.dueAt.getTime()}`, t);
  return [...m.values()];
}

/** The insert of timers (a re-added cancelled step comes back; a fired one stays fired). */
export function insertTimersSql(rows: BufferedTimer[]): SQL {
  return sql`insert into timers (kind, ref_id, due_at, payload, created_at) values ${sql.join(
    rows.map(
      (t) =>
        sql`(${t.kind}, ${t.refId}, ${t.dueAt.toISOString()}, ${JSON.stringify(t.payload)}::jsonb, ${t.createdAt.toISOString()})`,
    ),
    sql`, `,
  )} on conflict (ref_id, kind, due_at) do update set cancelled_at = null where timers.fired_at is null`;
}

/**
 * Cancel the pending timers of `refId` (of one kind, or all): those already written and those this command
 * gathered. Timers of a record created in this command are only gathered: pass `onlyGathered`.
 */
export async function cancelTimers(
  ctx: Ctx,
  refId: string,
  opts: { kind?: string; onlyGathered?: boolean } = {},
) {
  const batch = batchOf(ctx);
  if (batch)
    batch.timers = batch.timers.filter(
      (t) => t.refId !== refId || (opts.kind !== undefined && t.kind !== opts.kind),
    );
  if (opts.onlyGathered && batch) return;
  await ctx.tx.execute(
    sql`update timers set cancelled_at = ${ctx.clock.now().toISOString()} where ref_id = ${refId}
      ${opts.kind ? sql`and kind = ${opts.kind}` : sql``} and fired_at is null and cancelled_at is null`,
  );
}

const MAX_ATTEMPTS = 5;

/**
 * Claim due timers with FOR UPDATE SKIP LOCKED and fire them in the same transaction as their effect:
 * each fires exactly once across instances, and whatever fell due while the server was down fires on the
 * first sweep after it starts. Returns how many were claimed.
 */
export async function sweepOnce(deps: SweepDeps, batch = 500): Promise<number> {
  const now = deps.clock.now();
  return inTx(systemCtx(deps), async (ctx) => {
    const tx = ctx.tx;
    const r = await tx.execute<TimerRow>(sql`select id, kind, ref_id, due_at, payload from timers
      where fired_at is null and cancelled_at is null and due_at <= ${now.toISOString()}
      order by due_at limit ${batch} for update skip locked`);
    if (r.rows.length === 0) return 0;
    const byKind = new Map<string, TimerRow[]>();
    for (const t of r.rows) byKind.set(t.kind, [...(byKind.get(t.kind) ?? []), t]);
    for (const [kind, timers] of byKind) {
      const h = deps.timers.get(kind);
      try {
        // a timer nobody handles is an error (retried, then kept as failed), never silently "fired"
        if (!h) throw new Error(`no handler for timer kind ${kind}`);
        // a savepoint per kind: one failing handler does not undo the others
        await tx.transaction(async (sp) => h({ ...ctx, tx: sp as unknown as Db }, timers));
        await tx.execute(
          sql`update timers set fired_at = ${now.toISOString()} where id = any(${arrayParam(timers.map((t) => t.id))}::uuid[])`,
        );
      } catch (e) {
        deps.log?.(`timer ${kind} failed: ${(e as Error).message}`);
        for (const t of timers) {
          const attempts = Number(t.payload?.attempts ?? 0) + 1;
          if (attempts >= MAX_ATTEMPTS)
            await tx.execute(sql`update timers set fired_at = ${now.toISOString()},
              payload = payload || ${JSON.stringify({ attempts, error: String((e as Error).message) })}::jsonb where id = ${t.id}`);
          else
            await tx.execute(sql`update timers set due_at = ${new Date(now.getTime() + attempts * 30_000).toISOString()},
              payload = payload || ${JSON.stringify({ attempts })}::jsonb where id = ${t.id}`);
        }
      }
    }
    return r.rows.length;
  });
}

/**
 * Sweep until nothing is due (tests and start-up catch-up). A handler may schedule a follow-on step that is
 * already due (a deadline's next step after downtime): the sweep goes on until a pass claims nothing.
 */
export async function sweepAll(deps: SweepDeps): Promise<number> {
  let n = 0;
  // bounded: a handler that kept scheduling itself as already due would otherwise hold the sweep forever
  for (let pass = 0; pass < 10_000; pass++) {
    const k = await sweepOnce(deps);
    n += k;
    if (k === 0) return n;
  }
  deps.log?.('timer sweep: still finding due timers after 10 000 passes; continuing on the next tick');
  return n;
}

/** The background sweep of due timers, every JIBAO_SWEEP_MS (1 s). */
export function timerWorker(timers: TimerHandlers): WorkerFactory {
  return ({ db, clock, log }) => {
    let timer: NodeJS.Timeout | null = null;
    let stopped = false;
    let running: Promise<void> = Promise.resolve();
    const tick = () => {
      running = (async () => {
        try {
          await sweepAll({ db, clock, log, timers });
        } catch (e) {
          log(`deadline sweeper: ${(e as Error).message}`);
        }
      })().finally(() => {
        if (!stopped) timer = setTimeout(tick, Number(process.env.JIBAO_SWEEP_MS ?? 1000));
      });
    };
    return {
      name: 'deadline-sweeper',
      start: () => tick(),
      async stop() {
        stopped = true;
        if (timer) clearTimeout(timer);
        await running;
      },
    };
  };
}
