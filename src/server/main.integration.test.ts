import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../db/embedded.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jibao-main-'));
fs.chmodSync(dir, 0o755);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

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

// starts its own embedded PostgreSQL; the run against an external server (TEST_DATABASE_URL) skips it
describe.skipIf(!!process.env.TEST_DATABASE_URL)('the server process', () => {
  it('starts on the embedded database with demo data, answers /healthz, and stops cleanly on SIGINT', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/server/main.ts')], {
      env: { ...process.env, PORT: String(port), JIBAO_DATA_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const url = `http://127.0.0.1:${port}`;
    expect(await waitHealthy(url, 60_000)).toEqual({ ok: true });
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'Jibao@2026' }),
    });
    expect(login.status).toBe(200);
    const pgPid = Number(fs.readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toContain('正在停止');
    expect(fs.existsSync(path.join(dir, 'jibao.pid'))).toBe(false);
    expect(() => process.kill(pgPid, 0)).toThrow(); // the database stopped with it
  }, 120_000);
});
