import { createHash, getHashes } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { type BufferedAudit, batchOf } from './batch.js';
import type { Ctx } from './context.js';
import { arrayParam } from './sql-arrays.js';

/** Hash algorithms of the log: `sha256`, or `sm3` (国密 SM3, GB/T 32905) for 商用密码应用安全性评估 (密评). */
export type HashAlg = 'sha256' | 'sm3';
const sm3Available = getHashes().includes('sm3');
export const HASH_ALGS: readonly HashAlg[] = ['sha256', 'sm3'];

export function checkHashAlg(alg: string): HashAlg {
  if (alg === 'sha256' || (alg === 'sm3' && sm3Available)) return alg;
  if (!(HASH_ALGS as readonly string[]).includes(alg))
    throw new Error(`JIBAO_AUDIT_HASH=${alg}: 只支持 sha256 或 sm3 / only sha256 or sm3 are supported`);
  if (!getHashes().includes(alg))
    throw new Error(
      `JIBAO_AUDIT_HASH=${alg}: 本机 Node.js 的 OpenSSL 不提供该算法 / this Node.js's OpenSSL lacks ${alg}`,
    );
  return alg as HashAlg;
}

let currentAlg: HashAlg = 'sha256';
/** The algorithm new entries are hashed with (set once at start from JIBAO_AUDIT_HASH). */
export function setAuditHashAlg(alg: string): void {
  currentAlg = checkHashAlg(alg);
}
export const auditHashAlg = (): HashAlg => currentAlg;

