import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { sleep } from '../../../bench/lib/http.js';
import { type ServerProc, startServerProc } from '../../../bench/lib/server.js';

/**
 * The rectification clock survives a crash: the server is killed (kill -9) before a hazard's deadline and started
 * again after it; the overdue escalation fires on the first sweep after the start, exactly once.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jibao-insp-restart-'));
fs.chmodSync(dataDir, 0o755);
let srv: ServerProc | null = null;
const env = { JIBAO_DATA_DIR: dataDir, JIBAO_DEMO: '1', JIBAO_SWEEP_MS: '200' };

function dbUrl() {
  const secret = JSON.parse(fs.readFileSync(path.join(dataDir, 'pg-secret.json'), 'utf8'));
  const pid = fs.readFileSync(path.join(dataDir, 'pg/postmaster.pid'), 'utf8').split('\n');
  return `postgres://${secret.user}:${encodeURIComponent(secret.password)}@127.0.0.1:${pid[3]!.trim()}/jibao`;
}

afterAll(async () => {
  await srv?.stop().catch(() => {});
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a hazard’s deadline while the server is down', () => {
  it('escalates exactly once after the restart', async () => {
    srv = await startServerProc({ env, quiet: true });
    const login = await fetch(`${srv.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'dc_xxk', password: 'Jibao@2026' }),
    });
    const { token } = await login.json();
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const units = await (await fetch(`${srv.url}/api/units`, { headers: auth })).json();
    const town = units.items.find((u: { name: string }) => u.name === '城关街道').id;
    const now = Date.now();
    const r = await fetch(`${srv.url}/api/inspections/hazards`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        place: '城关加油站',
        sector: '危险化学品',
        severity: 'general',
        description: '储罐区无防火堤',
        responsibleUnitId: town,
        foundAt: new Date(now - 100_000).toISOString(),
        rectifyBy: new Date(now + 4_000).toISOString(),
      }),
    });
    expect(r.status).toBe(201);
    const id = (await r.json()).id as string;
    await srv.kill9();
    srv = null;
    await sleep(Math.max(0, now + 5_000 - Date.now()));
    srv = await startServerProc({ env, quiet: true });
    const db = new pg.Client({ connectionString: dbUrl() });
    await db.connect();
    try {
      const fired = async () =>
        (
          await db.query(
            `select count(*)::int as n from timers where ref_id = $1 and kind = 'hazard.overdue' and fired_at is not null`,
            [id],
          )
        ).rows[0].n as number;
      const deadline = Date.now() + 15_000;
      while ((await fired()) === 0 && Date.now() < deadline) await sleep(200);
      expect(await fired()).toBe(1);
      await sleep(1_500); // several more sweeps
      const notes = await db.query(
        `select u.username, count(*)::int as n from notifications n join users u on u.id = n.user_id
         where n.kind = 'hazard.overdue' and n.data->>'hazardId' = $1 group by 1 order by 1`,
        [id],
      );
      // the township's principal and the recording county office, each once
      expect(notes.rows.map((x) => x.username)).toEqual(expect.arrayContaining(['cgz_zyfzr', 'dc_xxk']));
      expect(notes.rows.every((x) => x.n === 1)).toBe(true);
      expect(await fired()).toBe(1);
    } finally {
      await db.end();
    }
  }, 120_000);
});
