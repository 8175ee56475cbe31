/**
 * Security issue #9, point 12: processes and install. Stopping `npm start` in any of the usual ways stops the
 * server and its embedded PostgreSQL; the server is not reachable from the network unless configured so; the
 * dependencies install on Node 20.
 *
 * The process tests spawn the real tree (scripts/start.mjs → server → PostgreSQL) on a temporary data directory.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import semver from 'semver';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/db/embedded.js';
import { ConfigError, loadConfig } from '../../src/server/config.js';
import { createTestApp, DEMO_PASSWORD } from '../helpers/app.js';

const root = path.resolve(import.meta.dirname, '../..');

// ---------------------------------------------------------------- processes, seen through /proc

function procStat(pid: number): { state: string; ppid: number; pgrp: number } | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { state: f[0], ppid: Number(f[1]), pgrp: Number(f[2]) };
  } catch {
    return null;
  }
}

/** Running (a zombie waiting to be reaped has already exited). */
function running(pid: number): boolean {
  const s = procStat(pid);
  return s !== null && s.state !== 'Z' && s.state !== 'X';
}

function allPids(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number);
}

function descendants(pid: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const p of allPids()) {
    const s = procStat(p);
    if (s) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), p]);
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of byParent.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Processes whose command line names the directory (the embedded PostgreSQL runs with `-D <dir>/pg`). */
function using(dir: string): number[] {
  return allPids().filter((p) => p !== process.pid && running(p) && cmdline(p).includes(dir));
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return cond();
}

async function waitHealthy(url: string, ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return (await r.json()) as { ok: boolean };
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error('server did not become healthy');
}

/** An IPv4 address of this machine that is not loopback, if it has one. */
const outsideAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

async function reachable(host: string, port: number): Promise<boolean> {
  try {
    await fetch(`http://${host}:${port}/healthz`, { signal: AbortSignal.timeout(3000) });
    return true;
  } catch {
    return false;
  }
}

// every process any test started, killed at the end if a failing test left it running
const started = new Set<number>();
const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jibao-proc-'));
  fs.chmodSync(dir, 0o755); // as root, PostgreSQL runs as `postgres` and must reach it
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) for (const p of using(dir)) started.add(p);
  for (const p of started) if (running(p)) process.kill(p, 'SIGKILL');
  await waitFor(() => [...started].every((p) => !running(p)), 5000);
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

interface Tree {
  top: ChildProcess;
  port: number;
  url: string;
  out: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The server and PostgreSQL processes under the top one, seen once the server answered. */
  below: number[];
}

type Launcher = 'npm start' | 'scripts/start.mjs';

/**
 * Start the server as `npm start` does (the web build skipped), or with the launcher script directly (as a
 * service manager might); `terminal` puts the top process in its own process group, as a shell does a job.
 */
