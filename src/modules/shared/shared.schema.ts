import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Outbox of live messages (SSE). Written in the same transaction as the change it announces;
 * NOTIFY only wakes the instances, and `Last-Event-ID` catch-up is served from here.
 * `audience`: `user:<id>`, `intake:<areaId>` (everyone who sees that area's intake) or `unit:<id>`.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    audience: text('audience').notNull(),
    type: text('type').notNull(),
    data: jsonb('data').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('outbox_audience_id_idx').on(t.audience, t.id)],
);
