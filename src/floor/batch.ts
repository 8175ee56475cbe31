import type { SQL } from 'drizzle-orm';
import type { Ctx } from './context.js';

/**
 * What a command writes to the floor's append-only tables — registration-log entries, timers, live messages —
 * gathered while the command decides and written together at its end (`runCommand`), in the same transaction:
 * two statements however many entries, instead of two per log entry and one per timer or message. Nothing
 * inside a command reads these tables back, so gathering changes no answer; a command that fails writes
 * nothing, as before. Outside a command (sweeps, workers, jobs) and after the batch is written, the floor's
 * functions write at once.
 */
export interface BufferedAudit {
  stream: string;
  action: string;
  entityType: string;
  entityId: string | null;
  unitId: string | null;
  actorId: string | null;
  data: unknown;
  at: Date;
}
export interface BufferedTimer {
  kind: string;
  refId: string;
  dueAt: Date;
  payload: Record<string, unknown>;
  createdAt: Date;
}
export interface BufferedMessage {
  audience: string;
  type: string;
  data: string;
  createdAt: string;
}

export interface WriteBatch {
  audit: BufferedAudit[];
  timers: BufferedTimer[];
  outbox: BufferedMessage[];
  /** inserts of rows nobody reads back in this command (a module's own, e.g. notifications), written at its end */
  writes: SQL[];
  /** streams this command created (e.g. a new event's): their head is the genesis, nothing to read */
  freshStreams: Set<string>;
  /** the after-commit wake-up of live pages is asked for once */
  woken: boolean;
  closed: boolean;
}

/** A context whose floor writes are gathered until `takeBatch` (runCommand opens one per command). */
export function withBatch(ctx: Ctx): Ctx {
  const batch: WriteBatch = {
    audit: [],
    timers: [],
    outbox: [],
    writes: [],
    freshStreams: new Set(),
    woken: false,
    closed: false,
  };
  return { ...ctx, __batch: batch } as Ctx;
}

/** The open batch of this command, or null (write at once). */
export function batchOf(ctx: Ctx): WriteBatch | null {
  const b = (ctx as { __batch?: WriteBatch }).__batch;
  return b && !b.closed ? b : null;
}

/** Close the batch and hand over what it gathered; later writes through this context go out at once. */
export function takeBatch(ctx: Ctx): WriteBatch | null {
  const b = batchOf(ctx);
  if (b) b.closed = true;
  return b;
}

/**
 * Declare that this command created `stream` (its first entry is the genesis): the batch then appends to it
 * without reading its head. Only for streams named by an id generated in this command.
 */
export function freshStream(ctx: Ctx, stream: string): void {
  batchOf(ctx)?.freshStreams.add(stream);
}

/**
 * Write `statement` with the command's batch at its end (in the same transaction, in the same statement as the
 * log entries), or at once outside a command. Only for inserts of rows that nothing in this command reads back
 * and that no constraint of this command's later statements needs (a row referring to them goes in the batch too).
 */
export async function deferWrite(ctx: Ctx, statement: SQL): Promise<void> {
  const b = batchOf(ctx);
  if (b) b.writes.push(statement);
  else await ctx.tx.execute(statement);
}
