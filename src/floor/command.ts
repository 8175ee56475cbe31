import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/index.js';
import { canonical, insertHeadsSql, insertLogSql, moveHeadsSql, prepareAuditWrites } from './audit.js';
import { takeBatch, withBatch } from './batch.js';
import { type Ctx, inTx } from './context.js';
import { AppError } from './errors.js';
import { insertMessagesSql } from './outbox.js';
import { insertTimersSql } from './timers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Path parameters as the database reads them: a uuid in any case is one record. */
function paramsKey(params: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((params ?? {}) as Record<string, unknown>))
    out[k] = typeof v === 'string' && UUID.test(v) ? v.toLowerCase() : v;
  return out;
}

/**
 * Run a state-changing request as one transaction. With an `Idempotency-Key` the key is claimed inside the
 * same transaction (its unique index makes a concurrent twin wait for our commit), and the response is
 * stored with the change: a repeat gets the first result, a different body 422, and an error is not kept.
 */
export async function runCommand<T>(
  req: FastifyRequest,
  reply: FastifyReply,
  okStatus: number,
  fn: (ctx: Ctx) => Promise<T>,
  /** what a repeat is compared by, when the request's body is not parsed JSON (a multipart upload: its file's digest) */
  hashBody?: unknown,
): Promise<FastifyReply> {
  const ctx = req.ctx;
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || !key) {
    const result = await inTx(ctx, async (c) => {
      const bc = withBatch(c);
      const out = await fn(bc);
      await writeBatch(bc);
      return out;
    });
    return reply.code(okStatus).send(result);
  }
  if (key.length > 200) throw new AppError(400, 'validation', { field: 'Idempotency-Key' });
  // Scoped by the route Fastify matched and its decoded parameters, never by the URL string: two spellings of
  // one path (`/api/x`, `/%61pi/x`) are one command.
  const path = `${req.routeOptions.url ?? '?'} ${canonical(paramsKey(req.params))}`;
  const requestHash = createHash('sha256')
    .update(`${req.method} ${path}\n${canonical(hashBody ?? req.body ?? null)}`)
    .digest('hex');
  const actorId = ctx.actor.id;
  const outcome = await inTx(ctx, async (c) => {
    const claimed = await c.tx.execute(sql`
      insert into idempotency_keys (actor_id, path, key, request_hash, state)
      values (${actorId}, ${path}, ${key}, ${requestHash}, 'in_flight')
      on conflict do nothing returning 1`);
    if (claimed.rowCount === 0) {
      const prev = await c.tx.execute<any>(sql`
        select request_hash, state, status_code, body from idempotency_keys
        where actor_id = ${actorId} and path = ${path} and key = ${key}`);
      const row = prev.rows[0];
      if (!row) throw new AppError(409, 'idempotency_in_flight');
      if (row.request_hash !== requestHash) throw new AppError(422, 'idempotency_conflict');
      if (row.state !== 'done') throw new AppError(409, 'idempotency_in_flight');
      return { replay: true as const, status: row.status_code as number, body: row.body as string };
    }
    const bc = withBatch(c);
    const result = await fn(bc);
    const body = JSON.stringify(result ?? null);
    // the stored answer goes out with the command's log entries, timers and live messages
    await writeBatch(
      bc,
      sql`update idempotency_keys set state = 'done', status_code = ${okStatus}, body = ${body}
      where actor_id = ${actorId} and path = ${path} and key = ${key}`,
    );
    return { replay: false as const, status: okStatus, result };
  });
  if (outcome.replay) {
    reply.header('idempotent-replayed', 'true');
    return reply.code(outcome.status).send(JSON.parse(outcome.body));
  }
  return reply.code(outcome.status).send(outcome.result);
}

/** Above this many rows a batch is written in chunks (a statement holds at most 65,535 parameters). */
const ONE_STATEMENT_ROWS = 1000;

/**
 * Write what the command gathered (`floor/batch.ts`): the heads of the log streams concerned are taken in one
 * statement (none when every stream is new), and the log entries, moved heads, timers, live messages and
 * `also` (e.g. the stored idempotent answer) in one statement of data-modifying CTEs.
 */
export async function writeBatch(ctx: Ctx, also?: SQL): Promise<void> {
  const b = takeBatch(ctx);
  const parts: SQL[] = [];
  if (b) {
    const w = await prepareAuditWrites(ctx, b.audit, b.freshStreams);
    const rows = w.logRows.length + b.timers.length + b.outbox.length;
    if (rows > ONE_STATEMENT_ROWS) {
      for (const statement of b.writes) await ctx.tx.execute(statement);
      if (w.logRows.length) await ctx.tx.execute(insertLogSql(w.logRows));
      for (let i = 0; i < b.timers.length; i += 2000)
        await ctx.tx.execute(insertTimersSql(b.timers.slice(i, i + 2000)));
      for (let i = 0; i < b.outbox.length; i += 2000)
        await ctx.tx.execute(insertMessagesSql(b.outbox.slice(i, i + 2000)));
    } else {
      if (w.logRows.length) parts.push(insertLogSql(w.logRows));
      if (b.timers.length) parts.push(insertTimersSql(b.timers));
      if (b.outbox.length) parts.push(insertMessagesSql(b.outbox));
      parts.push(...b.writes);
    }
    if (w.newHeads.length) parts.push(insertHeadsSql(w.newHeads));
    if (w.movedHeads.length) parts.push(moveHeadsSql(w.movedHeads));
  }
  if (also) parts.push(also);
  if (parts.length === 0) return;
  if (parts.length === 1) {
    await ctx.tx.execute(parts[0]);
    return;
  }
  await ctx.tx.execute(
    sql`with ${sql.join(
      parts.map((p, i) => sql`${sql.raw(`w${i}`)} as (${p})`),
      sql`, `,
    )} select 1`,
  );
}

export type { Db };
