import { sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import { registerWorker } from '../../server/workers.js';
import type { Clock } from '../shared/clock.js';
import { type Ctx, inTx, systemCtx } from '../shared/context.js';

export type TimerRow = {
  id: string;
  kind: string;
  ref_id: string;
  due_at: Date;
  payload: Record<string, any>;
};

type Handler = (ctx: Ctx, timers: TimerRow[]) => Promise<void>;
const handlers = new Map<string, Handler>();

/** Modules register what a due timer of their kind does (called with a batch, in the claiming transaction). */
export function registerTimerHandler(kind: string, fn: Handler): void {
  handlers.set(kind, fn);
}

const MAX_ATTEMPTS = 5;

/**
 * Claim due timers with FOR UPDATE SKIP LOCKED and fire them in the same transaction as their effect:
 * each fires exactly once across instances, and whatever fell due while the server was down fires on the
 * first sweep after it starts. Returns how many were claimed.
 */
export async function sweepOnce(
  deps: { db: Db; clock: Clock; log?: (m: string) => void },
  batch = 500,
): Promise<number> {
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
      const h = handlers.get(kind);
      try {
        // a timer nobody handles is an error (retried, then kept as failed), never silently "fired"
        if (!h) throw new Error(`no handler for timer kind ${kind}`);
        // a savepoint per kind: one failing handler does not undo the others
        await tx.transaction(async (sp) => h({ ...ctx, tx: sp as unknown as Db }, timers));
        await tx.execute(
          sql`update timers set fired_at = ${now.toISOString()} where id in (${sql.join(
            timers.map((t) => sql`${t.id}`),
            sql`, `,
          )})`,
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

/** Sweep until nothing is due (tests and start-up catch-up). */
export async function sweepAll(deps: { db: Db; clock: Clock; log?: (m: string) => void }): Promise<number> {
  let n = 0;
  for (;;) {
    const k = await sweepOnce(deps);
    n += k;
    if (k < 500) return n;
  }
}

registerWorker(({ db, clock, log }) => {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        await sweepAll({ db, clock, log });
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
});
