import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/index.js';
import { canonical } from './audit.js';
import { type Ctx, inTx } from './context.js';
import { AppError } from './errors.js';

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
): Promise<FastifyReply> {
  const ctx = req.ctx;
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || !key) {
    const result = await inTx(ctx, fn);
    return reply.code(okStatus).send(result);
  }
  if (key.length > 200) throw new AppError(400, 'validation', { field: 'Idempotency-Key' });
  // Scoped by the route Fastify matched and its decoded parameters, never by the URL string: two spellings of
  // one path (`/api/x`, `/%61pi/x`) are one command.
  const path = `${req.routeOptions.url ?? '?'} ${canonical(paramsKey(req.params))}`;
  const requestHash = createHash('sha256')
    .update(`${req.method} ${path}\n${canonical(req.body ?? null)}`)
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
    const result = await fn(c);
    const body = JSON.stringify(result ?? null);
    await c.tx.execute(sql`update idempotency_keys set state = 'done', status_code = ${okStatus}, body = ${body}
      where actor_id = ${actorId} and path = ${path} and key = ${key}`);
    return { replay: false as const, status: okStatus, result };
  });
  if (outcome.replay) {
    reply.header('idempotent-replayed', 'true');
    return reply.code(outcome.status).send(JSON.parse(outcome.body));
  }
  return reply.code(outcome.status).send(outcome.result);
}

export type { Db };
