import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirInUseError, startEmbedded } from './embedded.js';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'jibao-emb-'));
  fs.chmodSync(d, 0o755);
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function query(url: string, q: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(q)).rows;
  } finally {
    await c.end();
  }
}

// these start their own PostgreSQL; the run against an external server (TEST_DATABASE_URL) skips them
describe.skipIf(!!process.env.TEST_DATABASE_URL)('embedded PostgreSQL', () => {
  it('keeps data across restarts, on a loopback port it picked, with a generated password', async () => {
    const dir = tmp();
    const a = await startEmbedded(dir);
    expect(a.migrateUrl).toMatch(/^postgres:\/\/jibao:.+@127\.0\.0\.1:\d+\/jibao$/);
    expect(a.url).toMatch(/^postgres:\/\/jibao_app:.+@127\.0\.0\.1:\d+\/jibao$/);
    expect(a.url).not.toContain(':5432/');
    // the app's credential is a restricted role, not the superuser
    expect(await query(a.url, 'select rolsuper from pg_roles where rolname = current_user')).toEqual([
      { rolsuper: false },
    ]);
    await query(a.migrateUrl, 'create table kept (x int); insert into kept values (42)');
    await a.stop();
    const b = await startEmbedded(dir);
    expect(await query(b.migrateUrl, 'select x from kept')).toEqual([{ x: 42 }]);
    await b.stop();
  });

  it('refuses a second process on the same data directory while the first runs', async () => {
    const dir = tmp();
    const a = await startEmbedded(dir);
    try {
      await expect(startEmbedded(dir)).rejects.toBeInstanceOf(DataDirInUseError);
    } finally {
      await a.stop();
    }
  });

  it('two instances with different data directories run side by side', async () => {
    const [a, b] = await Promise.all([startEmbedded(tmp()), startEmbedded(tmp())]);
    expect(a.url).not.toBe(b.url);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('after a kill -9 of the app, the orphaned PostgreSQL is stopped and the next start succeeds', async () => {
    const dir = tmp();
    const script = `import { startEmbedded } from ${JSON.stringify(path.resolve('src/db/embedded.ts'))};
      const db = await startEmbedded(${JSON.stringify(dir)}); console.log('READY ' + db.migrateUrl); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url: string = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/READY (\S+)/);
        if (m) resolve(m[1]);
      });
      child.on('exit', () => reject(new Error(`child exited: ${out}`)));
    });
    await query(url, 'create table survived (x int); insert into survived values (7)');
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const pid = Number(fs.readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(() => process.kill(pid, 0)).not.toThrow(); // the orphan is still running
    const b = await startEmbedded(dir);
    try {
      expect(await query(b.migrateUrl, 'select x from survived')).toEqual([{ x: 7 }]);
    } finally {
      await b.stop();
    }
  }, 60_000);
});
