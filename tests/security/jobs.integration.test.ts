import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failInterruptedJobs, settleJobs } from '../../src/modules/jobs/jobs.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** Point 9 of issue #9: long work (a province's import) runs as a background job with progress. */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
});
afterAll(async () => {
  await settleJobs();
  await t?.close();
});

describe('province imports as background jobs', () => {
  it('importing a province in the background answers 202 at once and reports progress to the end', async () => {
    const r = await t.call('admin', 'POST', '/api/units/from-division', {
      code: '460000',
      withOffices: true,
      background: true,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const jobId = r.body.jobId;
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    let job: any;
    for (let i = 0; i < 300; i++) {
      job = (await t.call('admin', 'GET', `/api/jobs/${jobId}`)).body;
      if (job.state === 'done' || job.state === 'failed') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(job.state, JSON.stringify(job)).toBe('done');
    expect(job.progress.total).toBeGreaterThan(100);
    expect(job.progress.done).toBe(job.progress.total);
    expect(job.result.created.province).toBe(1);
    const units = await t.tdb.pool.query(
      `select count(*)::int as n from units where division_code like '46%'`,
    );
    expect(units.rows[0].n).toBeGreaterThan(100);
  });

  it('someone else cannot read a job', async () => {
    const r = await t.call('admin', 'POST', '/api/units/from-division', { code: '460000', background: true });
    expect(r.status).toBe(202);
    await settleJobs();
    expect((await t.call('dc_xxk', 'GET', `/api/jobs/${r.body.jobId}`)).status).toBe(404);
  });

  it('a non-administrator is refused before any job starts', async () => {
    const r = await t.call('dc_xxk', 'POST', '/api/units/from-division', {
      code: '460000',
      background: true,
    });
    expect(r.status).toBe(403);
  });

  it('a job left running by a crashed process is marked failed on the next start', async () => {
    const j = await t.tdb.pool.query(`insert into jobs (kind, actor_id, state, created_at, heartbeat_at)
      select 'units_from_division', id, 'running', now() - interval '10 minutes', now() - interval '10 minutes'
      from users where username = 'admin' returning id`);
    const id = j.rows[0].id;
    expect(await failInterruptedJobs(t.tdb.db, t.clock)).toBeGreaterThanOrEqual(1);
    const r = await t.call('admin', 'GET', `/api/jobs/${id}`);
    expect(r.body.state).toBe('failed');
    expect(r.body.error.code).toBe('job_interrupted');
    expect(r.body.error.message).toMatch(/中断/);
  });
});
