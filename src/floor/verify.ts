/**
 * Verification of the registration log (登记簿校验): every stream's hash chain, the heads, and the log against
 * the last signed checkpoint (in the database and in the file outside it), so a truncated, vanished or
 * rewritten stream is named even when its hashes were recomputed.
 */
import { sql } from 'drizzle-orm';
import { entryHash, GENESIS } from './audit.js';
import {
  type AuditTrust,
  auditTrust,
  type Checkpoint,
  checkpointHash,
  type Head,
  readCheckpointFile,
  signatureValid,
} from './checkpoints.js';
import type { Ctx } from './context.js';

export type ProblemKind =
  /** an entry whose hash, predecessor or sequence does not hold */
  | 'broken'
  /** the stream lost its last entries (fewer than its head or the last checkpoint says) */
  | 'truncated'
  /** a stream the heads or the last checkpoint know has no entries left */
  | 'vanished'
  /** the entry at a checkpointed sequence has another hash than was signed (hashes recomputed) */
  | 'rewritten'
  /** a checkpoint whose signature does not verify with the trusted public key */
  | 'bad_signature'
  /** a checkpoint signed by a key the verifier does not trust, or checkpoints with no key to check them */
  | 'unknown_key'
  /** the checkpoints' own chain is broken (changed, reordered or missing in the middle) */
  | 'checkpoint_broken'
  /** a checkpoint the file outside the database has but the database lacks, or holds differently */
  | 'checkpoints_deleted';

export interface Problem {
  kind: ProblemKind;
  stream?: string;
  id?: number;
  seq?: number;
  expectedSeq?: number;
  checkpointSeq?: number;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenId: number | null;
  problems: Problem[];
  /** problems found in all (the list is capped) */
  problemCount: number;
  checkpoints: { count: number; lastSeq: number | null; lastAt: string | null; signaturesChecked: boolean };
}

const MAX_PROBLEMS = 200;

export interface VerifyOptions {
  trust?: AuditTrust;
  /** called after each batch: entries checked so far, entries in all (so it can run as a background job) */
  onProgress?: (done: number, total: number) => void;
  batchSize?: number;
}

