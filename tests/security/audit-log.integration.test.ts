/**
 * Security issue #9, point 11: the registration log (登记簿) cannot be rewritten — not by the app's database
 * account, and not unnoticed by an attacker with full database rights (caught by the signed checkpoints and the
 * file outside the database). An auditor reads the log and its verification and changes nothing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
// only what existed before this issue is imported statically, so against the old code every test runs and fails
// at its assertion; the new helpers some supporting tests need are imported where they are used
import { entryHash, GENESIS } from '../../src/floor/audit.js';
import type { Config } from '../../src/server/config.js';
import { isPublicRoute } from '../../src/server/plugins/security.js';
import { type Running, startServer } from '../../src/server/server.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const dirs: string[] = [];
const opened: TestApp[] = [];
const servers: Running[] = [];
const newCode = {
  audit: () => import('../../src/floor/audit.js') as Promise<any>,
  checkpoints: () => import('../../src/floor/checkpoints.js') as Promise<any>,
  verify: () => import('../../src/floor/verify.js') as Promise<any>,
  db: () => import('../../src/db/index.js') as Promise<any>,
};
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
  const cp = await newCode.checkpoints().catch(() => null);
  cp?.setAuditTrust?.({ publicKeys: new Map(), checkpointFile: null });
  (await newCode.audit()).setAuditHashAlg?.('sha256');
});
afterAll(async () => {
  for (const t of opened) await t.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function app() {
  const t = await createTestApp({ demo: true });
  opened.push(t);
  return t;
}

/**
 * Jibao started as in production on the test's database: the app's role in DATABASE_URL, the owner in
 * JIBAO_MIGRATE_URL, its signing key and checkpoint file in a directory of its own.
 */
async function serve(t: TestApp, over: Partial<Config> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jibao-audit-'));
  dirs.push(dir);
  const keyFile = path.join(dir, 'key', 'audit-key.pem');
  const running = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: t.tdb.url,
      migrateUrl: t.tdb.ownerUrl,
      dataDir: dir,
      demo: true,
      adminPassword: 'Jibao@2026',
      auditKeyFile: keyFile,
      auditCheckpointDir: path.join(dir, 'cp'),
      ...over,
    } as Config,
    { clock: t.clock, workers: false, log: () => {} },
  );
  servers.push(running);
  return { running, dir, keyFile, file: path.join(dir, 'cp', 'checkpoints.jsonl'), pub: `${keyFile}.pub` };
}

/** An event whose stream has several entries (registered, then its level changed twice). */
async function eventStream(t: TestApp): Promise<string> {
  const ev = await t.call('cgz_xxy', 'POST', '/api/events', {
    title: '登记簿测试事件',
    categoryCode: '12H00',
    level: 'IV',
    occurredAt: t.clock.now().toISOString(),
    place: { address: '城关街道' },
  });
  expect(ev.status).toBe(201);
  for (const [level, reason] of [
    ['III', '伤亡增加'],
    ['II', '伤亡继续增加'],
  ]) {
    t.clock.advanceMinutes(1);
    const p = await t.call('cgz_xxy', 'PATCH', `/api/events/${ev.body.id}`, { level, reason });
    expect(p.status).toBe(200);
  }
  const stream = `event:${ev.body.id}`;
  const n = await t.tdb.pool.query('select count(*)::int as n from audit_log where stream = $1', [stream]);
  expect(n.rows[0].n).toBeGreaterThanOrEqual(3);
  return stream;
}

const verify = async (t: TestApp) => {
  const r = await t.call('admin', 'GET', '/api/audit/verify');
  expect(r.status).toBe(200);
  return r.body;
};

