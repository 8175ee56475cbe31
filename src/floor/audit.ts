import { createHash, getHashes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Ctx } from './context.js';

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

/**
 * 登记: append an entry to its stream's hash chain, in the caller's transaction. Only writers of the same
 * stream wait on each other (the head row is locked until commit).
 */
export async function audit(ctx: Ctx, e: AuditEntry): Promise<void> {
  const at = e.at ?? ctx.clock.now();
  const actorId = ctx.actor?.id ?? null;
  const unitId = e.unitId ?? ctx.actor?.acting.id ?? null;
  const data = JSON.parse(JSON.stringify(e.data ?? {}));
  // one upsert takes the stream's head row (locked until commit) and returns the new sequence number with the
  // predecessor's hash (the upsert leaves it unchanged); one more statement appends the entry and moves the head
  const head = await ctx.tx.execute<{ seq: number; hash: string }>(sql`
    insert into audit_heads (stream, seq, hash) values (${e.stream}, 1, ${GENESIS})
    on conflict (stream) do update set seq = audit_heads.seq + 1
    returning seq, hash`);
  const { seq, hash: prevHash } = head.rows[0];
  const alg = currentAlg;
  const hash = entryHash(
    prevHash,
    {
      stream: e.stream,
      seq,
      at,
      actorId,
      unitId,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId ?? null,
      data,
    },
    alg,
  );
  await ctx.tx.execute(sql`
    with moved as (update audit_heads set hash = ${hash} where stream = ${e.stream})
    insert into audit_log (stream, seq, at, actor_id, unit_id, action, entity_type, entity_id, data, prev_hash, hash,
      hash_alg)
    values (${e.stream}, ${seq}, ${at.toISOString()}, ${actorId}, ${unitId}, ${e.action}, ${e.entityType},
            ${e.entityId ?? null}, ${JSON.stringify(data)}::jsonb, ${prevHash}, ${hash}, ${alg})`);
}

/**
 * Many entries at once (a sweep of thousands of deadlines): three statements whatever the number — the heads
 * of all streams concerned are moved by the number of entries each gets, the hashes are chained here, the
 * entries inserted together and the heads' hashes set. Entries of one stream keep their order.
 */
export async function auditMany(ctx: Ctx, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const now = ctx.clock.now();
  const actorId = ctx.actor?.id ?? null;
  const alg = currentAlg;
  const byStream = new Map<string, AuditEntry[]>();
  for (const e of entries) byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e]);
  const streams = [...byStream.keys()];
  const heads = await ctx.tx.execute<{ stream: string; seq: number; hash: string }>(sql`
    insert into audit_heads (stream, seq, hash)
    select s, k, ${GENESIS} from unnest(${`{${streams.map((x) => JSON.stringify(x)).join(',')}}`}::text[],
      ${`{${streams.map((x) => byStream.get(x)!.length).join(',')}}`}::int[]) as x(s, k)
    on conflict (stream) do update set seq = audit_heads.seq + excluded.seq
    returning stream, seq, hash`);
  const rows: ReturnType<typeof sql>[] = [];
  const newHeads: ReturnType<typeof sql>[] = [];
  for (const h of heads.rows) {
    const list = byStream.get(h.stream)!;
    let seq = h.seq - list.length;
    let prev = h.hash;
    for (const e of list) {
      seq++;
      const at = e.at ?? now;
      const unitId = e.unitId ?? ctx.actor?.acting.id ?? null;
      const data = JSON.parse(JSON.stringify(e.data ?? {}));
      const hash = entryHash(
        prev,
        {
          stream: e.stream,
          seq,
          at,
          actorId,
          unitId,
          action: e.action,
          entityType: e.entityType,
          entityId: e.entityId ?? null,
          data,
        },
        alg,
      );
      rows.push(sql`(${e.stream}, ${seq}, ${at.toISOString()}, ${actorId}, ${unitId}, ${e.action}, ${e.entityType},
        ${e.entityId ?? null}, ${JSON.stringify(data)}::jsonb, ${prev}, ${hash}, ${alg})`);
      prev = hash;
    }
    newHeads.push(sql`(${h.stream}, ${prev})`);
  }
  for (let i = 0; i < rows.length; i += 2000)
    await ctx.tx.execute(sql`insert into audit_log (stream, seq, at, actor_id, unit_id, action, entity_type, entity_id,
      data, prev_hash, hash, hash_alg) values ${sql.join(rows.slice(i, i + 2000), sql`, `)}`);
  for (let i = 0; i < newHeads.length; i += 5000)
    await ctx.tx.execute(sql`update audit_heads h set hash = v.hash
      from (values ${sql.join(newHeads.slice(i, i + 5000), sql`, `)}) as v(stream, hash) where h.stream = v.stream`);
}