async function startTree(
  dir: string,
  via: Launcher,
  opts: { env?: Record<string, string>; terminal?: boolean } = {},
): Promise<Tree> {
  const port = await freePort();
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: '',
    PORT: String(port),
    JIBAO_DATA_DIR: dir,
    JIBAO_DEMO: '0',
    ...opts.env,
  };
  for (const k of Object.keys(env)) if (k.startsWith('npm_')) delete env[k]; // not started by npm, unless below
  const [cmd, args] =
    via === 'npm start'
      ? ['npm', ['start', '--', '--no-build']]
      : [process.execPath, [path.join(root, 'scripts/start.mjs'), '--no-build']];
  const top = spawn(cmd, args, {
    cwd: root,
    detached: !!opts.terminal,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(top.pid!);
  let out = '';
  top.stdout!.on('data', (d) => (out += d));
  top.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    top.on('exit', (code, signal) => r({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, 90_000);
  const below = descendants(top.pid!);
  for (const p of below) started.add(p);
  return { top, port, url, out: () => out, exited, below };
}

function describeTree(t: Tree): string {
  return t.below.map((p) => `${p}${running(p) ? ' (running)' : ''}: ${cmdline(p).slice(0, 120)}`).join('\n');
}

/** Nothing of the tree runs any more and the data directory is free for the next start. */
async function expectAllStopped(t: Tree, dir: string) {
  const gone = await waitFor(() => t.below.every((p) => !running(p)) && using(dir).length === 0, 25_000);
  expect(gone, `still running:\n${describeTree(t)}\n--- output:\n${t.out()}`).toBe(true);
  expect(fs.existsSync(path.join(dir, 'jibao.pid')), 'the data directory lock is released').toBe(false);
  expect(fs.existsSync(path.join(dir, 'pg', 'postmaster.pid')), 'PostgreSQL shut down cleanly').toBe(false);
}

// ---------------------------------------------------------------- configuration

describe('where the server listens and whom it trusts', () => {
  it('with no JIBAO_HOST the server listens on loopback only', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
  });

  it('a HOST variable left in the environment does not open the server to the network', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('127.0.0.1');
  });

  it('production opens it with JIBAO_HOST=0.0.0.0', () => {
    expect(loadConfig({ JIBAO_HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('JIBAO_PUBLIC_URL is kept as an origin (several allowed), unset means the request’s own, and a bad one stops the start', () => {
    expect(loadConfig({ JIBAO_PUBLIC_URL: 'https://jibao.example.gov.cn/app/' }).publicUrl).toBe(
      'https://jibao.example.gov.cn',
    );
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBeNull();
    expect(loadConfig({ JIBAO_PUBLIC_URL: 'https://a.gov.cn, http://10.1.2.3:3000/' }).publicUrl).toBe(
      'https://a.gov.cn,http://10.1.2.3:3000',
    );
    expect(() => loadConfig({ JIBAO_PUBLIC_URL: 'jibao.example.gov.cn' })).toThrow(ConfigError);
    expect(() => loadConfig({ JIBAO_PUBLIC_URL: 'javascript:alert(1)' })).toThrow(ConfigError);
  });

  it('forwarded headers are trusted from nobody unless JIBAO_TRUST_PROXY names the proxy', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ JIBAO_TRUST_PROXY: '' }).trustProxy).toBe(false);
    expect(loadConfig({ JIBAO_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ JIBAO_TRUST_PROXY: '10.1.2.3, 10.8.0.0/16,::1' }).trustProxy).toEqual([
      '10.1.2.3',
      '10.8.0.0/16',
      '::1',
    ]);
    expect(loadConfig({ JIBAO_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(() => loadConfig({ JIBAO_TRUST_PROXY: 'proxy.example' })).toThrow(ConfigError);
    expect(() => loadConfig({ JIBAO_TRUST_PROXY: '10.0.0.0/99' })).toThrow(ConfigError);
  });
});

// ---------------------------------------------------------------- install

describe('installing on Node 20', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));

  it('every locked package supports the oldest Node the project promises (no EBADENGINE on npm ci)', () => {
    const oldest = semver.minVersion(pkg.engines.node)!.version; // 20.19.0
    expect(semver.major(oldest)).toBe(20);
    const unsupported = Object.entries<any>(lock.packages)
      .filter(([, p]) => p.engines?.node && !semver.satisfies(oldest, p.engines.node))
      .map(([where, p]) => `${where}@${p.version} needs node ${p.engines.node}`);
    expect(unsupported).toEqual([]);
  });

  /** Run the CI install step with a stand-in `npm` that prints `output`. */
  function ciInstall(output: string) {
    const bin = tempDir();
    fs.writeFileSync(
      path.join(bin, 'npm'),
      `#!/bin/sh\necho "npm $*" > "${bin}/args"\ncat <<'OUT' >&2\n${output}\nOUT\n`,
      {
        mode: 0o755,
      },
    );
    const r = spawnSync('bash', [path.join(root, 'scripts/ci-install.sh')], {
      cwd: root,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      encoding: 'utf8',
    });
    const args = fs.existsSync(path.join(bin, 'args')) ? fs.readFileSync(path.join(bin, 'args'), 'utf8') : '';
    return { status: r.status, stderr: r.stderr, args };
  }

  it('CI stops when npm ci warns that a package does not support this Node', () => {
    const bad = ciInstall(
      "npm warn EBADENGINE Unsupported engine {\nnpm warn EBADENGINE   package: 'cookie@2.0.2',\nadded 1 package",
    );
    expect(bad.args).toMatch(/^npm ci /);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/does not support Node/);
    const good = ciInstall('added 1 package');
    expect(good.status).toBe(0);
    expect(fs.readFileSync(path.join(root, '.ci/run'), 'utf8')).toMatch(/^bash scripts\/ci-install\.sh$/m);
  });
});

describe('the cookie library held at 1.x for Node 20', () => {
  it('signing in sets an HttpOnly session cookie that signs the next request in, and signing out clears it', async () => {
    const t = await createTestApp();
    try {
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'cgz_xxy', password: DEMO_PASSWORD },
      });
      expect(login.statusCode).toBe(200);
      const setCookie = String(login.headers['set-cookie']);
      expect(setCookie).toMatch(/^jibao_session=[^;]+;.*HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
      const cookie = setCookie.split(';')[0];
      const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
      expect(me.statusCode).toBe(200);
      expect(me.json().username).toBe('cgz_xxy');
      const out = await t.app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: { authorization: `Bearer ${login.json().token}` },
      });
      expect(out.statusCode).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/^jibao_session=;.*Expires=Thu, 01 Jan 1970/i);
    } finally {
      await t.close();
    }
  });
});