describe('the app cannot rewrite the log', () => {
  it("the app's database account can add to the log but cannot change, delete or empty it", async () => {
    const t = await app();
    const stream = await eventStream(t); // the app appended as its own role
    const db = t.tdb.pool;
    const who = await db.query(`select rolsuper, has_table_privilege('audit_log', 'UPDATE') as upd,
      has_table_privilege('audit_log', 'DELETE') as del, has_table_privilege('audit_log', 'TRUNCATE') as trunc,
      has_table_privilege('audit_log', 'INSERT') as ins from pg_roles where rolname = current_user`);
    expect(who.rows[0]).toEqual({ rolsuper: false, upd: false, del: false, trunc: false, ins: true });
    for (const q of [
      `update audit_log set data = '{}'::jsonb where stream = '${stream}'`,
      `delete from audit_log where stream = '${stream}'`,
      'truncate audit_log',
      'delete from audit_checkpoints',
      'truncate audit_checkpoints',
    ])
      await expect(db.query(q), q).rejects.toMatchObject({ code: '42501' });
    const left = await db.query('select count(*)::int as n from audit_log where stream = $1', [stream]);
    expect(left.rows[0].n).toBeGreaterThanOrEqual(3);
  });

  it("even the database owner's UPDATE or DELETE on the log is refused (append-only trigger)", async () => {
    const t = await app();
    const stream = await eventStream(t);
    const owner = t.tdb.owner();
    await expect(
      owner.query(`update audit_log set action = 'x' where stream = $1`, [stream]),
    ).rejects.toThrow(/append-only/);
    await expect(owner.query('delete from audit_log where stream = $1', [stream])).rejects.toThrow(
      /append-only/,
    );
    await expect(owner.query('truncate audit_log')).rejects.toThrow(/append-only/);
    // the replication escape hatch does not switch it off either
    const c = await owner.connect();
    try {
      await c.query('set session_replication_role = replica');
      await expect(c.query('delete from audit_log where stream = $1', [stream])).rejects.toThrow(
        /append-only/,
      );
    } finally {
      await c.query('reset session_replication_role');
      c.release();
    }
  });

  it('the app starts on a database its owner migrated without needing owner rights', async () => {
    const t = await app();
    const { migrateDatabase } = await newCode.db();
    const warnings: string[] = [];
    await migrateDatabase(t.tdb.pool, { log: (m: string) => warnings.push(m) }); // nothing pending to create
    expect(warnings).toEqual([]);
    // the owner's single credential (as before) still works, with a warning that the log is not protected
    await migrateDatabase(t.tdb.owner(), { log: (m: string) => warnings.push(m) });
    expect(warnings.join('\n')).toMatch(/JIBAO_MIGRATE_URL/);
  });

  it('creating the app role from many migrations at once succeeds for all of them', async () => {
    const t = await app();
    const { ensureRole } = await newCode.db();
    const role = `jibao_race_${crypto.randomBytes(4).toString('hex')}`;
    const clients = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const c = new pg.Client({ connectionString: t.tdb.ownerUrl });
        await c.connect();
        return c;
      }),
    );
    try {
      const results = await Promise.allSettled(clients.map((c) => ensureRole(c, role)));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const r = await clients[0].query('select count(*)::int as n from pg_roles where rolname = $1', [role]);
      expect(r.rows[0].n).toBe(1);
    } finally {
      await clients[0].query(`drop role if exists ${role}`);
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});

