/**
 * Signed checkpoints of the registration log (登记簿签名检查点).
 *
 * The stream heads must stay updatable by the app (that is how appends chain), so someone with full database
 * rights could delete a stream's last entries and roll its head back, delete a whole stream, or rewrite entries
 * and recompute every hash. Every minute and at shutdown the heads that moved since the previous checkpoint are
 * written as a checkpoint — chained to its predecessor, signed with Ed25519 — to the database and appended to a
 * file outside it. Verification compares the log with the last signed state: the private key never enters the
 * database, and auditors check with the public key.
 */
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { auditHashAlg, canonical, digest, GENESIS, setAuditHashAlg } from './audit.js';
import type { Clock } from './clock.js';

export interface Head {
  seq: number;
  hash: string;
}

export interface Checkpoint {
  seq: number;
  at: string;
  /** the streams whose head moved since the previous checkpoint */
  heads: Record<string, Head>;
  prevHash: string;
  hash: string;
  hashAlg: string;
  keyId: string;
  signature: string;
}

export const CHECKPOINT_FILE = 'checkpoints.jsonl';
const CHECKPOINT_LOCK = 4_711_2027;

export function checkpointHash(
  alg: string,
  c: { seq: number; at: string; heads: Record<string, Head>; prevHash: string },
): string {
  return digest(alg, c.prevHash, '\n', canonical({ seq: c.seq, at: c.at, heads: c.heads }));
}

// ------------------------------------------------------------------------------------------------- keys
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  publicPem: string;
}

/** A short, stable name of a public key: the first 16 hex digits of SHA-256 over its SPKI DER encoding. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** The signing key from its file, generated (with a warning) when absent; its public key is kept beside it. */
export function loadOrCreateSigningKey(keyFile: string, log: (m: string) => void = () => {}): SigningKey {
  if (!fs.existsSync(keyFile)) {
    fs.mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    try {
      // wx: an instance starting at the same moment keeps its key, and we use that one
      fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
        mode: 0o600,
        flag: 'wx',
      });
      log(
        `警告：未找到登记簿签名密钥，已生成 ${keyFile}（公钥 ${keyFile}.pub）。请妥善备份私钥，并把公钥交审计管理员。` +
          ` / WARNING: no audit signing key found; generated ${keyFile} (public key ${keyFile}.pub). Back it up and give the public key to the auditors.`,
      );
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const privateKey = crypto.createPrivateKey(fs.readFileSync(keyFile));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${keyFile}: not an Ed25519 private key`);
  const publicKey = crypto.createPublicKey(privateKey);
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const pubFile = `${keyFile}.pub`;
  if (!fs.existsSync(pubFile) || fs.readFileSync(pubFile, 'utf8') !== publicPem)
    fs.writeFileSync(pubFile, publicPem, { mode: 0o644 });
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), publicPem };
}

/** Public keys (PEM files, e.g. `audit-key.pem.pub`) by key id, for verifying without the private key. */
export function loadPublicKeys(files: string[]): Map<string, KeyObject> {
  const m = new Map<string, KeyObject>();
  for (const f of files) {
    const k = crypto.createPublicKey(fs.readFileSync(f));
    if (k.asymmetricKeyType !== 'ed25519') throw new Error(`${f}: not an Ed25519 public key`);
    m.set(keyIdOf(k), k);
  }
  return m;
}

export function signCheckpoint(hash: string, key: KeyObject): string {
  return crypto.sign(null, Buffer.from(hash, 'utf8'), key).toString('base64');
}

export function signatureValid(hash: string, signature: string, key: KeyObject): boolean {
  try {
    return crypto.verify(null, Buffer.from(hash, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------------------------------ trust anchor
/** What verification trusts: public keys by id and the checkpoint file outside the database. */
export interface AuditTrust {
  publicKeys: Map<string, KeyObject>;
  checkpointFile: string | null;
  /** this instance's signing key, shown to auditors */
  keyId?: string;
  publicPem?: string;
}

let trust: AuditTrust = { publicKeys: new Map(), checkpointFile: null };
export const auditTrust = (): AuditTrust => trust;
export function setAuditTrust(t: AuditTrust): void {
  trust = t;
}

// -------------------------------------------------------------------------------------------------- file
function appendLine(file: string, line: string): void {
  const fd = fs.openSync(file, 'a', 0o600); // append-only: never rewritten
  try {
    fs.writeSync(fd, `${line}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Checkpoints in the file outside the database, line by line (a torn last line is skipped). */
export async function* readCheckpointFile(file: string): AsyncGenerator<Checkpoint> {
  if (!fs.existsSync(file)) return;
  const rl = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    try {
      yield JSON.parse(line) as Checkpoint;
    } catch {
      /* a line torn by a crash while appending */
    }
  }
}

