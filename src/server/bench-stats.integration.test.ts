import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../tests/helpers/app.js';
import { classifySql, installSqlCounter, sqlTotals } from '../db/sql-count.js';

const STATS = '/api/_bench/sql-stats';
let plain: TestApp;
let bench: TestApp;
beforeAll(async () => {
  delete process.env.JIBAO_BENCH;
  plain = await createTestApp({ demo: true });
  process.env.JIBAO_BENCH = '1';
  installSqlCounter(); // what JIBAO_COUNT_SQL=1 does when src/db/index.ts loads
  try {
    bench = await createTestApp({ demo: true });
  } finally {
    delete process.env.JIBAO_BENCH;
  }
});
afterAll(async () => {
  await plain?.close();
  await bench?.close();
});

const minutesAgo = (m: number) => new Date(bench.clock.now().getTime() - m * 60_000).toISOString();

describe('the bench statistics of SQL statements', () => {
  it('a normal start has no bench statistics route at all', async () => {
    expect((await plain.call('admin', 'GET', STATS)).status).toBe(404);
    expect(plain.app.routeTable.some((r: { url: string }) => r.url === STATS)).toBe(false);
  });

  it('with JIBAO_BENCH=1 only the signed-in top administrator may read them', async () => {
    expect((await bench.call(null, 'GET', STATS)).status).toBe(401);
    expect((await bench.call('cgz_xxy', 'GET', STATS)).status).toBe(403);
    expect((await bench.call('dc_zby', 'GET', STATS)).status).toBe(403);
    const r = await bench.call('admin', 'GET', STATS);
    expect(r.status).toBe(200);
    expect(r.body.counting).toBe(true);
    expect(r.body.cpuMs.user).toBeGreaterThan(0);
  });

  it('registering an event is counted for its route, BEGIN and COMMIT included', async () => {
    await bench.token('cgz_xxy');
    const before = (await bench.call('admin', 'GET', STATS)).body;
    const ev = await bench.call('cgz_xxy', 'POST', '/api/events', {
      title: '城关街道人民路货车与电动车相撞',
      categoryCode: '12H00',
      level: 'IV',
      occurredAt: minutesAgo(10),
      place: { address: '城关街道人民路与建设路交叉口' },
    });
    expect(ev.status).toBe(201);
    const after = (await bench.call('admin', 'GET', STATS)).body;
    const route = after.byRoute['POST /api/events 201'];
    expect(route.requests).toBe((before.byRoute['POST /api/events 201']?.requests ?? 0) + 1);
    // at least BEGIN, the insert of the event and COMMIT, and the request's own transaction committed
    expect(route.statements).toBeGreaterThanOrEqual(3);
    expect(route.transactions).toBeGreaterThanOrEqual(1);
    expect(after.total.statements - before.total.statements).toBeGreaterThanOrEqual(route.statements);
  });

  it('a NOTIFY between BEGIN and COMMIT is counted as one in a write transaction; after the commit it is not', async () => {
    const c = await bench.tdb.pool.connect();
    try {
      const t0 = sqlTotals().total;
      await c.query('begin');
      await c.query(`select pg_notify('bench_test', 'inside')`);
      await c.query('commit');
      const t1 = sqlTotals();
      expect(t1.total.notifyInTx - t0.notifyInTx).toBe(1);
      expect(t1.notifyInTxSamples.some((s) => s.includes(`pg_notify('bench_test', 'inside')`))).toBe(true);

      await c.query('begin');
      await c.query('select 1');
      await c.query('commit');
      await c.query(`notify bench_test, 'after the commit'`);
      await c.query('begin');
      await c.query(`select pg_notify('bench_test', 'rolled back')`);
      await c.query('rollback');
      const t2 = sqlTotals().total;
      expect(t2.notifyInTx).toBe(t1.total.notifyInTx);
      expect(t2.notifies - t1.total.notifies).toBe(2);
      expect(t2.transactions - t1.total.transactions).toBe(1);
      expect(t2.statements - t1.total.statements).toBe(7);
    } finally {
      c.release();
    }
  });

  it('a rollback to a savepoint keeps the transaction open; a rollback ends it', () => {
    expect(classifySql('ROLLBACK TO SAVEPOINT sp1').rollsBack).toBe(false);
    expect(classifySql('rollback').rollsBack).toBe(true);
    expect(classifySql('  begin isolation level serializable').begins).toBe(true);
    expect(classifySql('commit').commits).toBe(true);
    expect(classifySql(`insert into x select pg_notify('a', 'b')`).notifies).toBe(true);
    expect(classifySql('select 1').notifies).toBe(false);
  });
});
