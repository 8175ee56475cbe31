/**
 * Profiling helper (docs/PERFORMANCE.md): N sequential flows with CPU per flow (server and PostgreSQL), then
 * CONC concurrent clients for 10 s with PostgreSQL wait events sampled. PROF=1 writes a V8 CPU profile of the
 * server to /tmp/jb/prof; FSYNC=0 turns fsync off. Run: npx tsx bench/profile.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbedded } from '../src/db/embedded.js';
import { cpuMsOf, treeCpuMs } from './lib/cpu.js';
import { createEventAndDraft, type Step, submit } from './lib/flows.js';
import { request, sleep, summarize } from './lib/http.js';
import { setupProvince } from './lib/province.js';
import { startServerProc } from './lib/server.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jibao-probe-'));
fs.chmodSync(dir, 0o755);
const emb = await startEmbedded(dir, { fsync: process.env.FSYNC !== '0' });
const db = new pg.Pool({ connectionString: emb.url, max: 4 });
const srv = await startServerProc({
  env: { DATABASE_URL: emb.url, JIBAO_DEMO: '0', JIBAO_ADMIN_PASSWORD: 'Bench@2026-profile' },
  nodeArgs: process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/jb/prof'] : [],
});
const pmPid = Number(fs.readFileSync(path.join(dir, 'pg/postmaster.pid'), 'utf8').split('\n')[0]);
try {
  const login = await request(srv.url, 'POST', '/api/auth/login', {
    body: { username: 'admin', password: 'Bench@2026-profile' },
  });
  const prov = await setupProvince(srv.url, db, login.body.token);
  const lat: Step[] = [];
  await sleep(2000);
  const c0 = cpuMsOf(srv.pid),
    p0 = treeCpuMs(pmPid),
    w0 = performance.now();
  const NSEQ = Number(process.env.NSEQ ?? 50);
  for (let i = 0; i < NSEQ; i++) {
    const p = prov.reporters[i * 13];
    const d = await createEventAndDraft(srv.url, p, i, lat);
    await submit(srv.url, p, d.reportId, lat);
  }
  console.log(
    'per flow: node cpu ms',
    (cpuMsOf(srv.pid) - c0) / NSEQ,
    'pg cpu ms',
    (treeCpuMs(pmPid) - p0) / NSEQ,
    'wall ms',
    (performance.now() - w0) / NSEQ,
  );
  for (const n of ['event', 'report', 'submit'])
    console.log('seq', n, summarize(lat.filter((x) => x.name === n).map((x) => x.ms)));
  const c = Number(process.env.CONC ?? 8);
  const lat2: Step[] = [];
  let stop = false;
  const waits = new Map<string, number>();
  const sampler = (async () => {
    while (!stop) {
      const r = await db.query(
        `select coalesce(wait_event_type,'cpu') || ':' || coalesce(wait_event,'-') as w, left(query, 80) as q from pg_stat_activity where state = 'active' and pid <> pg_backend_pid() and datname='jibao'`,
      );
      for (const x of r.rows) waits.set(x.w, (waits.get(x.w) ?? 0) + 1);
      for (const x of r.rows) waits.set('Q ' + x.q, (waits.get('Q ' + x.q) ?? 0) + 1);
      await sleep(20);
    }
  })();
  const t0 = performance.now();
  let k = 0,
    done = 0;
  await Promise.all(
    Array.from({ length: c }, async (_, _j) => {
      while (performance.now() - t0 < 10000) {
        const p = prov.reporters[(k++ * 17) % prov.reporters.length];
        const d = await createEventAndDraft(srv.url, p, k, lat2);
        await submit(srv.url, p, d.reportId, lat2);
        done++;
      }
    }),
  );
  stop = true;
  await sampler;
  console.log('conc', c, 'flows/s', done / ((performance.now() - t0) / 1000));
  for (const n of ['event', 'report', 'submit'])
    console.log('conc', n, summarize(lat2.filter((x) => x.name === n).map((x) => x.ms)));
  console.log([...waits.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30));
} finally {
  await srv.stop();
  await db.end();
  await emb.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
