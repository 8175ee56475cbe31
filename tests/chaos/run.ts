/**
 * npm run test:chaos — never lose a report (SPEC §10, issue 6).
 *
 * The server runs as a child process on its embedded PostgreSQL in a temporary data directory. Concurrent
 * clients register events, draft and submit reports, every call with an Idempotency-Key. Mid-surge we
 * `kill -9` the server (its PostgreSQL lives on as an orphan the next start must stop), and later `kill -9`
 * the embedded PostgreSQL itself. Deadlines are set to fall due while the server is down. After each
 * restart the clients retry every call whose answer was lost, with the same key. Then we check:
 * every acknowledged record exists exactly once, nothing is half-written, the registration log verifies,
 * and every deadline that fell due during an outage fired exactly once.
 *
 * Prints `N passed, N failed` and exits non-zero on any failure. CHAOS_KEEP=1 keeps the data directory.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { eventBody, initialBody } from '../../bench/lib/flows.js';
import { request, sleep } from '../../bench/lib/http.js';
import { type ServerProc, startServerProc } from '../../bench/lib/server.js';

const PASSWORD = 'Jibao@2026';
const CLIENTS = Number(process.env.CHAOS_CLIENTS ?? 8);
const REPORTERS = ['cgz_xxy', 'cgz_xxy2', 'hsz_xxy', 'dc_ga_xxy'];
const started = Date.now();
const log = (m: string) => console.log(`[chaos +${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jibao-chaos-'));
fs.chmodSync(dataDir, 0o755); // run as root, the embedded PostgreSQL runs as its own user
let port = 0;
let srv: ServerProc | null = null;
let up = false;

async function start() {
  srv = await startServerProc({ env: { JIBAO_DATA_DIR: dataDir, JIBAO_DEMO: '1' }, port: port || undefined });
  port = srv.port;
  up = true;
}
const base = () => `http://127.0.0.1:${port}`;

/** Direct database access for set-up and checks: the data directory's secret and the postmaster's port. */
function dbUrl() {
  const secret = JSON.parse(fs.readFileSync(path.join(dataDir, 'pg-secret.json'), 'utf8'));
  const pid = fs.readFileSync(path.join(dataDir, 'pg/postmaster.pid'), 'utf8').split('\n');
  return `postgres://${secret.user}:${encodeURIComponent(secret.password)}@127.0.0.1:${pid[3].trim()}/jibao`;
}
const postmasterPid = () =>
  Number(fs.readFileSync(path.join(dataDir, 'pg/postmaster.pid'), 'utf8').split('\n')[0]);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// ----------------------------------------------------------------------------------------------- clients
type Call = { method: string; path: string; body?: unknown; key: string };
const stats = { calls: 0, lost: 0, retried: 0, replays: 0 };

/** One call, retried with the same Idempotency-Key until it gets an answer that is not an outage. */
async function call(token: string, c: Call): Promise<{ status: number; body: any }> {
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) stats.retried++;
    if (!up) {
      await sleep(100);
      attempt--;
      continue;
    }
    try {
      stats.calls++;
      const r = await request(base(), c.method, c.path, {
        token,
        body: c.body,
        headers: { 'idempotency-key': c.key },
        timeoutMs: 15_000,
      });
      if (r.headers['idempotent-replayed']) stats.replays++;
      // 5xx while the database is away, 409 while the twin of this call is in flight: answer lost, retry
      if (r.status >= 500 || (r.status === 409 && r.body?.error?.code === 'idempotency_in_flight')) {
        stats.lost++;
        await sleep(200);
        continue;
      }
      return { status: r.status, body: r.body };
    } catch {
      stats.lost++; // connection refused or reset: the answer is lost
      await sleep(200);
    }
  }
}

interface Job {
  n: number;
  user: string;
  keys: { event: string; report: string; submit: string };
  eventBody: ReturnType<typeof eventBody>;
  eventId?: string;
  reportId?: string;
  submitted?: string;
  errors: string[];
}

