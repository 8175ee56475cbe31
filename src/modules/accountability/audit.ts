import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Ctx } from '../shared/context.js';

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
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
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
  const hash = entryHash(prevHash, {
    stream: e.stream,
    seq,
    at,
    actorId,
    unitId,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId ?? null,
    data,
  });
  await ctx.tx.execute(sql`
    with moved as (update audit_heads set hash = ${hash} where stream = ${e.stream})
    insert into audit_log (stream, seq, at, actor_id, unit_id, action, entity_type, entity_id, data, prev_hash, hash)
    values (${e.stream}, ${seq}, ${at.toISOString()}, ${actorId}, ${unitId}, ${e.action}, ${e.entityType},
            ${e.entityId ?? null}, ${JSON.stringify(data)}::jsonb, ${prevHash}, ${hash})`);
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
      const hash = entryHash(prev, {
        stream: e.stream,
        seq,
        at,
        actorId,
        unitId,
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId ?? null,
        data,
      });
      rows.push(sql`(${e.stream}, ${seq}, ${at.toISOString()}, ${actorId}, ${unitId}, ${e.action}, ${e.entityType},
        ${e.entityId ?? null}, ${JSON.stringify(data)}::jsonb, ${prev}, ${hash})`);
      prev = hash;
    }
    newHeads.push(sql`(${h.stream}, ${prev})`);
  }
  for (let i = 0; i < rows.length; i += 2000)
    await ctx.tx.execute(sql`insert into audit_log (stream, seq, at, actor_id, unit_id, action, entity_type, entity_id,
      data, prev_hash, hash) values ${sql.join(rows.slice(i, i + 2000), sql`, `)}`);
  for (let i = 0; i < newHeads.length; i += 5000)
    await ctx.tx.execute(sql`update audit_heads h set hash = v.hash
      from (values ${sql.join(newHeads.slice(i, i + 5000), sql`, `)}) as v(stream, hash) where h.stream = v.stream`);
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenId: number | null;
}

/** Walk every chain; name the first (lowest id) entry whose hash, predecessor or sequence does not hold. */
export async function verifyAuditLog(ctx: Ctx): Promise<VerifyResult> {
  const heads = await ctx.tx.execute<{ stream: string; seq: number; hash: string }>(
    sql`select stream, seq, hash from audit_heads`,
  );
  const headMap = new Map(heads.rows.map((h) => [h.stream, h]));
  let checked = 0;
  let firstBroken: number | null = null;
  const broken = (id: number) => {
    if (firstBroken === null || id < firstBroken) firstBroken = id;
  };
  const seen = new Set<string>();
  let lastStream = '';
  let prevHash = GENESIS;
  let prevSeq = 0;
  let lastId = 0;
  let streamBroken = false;
  const closeStream = () => {
    if (!lastStream) return;
    seen.add(lastStream);
    const head = headMap.get(lastStream);
    // a deleted tail: the head remembers more entries than remain
    if (!streamBroken && head && (head.seq !== prevSeq || head.hash !== prevHash)) broken(lastId);
  };
  // Stream in pages ordered by (stream, seq) to keep memory flat on a large log.
  let cursor: { stream: string; seq: number } | null = null;
  for (;;) {
    const page: { rows: any[] } = await ctx.tx.execute(sql`
      select id, stream, seq, at, actor_id, unit_id, action, entity_type, entity_id, data, prev_hash, hash
      from audit_log
      ${cursor ? sql`where (stream, seq) > (${cursor.stream}, ${cursor.seq})` : sql``}
      order by stream, seq limit 5000`);
    if (page.rows.length === 0) break;
    for (const r of page.rows) {
      if (r.stream !== lastStream) {
        closeStream();
        lastStream = r.stream;
        prevHash = GENESIS;
        prevSeq = 0;
        streamBroken = false;
      }
      checked++;
      if (!streamBroken) {
        const expect = entryHash(prevHash, {
          stream: r.stream,
          seq: r.seq,
          at: new Date(r.at),
          actorId: r.actor_id,
          unitId: r.unit_id,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          data: r.data,
        });
        if (r.seq !== prevSeq + 1 || r.prev_hash !== prevHash || r.hash !== expect) {
          broken(Number(r.id));
          streamBroken = true;
        }
      }
      prevHash = r.hash;
      prevSeq = r.seq;
      lastId = Number(r.id);
      cursor = { stream: r.stream, seq: r.seq };
    }
  }
  closeStream();
  // a stream whose every entry was deleted: nothing left to name, but the log is not intact
  const streamGone = heads.rows.some((h) => !seen.has(h.stream) && h.seq > 0);
  return { ok: firstBroken === null && !streamGone, checked, firstBrokenId: firstBroken };
}
