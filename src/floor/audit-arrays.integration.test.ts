/**
 * Log rows, heads and live messages are written with one array parameter per column (`unnest`): text the
 * driver must escape inside an array — quotes, backslashes, braces, commas, NULLs, emoji, newlines — is stored
 * exactly as hashed, so every chain still verifies, whether written directly or through a command's batch.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../tests/helpers/db.js';
import { audit, auditMany } from './audit.js';
import { withBatch } from './batch.js';
import { ManualClock } from './clock.js';
import { writeBatch } from './command.js';
import { inTx, systemCtx } from './context.js';
import { publishMany } from './outbox.js';
import { verifyAuditLog } from './verify.js';

const AWKWARD = ['say "hi"', 'back\\slash', '{brace,comma}', 'NULL', '表情 😀', 'two\nlines', "it's"];
let tdb: TestDb;
afterAll(async () => {
  await tdb?.drop();
});

describe('array-parameter writes', () => {
  it('store awkward text exactly, and the chains verify', async () => {
    tdb = await createTestDb();
    const clock = new ManualClock(new Date('2026-12-03T01:00:00Z'));
    const base = systemCtx({ db: tdb.db, clock });
    const entries = AWKWARD.map((text, i) => ({
      stream: `test:${i % 3}`,
      action: 'awkward',
      entityType: 'test',
      entityId: i % 2 ? null : text,
      data: { text, nested: { list: [text, null] } },
    }));
    await inTx(base, async (ctx) => {
      await auditMany(ctx, entries);
      await audit(ctx, {
        stream: 'test:0',
        action: 'single',
        entityType: 'test',
        entityId: 'x',
        data: { text: AWKWARD[0] },
      });
      await publishMany(ctx, [{ audiences: ['unit:x', 'unit:y'], type: 'test.awkward', data: { AWKWARD } }]);
    });
    await inTx(base, async (ctx0) => {
      const ctx = withBatch(ctx0);
      await auditMany(
        ctx,
        entries.map((e) => ({ ...e, stream: `${e.stream}:batched` })),
      );
      await auditMany(ctx, entries); // existing streams, through the batch
      await publishMany(ctx, [{ audiences: ['unit:z'], type: 'test.awkward', data: { AWKWARD } }]);
      await writeBatch(ctx);
    });
    const rows = await tdb.pool.query(
      `select data->>'text' as text, entity_id from audit_log where action = 'awkward' order by id`,
    );
    // entries are written grouped by stream: compare what was stored, not the order
    expect(rows.rows.map((r) => r.text).sort()).toEqual([...AWKWARD, ...AWKWARD, ...AWKWARD].sort());
    const ids = await tdb.pool.query(
      `select data->>'text' as text, entity_id from audit_log where action = 'awkward' and stream not like '%batched'`,
    );
    for (const r of ids.rows) {
      const i = AWKWARD.indexOf(r.text);
      expect(r.entity_id).toBe(i % 2 ? null : r.text);
    }
    const live = await tdb.pool.query(
      `select audience, data from outbox where type = 'test.awkward' order by id`,
    );
    expect(live.rows.map((r) => r.audience)).toEqual(['unit:x', 'unit:y', 'unit:z']);
    for (const r of live.rows) expect(r.data.AWKWARD).toEqual(AWKWARD);
    const heads = await tdb.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_heads where stream like 'test:%'`,
    );
    expect(heads.rows[0].n).toBe(6);
    const v = await verifyAuditLog(base);
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
  });
});
