import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Rules that vary, kept as versioned data: `must_report` (七个必报), `timeliness` (时限表),
 * `responsible_departments`, `deduction` (扣分表), `scoring` (政务信息计分). A new version is a new row;
 * judgments store the version they used.
 */
export const ruleSets = pgTable(
  'rule_sets',
  {
    kind: text('kind').notNull(),
    version: integer('version').notNull(),
    body: jsonb('body').notNull(),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
  },
  (t) => [primaryKey({ columns: [t.kind, t.version] })],
);