describe('an attacker with full database rights is caught by the signed checkpoints', () => {
  it("deleting a stream's last entries and rolling its head back is reported as truncated", async () => {
    const t = await app();
    const stream = await eventStream(t);
    await serve(t); // its start-up checkpoint signs the stream's head
    expect((await verify(t)).ok).toBe(true);
    const first = await t.tdb.pool.query('select hash from audit_log where stream = $1 and seq = 1', [
      stream,
    ]);
    await t.tdb.tamper('delete from audit_log where stream = $1 and seq > 1', [stream]);
    await t.tdb.tamper('update audit_heads set seq = 1, hash = $2 where stream = $1', [
      stream,
      first.rows[0].hash,
    ]);
    const r = await verify(t);
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual(expect.objectContaining({ kind: 'truncated', stream, seq: 1 }));
  });

  it('deleting a whole stream, entries and head, is reported as vanished', async () => {
    const t = await app();
    const stream = await eventStream(t);
    await serve(t);
    await t.tdb.tamper('delete from audit_log where stream = $1', [stream]);
    await t.tdb.tamper('delete from audit_heads where stream = $1', [stream]);
    const r = await verify(t);
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual(expect.objectContaining({ kind: 'vanished', stream }));
  });

  it('rewriting an entry and recomputing every hash after it is caught at the checkpointed entry', async () => {
    const t = await app();
    const stream = await eventStream(t);
    await serve(t);
    // the attacker changes the first entry's data and re-chains the whole stream consistently
    const rows = (await t.tdb.pool.query('select * from audit_log where stream = $1 order by seq', [stream]))
      .rows;
    let prev = GENESIS;
    for (const r of rows) {
      const data = r.seq === 1 ? { ...r.data, title: '被篡改的标题' } : r.data;
      const hash = entryHash(prev, {
        stream,
        seq: r.seq,
        at: new Date(r.at),
        actorId: r.actor_id,
        unitId: r.unit_id,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        data,
      });
      await t.tdb.tamper('update audit_log set data = $2::jsonb, prev_hash = $3, hash = $4 where id = $1', [
        r.id,
        JSON.stringify(data),
        prev,
        hash,
      ]);
      prev = hash;
    }
    await t.tdb.tamper('update audit_heads set hash = $2 where stream = $1', [stream, prev]);
    const r = await verify(t);
    expect(r.ok).toBe(false);
    const last = rows[rows.length - 1];
    expect(r.problems).toContainEqual(expect.objectContaining({ kind: 'rewritten', stream, seq: last.seq }));
    expect(r.firstBrokenId).toBe(Number(last.id));
  });

  it('deleting the checkpoints from the database as well is caught by the file outside it', async () => {
    const t = await app();
    const stream = await eventStream(t);
    const { file } = await serve(t);
    expect(fs.existsSync(file)).toBe(true);
    await t.tdb.tamper('delete from audit_checkpoints');
    await t.tdb.tamper('delete from audit_log where stream = $1', [stream]);
    await t.tdb.tamper('delete from audit_heads where stream = $1', [stream]);
    const r = await verify(t);
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual(expect.objectContaining({ kind: 'checkpoints_deleted' }));
    expect(r.problems).toContainEqual(expect.objectContaining({ kind: 'vanished', stream }));
  });

  it('a checkpoint re-signed with a key other than the trusted one is reported', async () => {
    const t = await app();
    await eventStream(t);
    await serve(t);
    const forged = crypto.generateKeyPairSync('ed25519').privateKey;
    const c = (await t.tdb.pool.query('select seq, hash from audit_checkpoints order by seq desc limit 1'))
      .rows[0];
    await t.tdb.tamper('update audit_checkpoints set signature = $2 where seq = $1', [
      c.seq,
      crypto.sign(null, Buffer.from(c.hash), forged).toString('base64'),
    ]);
    const r = await verify(t);
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual(
      expect.objectContaining({ kind: 'bad_signature', checkpointSeq: Number(c.seq) }),
    );
  });

  it('checkpoints are appended to the file at start and at shutdown, and verify with the public key alone', async () => {
    const t = await app();
    const { running, file, pub } = await serve(t);
    expect(fs.existsSync(file)).toBe(true);
    const firstLine = fs.readFileSync(file, 'utf8');
    expect(firstLine.trim().split('\n')).toHaveLength(1);
    await eventStream(t);
    await running.stop(); // the shutdown checkpoint covers what happened since
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith(firstLine)).toBe(true); // appended, never rewritten
    expect(text.trim().split('\n')).toHaveLength(2);
    const key = await t.call('admin', 'GET', '/api/audit/public-key');
    expect(key.status).toBe(200);
    expect(key.body.publicKey).toBe(fs.readFileSync(pub, 'utf8'));
    // the auditors' check: only the public key (as `npm run audit:verify -- --public-key …` does)
    const { loadPublicKeys } = await newCode.checkpoints();
    const { verifyAuditLog } = await newCode.verify();
    const progress: Array<[number, number]> = [];
    const r = await verifyAuditLog(
      { actor: null, tx: t.tdb.db, clock: t.clock, lang: 'zh-CN' },
      {
        trust: { publicKeys: loadPublicKeys([pub]), checkpointFile: file },
        onProgress: (d: number, n: number) => progress.push([d, n]),
        batchSize: 2,
      },
    );
    expect(r).toMatchObject({
      ok: true,
      problems: [],
      checkpoints: { count: 2, lastSeq: 2, signaturesChecked: true },
    });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress[progress.length - 1]).toEqual([r.checked, r.checked]);
  });
});