// ------------------------------------------------------------------------------------------------ writer
/** Writes checkpoints of the heads that moved; knows the signed state so far (folded from all checkpoints). */
export class CheckpointWriter {
  private known = new Map<string, Head>();
  private last: Head = { seq: 0, hash: GENESIS };

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly key: SigningKey,
    private readonly file: string | null,
    private readonly log: (m: string) => void = () => {},
  ) {}

  private fold(heads: Record<string, Head>) {
    for (const [stream, h] of Object.entries(heads)) {
      const k = this.known.get(stream);
      if (!k || h.seq > k.seq) this.known.set(stream, { seq: h.seq, hash: h.hash });
    }
  }

  /** One checkpoint of the heads that moved since the last one; null when none did. */
  async write(): Promise<Checkpoint | null> {
    const cp = await this.db.transaction(async (tx) => {
      // one writer at a time across instances; the chain stays linear
      await tx.execute(sql`select pg_advisory_xact_lock(${CHECKPOINT_LOCK})`);
      const newer = await tx.execute<{ seq: number; heads: Record<string, Head>; hash: string }>(
        sql`select seq, heads, hash from audit_checkpoints where seq > ${this.last.seq} order by seq`,
      );
      for (const r of newer.rows) {
        this.fold(r.heads);
        this.last = { seq: Number(r.seq), hash: r.hash };
      }
      const heads = await tx.execute<{ stream: string; seq: number; hash: string }>(
        sql`select stream, seq, hash from audit_heads`,
      );
      const moved: Record<string, Head> = {};
      for (const h of heads.rows) {
        const k = this.known.get(h.stream);
        if (!k || h.seq > k.seq) moved[h.stream] = { seq: h.seq, hash: h.hash };
        else if (h.seq < k.seq)
          this.log(
            `警告：登记簿 ${h.stream} 的链头回退（已签名到 ${k.seq}，现为 ${h.seq}）/ WARNING: head of ${h.stream} rolled back from ${k.seq} to ${h.seq}`,
          );
      }
      if (Object.keys(moved).length === 0) return null;
      const alg = auditHashAlg();
      const body = {
        seq: this.last.seq + 1,
        at: this.clock.now().toISOString(),
        heads: moved,
        prevHash: this.last.hash,
      };
      const hash = checkpointHash(alg, body);
      const c: Checkpoint = {
        ...body,
        hash,
        hashAlg: alg,
        keyId: this.key.keyId,
        signature: signCheckpoint(hash, this.key.privateKey),
      };
      await tx.execute(sql`insert into audit_checkpoints (seq, at, heads, prev_hash, hash, hash_alg, key_id, signature)
        values (${c.seq}, ${c.at}, ${JSON.stringify(c.heads)}::jsonb, ${c.prevHash}, ${c.hash}, ${c.hashAlg},
          ${c.keyId}, ${c.signature})`);
      // outside the database before the commit: a checkpoint the database has is always in some file too
      if (this.file) appendLine(this.file, JSON.stringify(c));
      return c;
    });
    if (cp) {
      this.fold(cp.heads);
      this.last = { seq: cp.seq, hash: cp.hash };
    }
    return cp;
  }
}

export interface AuditCheckpoints {
  /** write a checkpoint now (tests, shutdown) */
  checkpoint(): Promise<Checkpoint | null>;
  /** stop the timer and write the last checkpoint */
  stop(): Promise<void>;
}

/** Load (or create) the key, trust it for verification, and checkpoint every `intervalMs` and at stop. */
export async function startAuditCheckpoints(opts: {
  db: Db;
  clock: Clock;
  keyFile: string;
  dir: string;
  intervalMs?: number;
  log?: (m: string) => void;
}): Promise<AuditCheckpoints> {
  const log = opts.log ?? (() => {});
  const key = loadOrCreateSigningKey(opts.keyFile, log);
  fs.mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const file = path.join(opts.dir, CHECKPOINT_FILE);
  // trusted: this key, and earlier ones kept beside it after a rotation (any `*.pub` in the key's directory)
  const keyDir = path.dirname(opts.keyFile);
  const pubs = fs
    .readdirSync(keyDir)
    .filter((f) => f.endsWith('.pub'))
    .map((f) => path.join(keyDir, f));
  setAuditTrust({
    publicKeys: new Map([...loadPublicKeys(pubs), [key.keyId, key.publicKey]]),
    checkpointFile: file,
    keyId: key.keyId,
    publicPem: key.publicPem,
  });
  const writer = new CheckpointWriter(opts.db, opts.clock, key, file, log);
  let chain: Promise<Checkpoint | null> = Promise.resolve(null);
  // one at a time: a tick never overlaps the previous one
  const tick = () => {
    chain = chain
      .catch(() => null)
      .then(() => writer.write())
      .catch((e) => {
        log(`登记簿检查点写入失败 / audit checkpoint failed: ${(e as Error).message}`);
        throw e;
      });
    return chain;
  };
  await tick().catch(() => {}); // logged; the timer tries again
  const timer = setInterval(() => void tick().catch(() => {}), opts.intervalMs ?? 60_000);
  timer.unref();
  let stopped = false;
  return {
    checkpoint: tick,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await tick().catch(() => {});
    },
  };
}

/**
 * At start-up: the hash algorithm of new entries (JIBAO_AUDIT_HASH) and the signed checkpoints (key from
 * JIBAO_AUDIT_KEY_FILE, file under JIBAO_AUDIT_CHECKPOINT_DIR, both defaulting into the data directory).
 */
export async function startAuditProtection(o: {
  db: Db;
  clock: Clock;
  log?: (m: string) => void;
  dataDir: string;
  hash?: string;
  keyFile?: string;
  checkpointDir?: string;
  intervalMs?: number;
  env?: NodeJS.ProcessEnv;
}): Promise<AuditCheckpoints> {
  const env = o.env ?? process.env;
  setAuditHashAlg(o.hash ?? env.JIBAO_AUDIT_HASH ?? 'sha256');
  return startAuditCheckpoints({
    db: o.db,
    clock: o.clock,
    log: o.log,
    intervalMs: o.intervalMs,
    keyFile: path.resolve(o.keyFile ?? env.JIBAO_AUDIT_KEY_FILE ?? path.join(o.dataDir, 'audit-key.pem')),
    dir: path.resolve(o.checkpointDir ?? env.JIBAO_AUDIT_CHECKPOINT_DIR ?? path.join(o.dataDir, 'audit')),
  });
}
