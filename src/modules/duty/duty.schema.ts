import { sql } from 'drizzle-orm';
import {
  boolean,
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
 * 值班设置 per unit that keeps duty: its shifts (default 白班 08:30–17:30, 夜班 17:30–08:30), how many days
 * before a long holiday its roster must be published upward, and how long a spot check waits for an answer.
 */
export const dutySettings = pgTable('duty_settings', {
  unitId: uuid('unit_id').primaryKey(),
  shifts: jsonb('shifts').notNull(), // [{code, name, start: 'HH:MM', end: 'HH:MM'}]
  publishLeadDays: integer('publish_lead_days').notNull().default(7),
  spotCheckMinutes: integer('spot_check_minutes').notNull().default(3),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  updatedBy: uuid('updated_by'),
});

/** 排班: one shift of one unit on one (Beijing) day, with its duty officer and leader on duty (带班领导). */
export const dutyShifts = pgTable(
  'duty_shifts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    unitId: uuid('unit_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    shiftCode: text('shift_code').notNull(),
    shiftName: text('shift_name').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    officerId: uuid('officer_id'),
    leaderId: uuid('leader_id'),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
    checkedInBy: uuid('checked_in_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [
    uniqueIndex('duty_shifts_unit_day_code_uq').on(t.unitId, t.day, t.shiftCode),
    index('duty_shifts_unit_time_idx').on(t.unitId, t.startsAt),
    index('duty_shifts_officer_idx').on(t.officerId, t.startsAt),
    index('duty_shifts_leader_idx').on(t.leaderId, t.startsAt),
  ],
);

/** 换班: a request to put another person on a shift (as officer or leader), approved by the unit's leader. */
export const dutySwaps = pgTable(
  'duty_swaps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    shiftId: uuid('shift_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    role: text('role').notNull(), // officer | leader
    fromUserId: uuid('from_user_id'),
    toUserId: uuid('to_user_id').notNull(),
    reason: text('reason').notNull().default(''),
    status: text('status').notNull(), // requested | approved | rejected
    requestedBy: uuid('requested_by').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
  },
  (t) => [index('duty_swaps_unit_idx').on(t.unitId, t.status)],
);

/** 节假日值班表报备: a unit's roster for a long holiday, published upward. */
export const dutyRosterPublications = pgTable(
  'duty_roster_publications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    unitId: uuid('unit_id').notNull(),
    holidayKey: text('holiday_key').notNull(), // e.g. 2026-国庆节
    holidayName: text('holiday_name').notNull(),
    fromDay: date('from_day', { mode: 'string' }).notNull(),
    toDay: date('to_day', { mode: 'string' }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    publishedBy: uuid('published_by').notNull(),
    late: boolean('late').notNull().default(false),
  },
  (t) => [uniqueIndex('duty_roster_pub_uq').on(t.unitId, t.holidayKey)],
);

/** Reminders already sent (one per unit, holiday, kind and day — exactly once across instances). */
export const dutyReminders = pgTable(
  'duty_reminders',
  {
    unitId: uuid('unit_id').notNull(),
    holidayKey: text('holiday_key').notNull(),
    kind: text('kind').notNull(), // remind | overdue
    day: date('day', { mode: 'string' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('duty_reminders_uq').on(t.unitId, t.holidayKey, t.kind, t.day)],
);

/** 值班日志: calls in and out, visitors, instructions and events during a shift. Open items carry over. */
export const dutyLogEntries = pgTable(
  'duty_log_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    unitId: uuid('unit_id').notNull(),
    shiftId: uuid('shift_id').notNull(),
    kind: text('kind').notNull(), // call_in | call_out | visitor | instruction | event | other
    at: timestamp('at', { withTimezone: true }).notNull(),
    counterpart: text('counterpart').notNull().default(''),
    phone: text('phone'),
    content: text('content').notNull(),
    open: boolean('open').notNull().default(false),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: uuid('closed_by'),
    closeNote: text('close_note'),
    eventId: uuid('event_id'),
    userId: uuid('user_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('duty_log_shift_idx').on(t.shiftId, t.at),
    index('duty_log_open_idx').on(t.unitId).where(sql`open and closed_at is null`),
  ],
);

/** 交接班: the outgoing officer hands the open items to the incoming one, who confirms. */
export const dutyHandovers = pgTable(
  'duty_handovers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    unitId: uuid('unit_id').notNull(),
    fromShiftId: uuid('from_shift_id').notNull(),
    toShiftId: uuid('to_shift_id').notNull(),
    fromUserId: uuid('from_user_id').notNull(),
    toUserId: uuid('to_user_id'),
    notes: text('notes').notNull().default(''),
    openItemIds: uuid('open_item_ids').array().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    confirmedBy: uuid('confirmed_by'),
  },
  (t) => [
    uniqueIndex('duty_handovers_from_uq').on(t.fromShiftId),
    index('duty_handovers_to_idx').on(t.toShiftId),
  ],
);

/** 查岗: a higher duty room checks that a lower one answers within the set time. */
export const spotChecks = pgTable(
  'spot_checks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fromUnitId: uuid('from_unit_id').notNull(),
    targetUnitId: uuid('target_unit_id').notNull(),
    startedBy: uuid('started_by').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    message: text('message').notNull().default(''),
    status: text('status').notNull(), // pending | answered | missed
    shiftId: uuid('shift_id'),
    notifiedUserIds: uuid('notified_user_ids').array().notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answeredBy: uuid('answered_by'),
    responseSeconds: integer('response_seconds'),
    missedAt: timestamp('missed_at', { withTimezone: true }),
  },
  (t) => [
    index('spot_checks_target_idx').on(t.targetUnitId, t.startedAt),
    index('spot_checks_due_idx').on(t.dueAt).where(sql`status = 'pending'`),
  ],
);