describe('hash algorithm (JIBAO_AUDIT_HASH)', () => {
  it('SM3 gives the standard test vector', async () => {
    const { digest } = await newCode.audit();
    expect(digest('sm3', 'abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('entries written under sm3 and under sha256 both verify, and a changed sm3 entry is caught', async () => {
    const t = await app();
    const sm3 = await serve(t, { auditHash: 'sm3' });
    const sm3Stream = await eventStream(t);
    await sm3.running.stop();
    await serve(t, { auditHash: 'sha256', auditKeyFile: sm3.keyFile }); // instances share the signing key
    const shaStream = await eventStream(t);
    const algs = await t.tdb.pool.query('select * from audit_log where stream = any($1) order by id', [
      [sm3Stream, shaStream],
    ]);
    const by = (s: string) => [...new Set(algs.rows.filter((r) => r.stream === s).map((r) => r.hash_alg))];
    expect({ sm3: by(sm3Stream), sha256: by(shaStream) }).toEqual({ sm3: ['sm3'], sha256: ['sha256'] });
    const both = await verify(t);
    expect(both.problems).toEqual([]);
    expect(both).toMatchObject({ ok: true, firstBrokenId: null });
    const victim = await t.tdb.pool.query('select id from audit_log where stream = $1 and seq = 2', [
      sm3Stream,
    ]);
    await t.tdb.tamper(`update audit_log set action = 'forged' where id = $1`, [victim.rows[0].id]);
    expect(await verify(t)).toMatchObject({ ok: false, firstBrokenId: Number(victim.rows[0].id) });
  });

  it('an unknown algorithm is refused at start', async () => {
    const t = await app();
    await expect(serve(t, { auditHash: 'md5' })).rejects.toThrow(/sha256 或 sm3/);
  });
});

describe('the auditor (审计管理员, 三员分立)', () => {
  it('reads the log and its verification, and every write is refused before anything happens', async () => {
    const t = await app();
    const root = await t.unitId('全国');
    const created = await t.call('admin', 'POST', '/api/users', {
      username: 'sj_auditor',
      password: 'Audit@2026x',
      name: '审计员',
      unitId: root,
      roles: ['auditor'],
    });
    expect(created.status).toBe(201);
    const stream = await eventStream(t);
    await t.token('sj_auditor', 'Audit@2026x');
    const v = await t.call('sj_auditor', 'GET', '/api/audit/verify');
    expect(v.status).toBe(200);
    expect(v.body.ok).toBe(true);
    const log = await t.call(
      'sj_auditor',
      'GET',
      `/api/audit/log?stream=${encodeURIComponent(`unit:${root}`)}`,
    );
    expect(log.status).toBe(200);
    const evLog = await t.call('sj_auditor', 'GET', `/api/audit/log?stream=${encodeURIComponent(stream)}`);
    expect(evLog.status).toBe(200);
    expect(evLog.body.items.length).toBeGreaterThanOrEqual(3);

    // every write route of the API, whatever the body: 403, and nothing written
    const spec = (await t.call('admin', 'GET', '/api/openapi.json')).body;
    const before = await t.tdb.pool.query('select count(*)::int as n from audit_log');
    const writes: string[] = [];
    const id = crypto.randomUUID();
    for (const [p, ops] of Object.entries<Record<string, unknown>>(spec.paths))
      for (const m of Object.keys(ops)) {
        if (!['post', 'patch', 'put', 'delete'].includes(m)) continue;
        if (['/api/auth/login', '/api/auth/logout', '/api/auth/password'].includes(p)) continue;
        // public routes (the tip-off form) take no session: the auditor is anyone there
        if (isPublicRoute(m, p.replace(/\{([^}]+)\}/g, ':$1'))) continue;
        const url = p.replace(/\{[^}]+\}/g, id);
        writes.push(`${m.toUpperCase()} ${p}`);
        const r = await t.call('sj_auditor', m.toUpperCase() as 'POST', url, {});
        expect(r.status, `${m.toUpperCase()} ${p}`).toBe(403);
      }
    expect(writes).toContain('POST /api/users');
    expect(writes.length).toBeGreaterThan(20);
    const after = await t.tdb.pool.query('select count(*)::int as n from audit_log');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