/** Walk every chain; name the first (lowest id) entry whose hash, predecessor or sequence does not hold. */
export async function verifyAuditLog(ctx: Ctx, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const trust = opts.trust ?? auditTrust();
  const batch = opts.batchSize ?? 5000;
  const problems: Problem[] = [];
  let problemCount = 0;
  const problem = (p: Problem) => {
    problemCount++;
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  let firstBroken: number | null = null;
  const broken = (id: number) => {
    if (firstBroken === null || id < firstBroken) firstBroken = id;
  };

  // 1. the signed state: checkpoints in the database, checked as a chain and by signature
  const expected = new Map<string, Head & { checkpointSeq: number }>();
  const fold = (c: { seq: number; heads: Record<string, Head> }) => {
    for (const [stream, h] of Object.entries(c.heads)) {
      const k = expected.get(stream);
      if (!k || h.seq > k.seq) expected.set(stream, { seq: h.seq, hash: h.hash, checkpointSeq: c.seq });
    }
  };
  const signedOk = (c: Checkpoint): ProblemKind | null => {
    let hash: string;
    try {
      hash = checkpointHash(c.hashAlg, c);
    } catch {
      return 'checkpoint_broken';
    }
    if (hash !== c.hash) return 'checkpoint_broken';
    const key = trust.publicKeys.get(c.keyId);
    if (!key) return 'unknown_key';
    return signatureValid(c.hash, c.signature, key) ? null : 'bad_signature';
  };
  const dbHashes = new Map<number, string>();
  let prev: Head = { seq: 0, hash: GENESIS };
  let lastAt: string | null = null;
  for (;;) {
    const page =
      await ctx.tx.execute<any>(sql`select seq, at, heads, prev_hash, hash, hash_alg, key_id, signature
      from audit_checkpoints where seq > ${prev.seq} order by seq limit ${Math.min(batch, 1000)}`);
    if (page.rows.length === 0) break;
    for (const r of page.rows) {
      const c: Checkpoint = {
        seq: Number(r.seq),
        at: new Date(r.at).toISOString(),
        heads: r.heads,
        prevHash: r.prev_hash,
        hash: r.hash,
        hashAlg: r.hash_alg,
        keyId: r.key_id,
        signature: r.signature,
      };
      if (c.seq !== prev.seq + 1 || c.prevHash !== prev.hash)
        problem({ kind: 'checkpoint_broken', checkpointSeq: c.seq });
      const bad = signedOk(c);
      if (bad) problem({ kind: bad, checkpointSeq: c.seq });
      else fold(c); // only a state we can trust is compared against
      dbHashes.set(c.seq, c.hash);
      prev = { seq: c.seq, hash: c.hash };
      lastAt = c.at;
    }
  }
  // 2. the file outside the database: every checkpoint there must be in the database, unchanged; its signed
  // heads count even when the database lost them
  if (trust.checkpointFile)
    for await (const c of readCheckpointFile(trust.checkpointFile)) {
      const inDb = dbHashes.get(c.seq);
      if (signedOk(c)) continue; // a line nobody can vouch for proves nothing
      if (inDb === undefined) problem({ kind: 'checkpoints_deleted', checkpointSeq: c.seq });
      else if (inDb !== c.hash) problem({ kind: 'checkpoint_broken', checkpointSeq: c.seq });
      fold(c);
    }

  // 3. the chains, stream by stream, in pages ordered by (stream, seq) to keep memory flat on a large log
  const heads = await ctx.tx.execute<{ stream: string; seq: number; hash: string }>(
    sql`select stream, seq, hash from audit_heads`,
  );
  const headMap = new Map(heads.rows.map((h) => [h.stream, h]));
  const total = Number(
    (await ctx.tx.execute<{ n: number }>(sql`select count(*)::bigint as n from audit_log`)).rows[0].n,
  );
  let checked = 0;
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
    const exp = expected.get(lastStream);
    if (exp && prevSeq < exp.seq)
      problem({
        kind: 'truncated',
        stream: lastStream,
        seq: prevSeq,
        expectedSeq: exp.seq,
        checkpointSeq: exp.checkpointSeq,
      });
    else if (!streamBroken && head && (head.seq !== prevSeq || head.hash !== prevHash)) {
      // the head remembers more (or other) entries than remain
      if (head.seq > prevSeq)
        problem({ kind: 'truncated', stream: lastStream, seq: prevSeq, expectedSeq: head.seq });
      else problem({ kind: 'broken', stream: lastStream, id: lastId, seq: prevSeq });
      broken(lastId);
    }
  };
  let cursor: { stream: string; seq: number } | null = null;
  for (;;) {
    const page: { rows: any[] } = await ctx.tx.execute(sql`
      select id, stream, seq, at, actor_id, unit_id, action, entity_type, entity_id, data, prev_hash, hash, hash_alg
      from audit_log
      ${cursor ? sql`where (stream, seq) > (${cursor.stream}, ${cursor.seq})` : sql``}
      order by stream, seq limit ${batch}`);
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
      const id = Number(r.id);
      if (!streamBroken) {
        let expect: string | null = null;
        try {
          expect = entryHash(
            prevHash,
            {
              stream: r.stream,
              seq: r.seq,
              at: new Date(r.at),
              actorId: r.actor_id,
              unitId: r.unit_id,
              action: r.action,
              entityType: r.entity_type,
              entityId: r.entity_id,
              data: r.data,
            },
            r.hash_alg,
          );
        } catch {
          /* an algorithm this verifier does not know: the entry cannot be vouched for */
        }
        if (r.seq !== prevSeq + 1 || r.prev_hash !== prevHash || r.hash !== expect) {
          problem({ kind: 'broken', stream: r.stream, id, seq: r.seq });
          broken(id);
          streamBroken = true;
        }
      }
      // hashes recomputed after the fact: the chain holds, but not what was signed at this sequence
      const exp = expected.get(r.stream);
      if (exp && r.seq === exp.seq && r.hash !== exp.hash) {
        problem({ kind: 'rewritten', stream: r.stream, id, seq: r.seq, checkpointSeq: exp.checkpointSeq });
        broken(id);
      }
      prevHash = r.hash;
      prevSeq = r.seq;
      lastId = id;
      cursor = { stream: r.stream, seq: r.seq };
    }
    opts.onProgress?.(checked, Math.max(total, checked));
  }
  closeStream();
  // a stream whose every entry was deleted: the heads or the signed checkpoints still know it
  for (const h of heads.rows)
    if (!seen.has(h.stream) && h.seq > 0) problem({ kind: 'vanished', stream: h.stream, expectedSeq: h.seq });
  for (const [stream, exp] of expected)
    if (!seen.has(stream) && !headMap.has(stream))
      problem({ kind: 'vanished', stream, expectedSeq: exp.seq, checkpointSeq: exp.checkpointSeq });
  return {
    ok: problemCount === 0,
    checked,
    firstBrokenId: firstBroken,
    problems,
    problemCount,
    checkpoints: {
      count: dbHashes.size,
      lastSeq: prev.seq || null,
      lastAt,
      signaturesChecked: trust.publicKeys.size > 0,
    },
  };
}
