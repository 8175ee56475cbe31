import { sql } from 'drizzle-orm';
import {
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * One deadline per unit of the reporting chain and per channel. Status (pending/met/late/missed) is
 * derived from due_at, met_at and the clock; superseded rows stay as history.
 */
export const deadlines = pgTable(
  'deadlines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id'),
    kind: text('kind').notNull().default('report'), // report | zero_report
    fromUnitId: uuid('from_unit_id').notNull(),
    toUnitId: uuid('to_unit_id'),
    channel: text('channel').notNull(), // phone | written
    ruleRow: text('rule_row').notNull(),
    ruleVersion: integer('rule_version').notNull(),
    limitMinutes: integer('limit_minutes').notNull(),
    basis: text('basis').notNull(), // occurrence | arrival | created
    baseAt: timestamp('base_at', { withTimezone: true }),
    dueAt: timestamp('due_at', { withTimezone: true }),
    missedAt: timestamp('missed_at', { withTimezone: true }),
    metAt: timestamp('met_at', { withTimezone: true }),
    metByReportId: uuid('met_by_report_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    supersededAt: timestamp('superseded_at', { withTimezone: true }),
    supersededReason: text('superseded_reason'),
    history: jsonb('history').notNull().default(sql`'[]'::jsonb`),
    /** 零报告: the period and day a zero-report deadline belongs to (kind = 'zero_report') */
    zeroPeriodId: uuid('zero_period_id'),
    zeroDay: date('zero_day'),
  },
  (t) => [
    index('deadlines_event_idx').on(t.eventId),
    uniqueIndex('deadlines_zero_uq').on(t.zeroPeriodId, t.fromUnitId, t.zeroDay),
    index('deadlines_from_idx').on(t.fromUnitId, t.dueAt),
    index('deadlines_due_idx').on(t.dueAt),
  ],
);

/**
 * Durable timers (reminders, escalations, follow-up reminders …): claimed with FOR UPDATE SKIP LOCKED in
 * the same transaction as their effect, so each fires exactly once across instances and after restarts.
 */
export const timers = pgTable(
  'timers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    refId: uuid('ref_id').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    payload: jsonb('payload').notNull().default(sql`'{}'::jsonb`),
    firedAt: timestamp('fired_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('timers_due_idx').on(t.dueAt).where(sql`fired_at is null and cancelled_at is null`),
    index('timers_ref_idx').on(t.refId),
    uniqueIndex('timers_ref_kind_due_uq').on(t.refId, t.kind, t.dueAt),
  ],
);

/** 零报告 periods and the daily reports. */
export const zeroReportPeriods = pgTable('zero_report_periods', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  rootUnitId: uuid('root_unit_id').notNull(),
  fromDate: date('from_date').notNull(),
  toDate: date('to_date').notNull(),
  dueTime: text('due_time').notNull().default('09:00'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  createdBy: uuid('created_by').notNull(),
  /** the days a report is due (default every day from fromDate to toDate) */
  days: jsonb('days').notNull().default(sql`'[]'::jsonb`),
  /** the units that owe a daily report, fixed when the period is declared */
  unitIds: uuid('unit_ids').array().notNull().default(sql`'{}'::uuid[]`),
  cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
});

export const zeroReports = pgTable(
  'zero_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    periodId: uuid('period_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    day: date('day').notNull(),
    content: text('content').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
    userId: uuid('user_id').notNull(),
  },
  (t) => [uniqueIndex('zero_reports_uq').on(t.periodId, t.unitId, t.day)],
);

/** Editor findings: 瞒报 concealed, 谎报 false, 漏报 of key items. */
export const findings = pgTable('findings', {
  id: uuid('id').primaryKey().defaultRandom(),
  eventId: uuid('event_id').notNull(),
  unitId: uuid('unit_id').notNull(),
  kind: text('kind').notNull(), // concealed | false | missed
  reason: text('reason').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  userId: uuid('user_id'),
  ruleVersion: integer('rule_version'),
});