async function runJob(token: string, job: Job) {
  const ev = await call(token, {
    method: 'POST',
    path: '/api/events',
    body: job.eventBody,
    key: job.keys.event,
  });
  if (ev.status !== 201) return void job.errors.push(`event ${ev.status} ${JSON.stringify(ev.body)}`);
  job.eventId = ev.body.id;
  const rep = await call(token, {
    method: 'POST',
    path: `/api/events/${job.eventId}/reports`,
    body: initialBody(ev.body.occurredAt),
    key: job.keys.report,
  });
  if (rep.status !== 201) return void job.errors.push(`report ${rep.status} ${JSON.stringify(rep.body)}`);
  job.reportId = rep.body.id;
  const sub = await call(token, {
    method: 'POST',
    path: `/api/reports/${job.reportId}/submit`,
    body: {},
    key: job.keys.submit,
  });
  if (sub.status !== 200) return void job.errors.push(`submit ${sub.status} ${JSON.stringify(sub.body)}`);
  job.submitted = sub.body.status;
}

// ------------------------------------------------------------------------------------------------ checks
let passed = 0;
let failed = 0;
function check(name: string, ok: boolean, detail?: unknown) {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? '✓' : '✗'} ${name}${ok || detail === undefined ? '' : `: ${JSON.stringify(detail)}`}`);
}

async function main() {
  await start();
  log(`server up at ${base()} (data ${dataDir})`);
  const tokens = new Map<string, string>();
  for (const u of REPORTERS) {
    const r = await request(base(), 'POST', '/api/auth/login', { body: { username: u, password: PASSWORD } });
    if (r.status !== 200) throw new Error(`login ${u}: ${r.status}`);
    tokens.set(u, r.body.token);
  }
  const admin = (
    await request(base(), 'POST', '/api/auth/login', { body: { username: 'admin', password: PASSWORD } })
  ).body.token as string;

  // Deadlines that fall due during the outages: events whose written limit (60 min for a township's Ⅳ
  // event) runs out a few seconds from now, registered and left unreported.
  const outageDue: string[] = [];
  const dueIn = [6, 7, 8, 22, 23, 24]; // seconds: the first outage, then the second
  for (const [i, s] of dueIn.entries()) {
    const occurredAt = new Date(Date.now() - 60 * 60_000 + s * 1000);
    const r = await request(base(), 'POST', '/api/events', {
      token: tokens.get(REPORTERS[i % REPORTERS.length]),
      body: eventBody(90_000 + i, occurredAt),
    });
    if (r.status !== 201) throw new Error(`deadline event: ${r.status} ${JSON.stringify(r.body)}`);
    const d = r.body.deadlines.find(
      (x: any) => x.status === 'pending' && new Date(x.dueAt) < new Date(Date.now() + 60_000),
    );
    if (d) outageDue.push(d.id);
  }
  log(`${outageDue.length} deadlines fall due during the outages`);

  // the surge: CLIENTS concurrent clients, each working through jobs until told to stop
  const jobs: Job[] = [];
  let stop = false;
  let n = 0;
  const clients = Array.from({ length: CLIENTS }, async (_, k) => {
    const user = REPORTERS[k % REPORTERS.length];
    while (!stop) {
      const job: Job = {
        n: n++,
        user,
        keys: { event: randomUUID(), report: randomUUID(), submit: randomUUID() },
        eventBody: eventBody(n),
        errors: [],
      };
      jobs.push(job);
      await runJob(tokens.get(user)!, job);
    }
  });

  // crash 1: kill -9 the server mid-surge; its PostgreSQL lives on as an orphan
  await sleep(4000);
  const orphan = postmasterPid();
  log(`kill -9 server (pid ${srv!.pid}) with ${jobs.length} jobs started`);
  up = false;
  await srv!.kill9();
  check('the embedded PostgreSQL outlives a kill -9 of the server (an orphan to clean up)', alive(orphan));
  await sleep(6000); // deadlines fall due while nobody runs
  await start();
  log(
    `restarted (pid ${srv!.pid}); orphan postmaster ${orphan} ${alive(orphan) ? 'still alive' : 'stopped'}`,
  );
  check(
    'the restarted server stopped the orphaned postmaster and started its own',
    !alive(orphan) && postmasterPid() !== orphan,
  );

  // crash 2: kill -9 the embedded PostgreSQL itself mid-surge, then the server that lost it
  await sleep(4000);
  const pm = postmasterPid();
  log(`kill -9 embedded PostgreSQL (pid ${pm}) with ${jobs.length} jobs started`);
  process.kill(pm, 'SIGKILL');
  await sleep(1500);
  up = false;
  await srv!.kill9();
  await sleep(6000);
  await start();
  log(`restarted after the database crash (pid ${srv!.pid})`);
  await sleep(4000);
  stop = true;
  await Promise.race([Promise.all(clients), sleep(60_000)]);
  log(
    `surge over: ${jobs.length} jobs, ${stats.calls} calls, ${stats.lost} answers lost, ${stats.replays} replays`,
  );

  // ask again for everything already acknowledged: the same answer, nothing new
  const sample = jobs.filter((j) => j.submitted).slice(0, 20);
  let sameAnswers = 0;
  for (const j of sample) {
    const r = await request(base(), 'POST', '/api/events', {
      token: tokens.get(j.user),
      body: j.eventBody,
      headers: { 'idempotency-key': j.keys.event },
    });
    if (r.status === 201 && r.body.id === j.eventId && r.headers['idempotent-replayed']) sameAnswers++;
  }

  // let the sweeper catch up with what fell due while down
  await sleep(3000);
  const db = new pg.Client({ connectionString: dbUrl() });
  await db.connect();
  try {
    const done = jobs.filter((j) => j.submitted);
    check(
      'every job finished with its report sent',
      done.length === jobs.length && done.every((j) => j.submitted === 'sent'),
      {
        jobs: jobs.length,
        sent: done.length,
        errors: jobs.flatMap((j) => j.errors).slice(0, 5),
      },
    );
    check('a repeated call with the same key gives the first answer', sameAnswers === sample.length, {
      sameAnswers,
      of: sample.length,
    });
    const titles = jobs.map((j) => j.eventBody.title);
    const ev = await db.query(
      `select title, count(*)::int as n, array_agg(id) as ids from events where title = any($1) group by title`,
      [titles],
    );
    const byTitle = new Map(ev.rows.map((r) => [r.title, r]));
    const evBad = jobs.filter((j) => {
      const r = byTitle.get(j.eventBody.title);
      return r?.n !== 1 || (j.eventId && r.ids[0] !== j.eventId);
    });
    check(
      'every acknowledged event exists exactly once',
      evBad.length === 0,
      evBad.slice(0, 5).map((j) => j.n),
    );
    const reps = await db.query(
      `select e.id, count(r.id)::int as n, count(r.id) filter (where r.status = 'sent')::int as sent
      from events e left join reports r on r.event_id = e.id and r.kind = 'initial'
      where e.id = any($1::uuid[]) group by e.id`,
      [jobs.map((j) => j.eventId).filter(Boolean)],
    );
    const repBad = reps.rows.filter((r) => r.n !== 1 || r.sent !== 1);
    check(
      'every event has exactly one initial report, sent',
      repBad.length === 0 && reps.rowCount === jobs.length,
      {
        bad: repBad.slice(0, 5),
        rows: reps.rowCount,
      },
    );
    const deliveries = await db.query(
      `select r.id, count(d.id)::int as n from reports r left join report_deliveries d on d.report_id = r.id
      where r.id = any($1::uuid[]) group by r.id having count(d.id) <> 1`,
      [jobs.map((j) => j.reportId).filter(Boolean)],
    );
    check(
      'every sent report arrived exactly once at its receiving office',
      deliveries.rowCount === 0,
      deliveries.rows.slice(0, 5),
    );
    const half = await db.query(`select
      (select count(*) from reports r where not exists (select 1 from events e where e.id = r.event_id))::int as reports_without_event,
      (select count(*) from reports r where r.status = 'sent' and r.kind <> 'phone'
        and not exists (select 1 from report_deliveries d where d.report_id = r.id))::int as sent_without_delivery,
      (select count(*) from report_deliveries d where not exists (select 1 from reports r where r.id = d.report_id))::int as deliveries_without_report,
      (select count(*) from reports r where r.status = 'sent' and not exists
        (select 1 from audit_log l where l.stream = 'event:' || r.event_id and l.action = 'report_sent' and l.entity_id = r.id::text))::int as sent_without_log,
      (select count(*) from events e where (e.must_report->>'required')::boolean
        and not exists (select 1 from deadlines d where d.event_id = e.id))::int as must_report_without_deadlines,
      (select count(*) from reports r where r.status = 'sent' and exists (select 1 from deadlines d where d.event_id = r.event_id
        and d.from_unit_id = r.unit_id and d.channel = 'written' and d.superseded_at is null and d.met_at is null))::int as sent_but_deadline_open,
      (select count(*) from idempotency_keys where state <> 'done')::int as unfinished_keys`);
    const h = half.rows[0];
    check(
      'nothing half-written',
      Object.values(h).every((v) => v === 0),
      h,
    );
    const verify = await request(base(), 'GET', '/api/audit/verify', { token: admin });
    check('the registration log verifies', verify.status === 200 && verify.body.ok === true, verify.body);

    const fired = await db.query(
      `select d.id, d.due_at,
        (select count(*) from timers t where t.ref_id = d.id and t.kind = 'deadline.overdue' and t.fired_at is not null)::int as timers,
        (select count(*) from audit_log l where l.action = 'deadline_overdue' and l.entity_id = d.id::text)::int as judged,
        (select count(*) from notifications x where x.kind = 'deadline.overdue' and x.data->>'deadlineId' = d.id::text)::int as notes,
        (select count(distinct x.user_id) from notifications x where x.kind = 'deadline.overdue' and x.data->>'deadlineId' = d.id::text)::int as people
      from deadlines d where d.id = any($1::uuid[])`,
      [outageDue],
    );
    const firedBad = fired.rows.filter(
      (r) => r.timers !== 1 || r.judged !== 1 || r.notes < 1 || r.notes !== r.people,
    );
    check(
      `every deadline that fell due during an outage fired exactly once (${outageDue.length})`,
      outageDue.length === dueIn.length && fired.rowCount === outageDue.length && firedBad.length === 0,
      firedBad.length ? firedBad : { found: outageDue.length, want: dueIn.length },
    );
  } finally {
    await db.end();
  }
  await srv!.stop();
  check(
    'the server stops cleanly and takes its PostgreSQL with it',
    !fs.existsSync(path.join(dataDir, 'jibao.pid')),
  );
}

const deadline = setTimeout(() => {
  console.log('chaos test took longer than 5 minutes');
  (srv as ServerProc | null)?.child.kill('SIGKILL');
  process.exit(1);
}, 300_000);
try {
  await main();
} catch (e) {
  failed++;
  console.log(`✗ chaos run failed: ${(e as Error).stack}`);
  const s = srv as ServerProc | null;
  if (s) console.log(s.log.slice(-30).join('\n'));
  await s?.kill9();
} finally {
  clearTimeout(deadline);
  if (process.env.CHAOS_KEEP !== '1') {
    try {
      const pm = postmasterPid();
      if (alive(pm)) process.kill(pm, 'SIGKILL');
    } catch {
      /* no postmaster left */
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
console.log(`\n${passed} passed, ${failed} failed (${Math.round((Date.now() - started) / 1000)} s)`);
process.exit(failed ? 1 : 0);
