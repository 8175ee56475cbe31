import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../tests/helpers/db.js';

let tdb: TestDb;
beforeAll(async () => {
  tdb = await createTestDb({ demo: true });
});
afterAll(async () => tdb?.drop());

/**
 * EXPLAIN with scans and sorts priced out (the demo's few rows would just be scanned and sorted): whether an
 * index can deliver the rows in the query's order — a Sort left in the plan means no index can.
 */
async function plan(sql: string, params: unknown[]): Promise<string> {
  const c = await tdb.pool.connect();
  try {
    await c.query('begin');
    for (const s of ['enable_seqscan', 'enable_bitmapscan', 'enable_sort'])
      await c.query(`set local ${s} = off`);
    const r = await c.query(`explain ${sql}`, params);
    await c.query('rollback');
    return r.rows.map((x) => x['QUERY PLAN']).join('\n');
  } finally {
    c.release();
  }
}

describe('indexes for the intake list and an event’s requests', () => {
  it('the intake’s first page (unsigned first, newest first) is read in order from an index, with no sort', async () => {
    // the WHERE and ORDER BY of listIntake (src/modules/emergency/emergency.queries.ts)
    const p = await plan(
      `select d.id from report_deliveries d where d.to_unit_id in ($1) and d.via <> 'phone'
        order by (d.signed_at is null)::int desc, d.arrived_at desc, d.id desc limit 51`,
      ['00000000-0000-0000-0000-000000000001'],
    );
    expect(p).toContain('report_deliveries_intake_idx');
    expect(p).not.toMatch(/\bSort\b/);
  });

  it('the next page (keyset cursor) is read from the same index', async () => {
    const p = await plan(
      `select d.id from report_deliveries d where d.to_unit_id in ($1) and d.via <> 'phone'
        and ((d.signed_at is null)::int, d.arrived_at, d.id) < ($2, $3, $4)
        order by (d.signed_at is null)::int desc, d.arrived_at desc, d.id desc limit 201`,
      [
        '00000000-0000-0000-0000-000000000001',
        1,
        new Date().toISOString(),
        '00000000-0000-0000-0000-000000000002',
      ],
    );
    expect(p).toContain('report_deliveries_intake_idx');
    expect(p).not.toMatch(/\bSort\b/);
  });

  it('an event’s 调度/催报 requests are found by the event, in order', async () => {
    const p = await plan(`select * from report_requests where event_id = $1 order by at`, [
      '00000000-0000-0000-0000-000000000001',
    ]);
    expect(p).toContain('report_requests_event_idx');
    expect(p).not.toMatch(/\bSort\b/);
  });
});