/** The digest (hex) of `parts` joined, under `alg`. */
export function digest(alg: string, ...parts: string[]): string {
  const h = createHash(checkHashAlg(alg));
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

export interface AuditEntry {
  stream: string; // e.g. event:<id>, unit:<id>, user:<id>, rules
  action: string; // received, signed, approved, countersigned, edited, forwarded, notified, acknowledged, requested …
  entityType: string;
  entityId?: string | null;
  unitId?: string | null;
  data?: Record<string, unknown>;
  at?: Date;
}

/** Canonical JSON: keys sorted, so the hash does not depend on how PostgreSQL orders jsonb keys. */
export function canonical(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function entryHash(
  prevHash: string,
  e: {
    stream: string;
    seq: number;
    at: Date;
    actorId: string | null;
    unitId: string | null;
    action: string;
    entityType: string;
    entityId: string | null;
    data: unknown;
  },
  alg: string = 'sha256',
): string {
  const body = canonical({
    stream: e.stream,
    seq: e.seq,
    at: e.at.toISOString(),
    actorId: e.actorId,
    unitId: e.unitId,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    data: e.data,
    // entries hashed with another algorithm say so inside the hash, so one cannot be passed off as the other
    ...(alg === 'sha256' ? {} : { hashAlg: alg }),
  });
  return digest(alg, prevHash, '\n', body);
}

export const GENESIS = '0'.repeat(64);

/** An entry as it will be stored: who, which unit and when resolved now, the data as JSON will keep it. */
function resolve(ctx: Ctx, e: AuditEntry, now: Date): BufferedAudit {
  return {
    stream: e.stream,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId ?? null,
    unitId: e.unitId ?? ctx.actor?.acting.id ?? null,
    actorId: ctx.actor?.id ?? null,
    data: JSON.parse(JSON.stringify(e.data ?? {})),
    at: e.at ?? now,
  };
}

/**
 * 登记: append an entry to its stream's hash chain, in the caller's transaction. Inside a command the entry
 * is gathered and written with the command's others at its end (`writeAuditBatch`); otherwise at once. Only
 * writers of the same stream wait on each other (the head row is locked until commit).
 */
export async function audit(ctx: Ctx, e: AuditEntry): Promise<void> {
  const batch = batchOf(ctx);
  if (batch) {
    batch.audit.push(resolve(ctx, e, ctx.clock.now()));
    return;
  }
  const r = resolve(ctx, e, ctx.clock.now());
  // one upsert takes the stream's head row (locked until commit) and returns the new sequence number with the
  // predecessor's hash (the upsert leaves it unchanged); one more statement appends the entry and moves the head
  const head = await ctx.tx.execute<{ seq: number; hash: string }>(sql`
    insert into audit_heads (stream, seq, hash) values (${r.stream}, 1, ${GENESIS})
    on conflict (stream) do update set seq = audit_heads.seq + 1
    returning seq, hash`);
  const { seq, hash: prevHash } = head.rows[0];
  const alg = currentAlg;
  const hash = entryHash(prevHash, { ...r, seq }, alg);
  await ctx.tx.execute(sql`
    with moved as (update audit_heads set hash = ${hash} where stream = ${r.stream})
    insert into audit_log (stream, seq, at, actor_id, unit_id, action, entity_type, entity_id, data, prev_hash, hash,
      hash_alg)
    values (${r.stream}, ${seq}, ${r.at.toISOString()}, ${r.actorId}, ${r.unitId}, ${r.action}, ${r.entityType},
            ${r.entityId}, ${JSON.stringify(r.data)}::jsonb, ${prevHash}, ${hash}, ${alg})`);
}

/** What appending gathered entries writes: log rows, heads to move, heads of fresh streams to create. */
export interface AuditWrites {
  logRows: LogRow[];
  movedHeads: Array<{ stream: string; hash: string }>;
  newHeads: Array<{ stream: string; seq: number; hash: string }>;
}

/** One registration-log row as written (its hash computed over exactly these values). */
export interface LogRow {
  stream: string;
  seq: number;
  at: string;
  actorId: string | null;
  unitId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  data: string;
  prevHash: string;
  hash: string;
  alg: string;
}

/** The insert of log rows: one statement whatever their number, each column one array parameter. */
export function insertLogSql(rows: LogRow[]): SQL {
  const col = <K extends keyof LogRow>(k: K) => arrayParam(rows.map((r) => r[k]));
  return sql`insert into audit_log (${AUDIT_LOG_COLUMNS})
    select * from unnest(${col('stream')}::text[], ${col('seq')}::int[], ${col('at')}::timestamptz[],
      ${col('actorId')}::uuid[], ${col('unitId')}::uuid[], ${col('action')}::text[], ${col('entityType')}::text[],
      ${col('entityId')}::text[], ${col('data')}::jsonb[], ${col('prevHash')}::text[], ${col('hash')}::text[],
      ${col('alg')}::text[])`;
}

/** Heads of streams created by this write. */
export function insertHeadsSql(heads: AuditWrites['newHeads']): SQL {
  return sql`insert into audit_heads (stream, seq, hash)
    select * from unnest(${arrayParam(heads.map((h) => h.stream))}::text[], ${arrayParam(heads.map((h) => h.seq))}::int[],
      ${arrayParam(heads.map((h) => h.hash))}::text[])`;
}

/** Heads of existing streams moved to their new last hash (their sequence was moved when they were taken). */
export function moveHeadsSql(heads: AuditWrites['movedHeads']): SQL {
  return sql`update audit_heads h set hash = v.hash
    from unnest(${arrayParam(heads.map((h) => h.stream))}::text[], ${arrayParam(heads.map((h) => h.hash))}::text[])
      as v(stream, hash) where h.stream = v.stream`;
}

/**
 * Take the heads of the streams concerned (one upsert moving each by the number of entries it gets, locked
 * until commit; none for streams the command created) and chain the entries' hashes in order. Returns the
 * rows for the caller to write in one statement.
 */
export async function prepareAuditWrites(
  ctx: Ctx,
  entries: BufferedAudit[],
  fresh: ReadonlySet<string> = new Set(),
): Promise<AuditWrites> {
  const out: AuditWrites = { logRows: [], movedHeads: [], newHeads: [] };
  if (entries.length === 0) return out;
  const alg = currentAlg;
  const byStream = new Map<string, BufferedAudit[]>();
  for (const e of entries) {
    const list = byStream.get(e.stream);
    if (list) list.push(e);
    else byStream.set(e.stream, [e]);
  }
  const known = [...byStream.keys()].filter((s) => !fresh.has(s));
  const heads: Array<{ stream: string; seq: number; hash: string; fresh: boolean }> = [];
  if (known.length) {
    const r = await ctx.tx.execute<{ stream: string; seq: number; hash: string }>(sql`
      insert into audit_heads (stream, seq, hash)
      select s, k, ${GENESIS} from unnest(${`{${known.map((x) => JSON.stringify(x)).join(',')}}`}::text[],
        ${`{${known.map((x) => byStream.get(x)!.length).join(',')}}`}::int[]) as x(s, k)
      on conflict (stream) do update set seq = audit_heads.seq + excluded.seq
      returning stream, seq, hash`);
    for (const h of r.rows) heads.push({ ...h, fresh: false });
  }
  for (const s of byStream.keys())
    if (fresh.has(s)) heads.push({ stream: s, seq: byStream.get(s)!.length, hash: GENESIS, fresh: true });
  for (const h of heads) {
    const list = byStream.get(h.stream)!;
    let seq = h.seq - list.length;
    let prev = h.hash;
    for (const e of list) {
      seq++;
      const hash = entryHash(prev, { ...e, seq }, alg);
      out.logRows.push({
        stream: e.stream,
        seq,
        at: e.at.toISOString(),
        actorId: e.actorId,
        unitId: e.unitId,
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId,
        data: JSON.stringify(e.data),
        prevHash: prev,
        hash,
        alg,
      });
      prev = hash;
    }
    if (h.fresh) out.newHeads.push({ stream: h.stream, seq: h.seq, hash: prev });
    else out.movedHeads.push({ stream: h.stream, hash: prev });
  }
  return out;
}

export const AUDIT_LOG_COLUMNS = sql.raw(
  'stream, seq, at, actor_id, unit_id, action, entity_type, entity_id, data, prev_hash, hash, hash_alg',
);

/**
 * Many entries at once (a sweep of thousands of deadlines): three statements whatever the number — the heads
 * of all streams concerned are moved by the number of entries each gets, the hashes are chained here, the
 * entries inserted together and the heads' hashes set. Entries of one stream keep their order. Inside a
 * command they are gathered like `audit`'s.
 */
export async function auditMany(ctx: Ctx, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const now = ctx.clock.now();
  const resolved = entries.map((e) => resolve(ctx, e, now));
  const batch = batchOf(ctx);
  if (batch) {
    batch.audit.push(...resolved);
    return;
  }
  const w = await prepareAuditWrites(ctx, resolved);
  await ctx.tx.execute(insertLogSql(w.logRows));
  if (w.movedHeads.length) await ctx.tx.execute(moveHeadsSql(w.movedHeads));
}