describe('the README stands on its own', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

  it('points to no file outside the repository', () => {
    expect(readme).not.toMatch(/\.\.\/shared/);
    expect(readme).toContain('/api/openapi.json');
  });

  it('documents every setting the server reads', () => {
    for (const v of [
      'PORT',
      'JIBAO_HOST',
      'DATABASE_URL',
      'JIBAO_DATA_DIR',
      'JIBAO_DEMO',
      'JIBAO_ADMIN_PASSWORD',
      'JIBAO_PUBLIC_URL',
      'JIBAO_TRUST_PROXY',
      'JIBAO_MIGRATE_URL',
      'JIBAO_AUDIT_HASH',
      'JIBAO_AUDIT_KEY_FILE',
      'JIBAO_AUDIT_CHECKPOINT_DIR',
      'LOG_LEVEL',
    ])
      expect(readme, v).toMatch(new RegExp(`^\\| \`${v}\``, 'm'));
  });
});

// ---------------------------------------------------------------- the running processes

// these start their own embedded PostgreSQL; the run against an external server (TEST_DATABASE_URL) skips them
describe.skipIf(!!process.env.TEST_DATABASE_URL)('the server process', () => {
  it('starts on the embedded database with demo data, is reachable on loopback only, and stops cleanly on SIGINT', async () => {
    const dir = tempDir();
    const port = await freePort();
    const env: Record<string, string | undefined> = {
      ...process.env,
      PORT: String(port),
      JIBAO_DATA_DIR: dir,
    };
    delete env.JIBAO_HOST;
    delete env.HOST;
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/server/main.ts')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.add(child.pid!);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const url = `http://127.0.0.1:${port}`;
    expect(await waitHealthy(url, 90_000)).toEqual({ ok: true });
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'Jibao@2026' }),
    });
    expect(login.status).toBe(200);
    if (outsideAddress)
      expect(await reachable(outsideAddress, port), `reachable at ${outsideAddress}`).toBe(false);
    const pgPid = Number(fs.readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toContain('正在停止');
    expect(fs.existsSync(path.join(dir, 'jibao.pid'))).toBe(false);
    expect(running(pgPid)).toBe(false); // the database stopped with it
  }, 150_000);

  const cases: Array<[Launcher, NodeJS.Signals]> = [
    ['npm start', 'SIGINT'],
    ['npm start', 'SIGTERM'],
    ['npm start', 'SIGHUP'],
    ['scripts/start.mjs', 'SIGHUP'],
  ];
  for (const [via, sig] of cases)
    it(`${sig} to ${via} stops the server and its database and frees the data directory`, async () => {
      // the production setting is tried once on the way: JIBAO_HOST=0.0.0.0 is reachable from outside
      const production = sig === 'SIGTERM' && outsideAddress;
      const dir = tempDir();
      const t = await startTree(dir, via, { env: production ? { JIBAO_HOST: '0.0.0.0' } : {} });
      expect(
        t.below.some((p) => cmdline(p).includes('src/server/main.ts')),
        describeTree(t),
      ).toBe(true);
      expect(using(dir).length, 'PostgreSQL runs on the data directory').toBeGreaterThan(0);
      if (production) expect(await reachable(outsideAddress, t.port)).toBe(true);
      t.top.kill(sig);
      await expectAllStopped(t, dir);
      const exit = await t.exited;
      if (via === 'scripts/start.mjs') expect(exit).toEqual({ code: 0, signal: null });
      expect(t.out()).toContain('正在停止');
    }, 150_000);

  for (const via of ['npm start', 'scripts/start.mjs'] as const)
    it(`when ${via} is killed outright (kill -9), the server notices and stops itself and its database`, async () => {
      const dir = tempDir();
      const t = await startTree(dir, via);
      t.top.kill('SIGKILL');
      expect((await t.exited).signal).toBe('SIGKILL');
      await expectAllStopped(t, dir);
      expect(t.out()).toContain('正在停止');
    }, 150_000);

  it('Ctrl-C in the terminal stops the server before its database, not both at once', async () => {
    const dir = tempDir();
    const t = await startTree(dir, 'npm start', { terminal: true });
    const pg = using(dir);
    expect(pg.length).toBeGreaterThan(0);
    // the terminal sends SIGINT to its foreground process group: it must not reach PostgreSQL directly
    for (const p of pg)
      expect(procStat(p)?.pgrp, `postgres ${p} in the terminal's group`).not.toBe(t.top.pid);
    process.kill(-t.top.pid!, 'SIGINT');
    await expectAllStopped(t, dir);
    await t.exited;
    expect(t.out()).toContain('正在停止');
    expect(t.out()).not.toMatch(/stopping: /); // no step of the stop failed (e.g. the database gone first)
  }, 150_000);
});
