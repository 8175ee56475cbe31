import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** 类别: the category tree after GB/T 35561, kept as data. */
export const categories = pgTable('categories', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  parentCode: text('parent_code'),
  depth: integer('depth').notNull(), // 1 class, 2 sub-class, 3 detail
});

/** 事件 */
export const events = pgTable(
  'events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    categoryCode: text('category_code').notNull(),
    level: text('level'), // I II III IV or null (not graded)
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    learnedAt: timestamp('learned_at', { withTimezone: true }),
    registeredAt: timestamp('registered_at', { withTimezone: true }).notNull(),
    place: jsonb('place').notNull(),
    responsibleUnitId: uuid('responsible_unit_id').notNull(),
    registeredByUnitId: uuid('registered_by_unit_id').notNull(),
    registeredByUserId: uuid('registered_by_user_id').notNull(),
    source: text('source').notNull(),
    summary: text('summary'),
    casualties: jsonb('casualties').notNull(),
    directLossYuan: numeric('direct_loss_yuan', { precision: 18, scale: 2 }),
    flags: jsonb('flags').notNull(),
    invertedFlow: uuid('inverted_flow').array().notNull().default(sql`'{}'::uuid[]`),
    mustReport: jsonb('must_report').notNull(),
    timelinessVersion: integer('timeliness_version').notNull(),
    mustReportVersion: integer('must_report_version').notNull(),
    responsibleDepartmentIds: uuid('responsible_department_ids').array().notNull().default(sql`'{}'::uuid[]`),
    requestedAt: timestamp('requested_at', { withTimezone: true }),
    activeResponse: boolean('active_response').notNull().default(false),
    status: text('status').notNull().default('open'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    mergedIntoId: uuid('merged_into_id'),
    classification: text('classification').notNull().default('public'), // public | internal | secret
  },
  (t) => [
    index('events_occurred_idx').on(t.occurredAt),
    index('events_responsible_idx').on(t.responsibleUnitId),
  ],
);

/** Every change of level, time of occurrence, responsible unit … with who, when and why. */
export const eventChanges = pgTable(
  'event_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    userId: uuid('user_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    changes: jsonb('changes').notNull(), // {field: {from, to}}
    reason: text('reason').notNull(),
  },
  (t) => [index('event_changes_event_idx').on(t.eventId)],
);

/** Which units an event concerns (responsible, registrar, chain, responsible departments, recipients, requests): visibility. */
export const eventUnits = pgTable(
  'event_units',
  {
    eventId: uuid('event_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.unitId, t.reason] }),
    index('event_units_unit_idx').on(t.unitId),
  ],
);

/** 报告 */
export const reports = pgTable(
  'reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id').notNull(),
    unitId: uuid('unit_id').notNull(), // the unit the report is of (an area for office users)
    kind: text('kind').notNull(), // phone initial followup verification final
    seq: integer('seq').notNull().default(0), // 续报 number
    status: text('status').notNull(), // draft awaiting_approval returned sent recorded
    elements: jsonb('elements').notNull(),
    pendingElements: jsonb('pending_elements').notNull(),
    fastTrack: boolean('fast_track').notNull().default(false),
    level: text('level'), // the event's level when submitted (decides the approval path)
    recipients: uuid('recipients').array().notNull().default(sql`'{}'::uuid[]`),
    sourceReportIds: uuid('source_report_ids').array().notNull().default(sql`'{}'::uuid[]`),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    calledAt: timestamp('called_at', { withTimezone: true }),
    callerName: text('caller_name'),
    callerPhone: text('caller_phone'),
    callerPost: text('caller_post'),
    callerUnitId: uuid('caller_unit_id'),
    toldLeaders: text('told_leaders'),
    returnReason: text('return_reason'),
    contradictions: jsonb('contradictions').notNull().default(sql`'[]'::jsonb`),
    version: integer('version').notNull().default(1),
    // phone reports are calls (migration 0009): incoming (recorded by the receiving office, confirmed) or
    // outgoing (recorded by the caller, pending until an office of the called area confirms or disputes it)
    direction: text('direction'), // incoming | outgoing (phone only)
    toUnitId: uuid('to_unit_id'), // whom the call went to, as given
    toAreaId: uuid('to_area_id'), // the area whose offices confirm it
    answeredBy: text('answered_by'),
    confirmation: text('confirmation'), // pending | confirmed | disputed (phone only)
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    confirmedBy: uuid('confirmed_by'),
    disputeReason: text('dispute_reason'),
    sameCallAs: uuid('same_call_as'), // the other side's record of the same call: counts once
    // a field report's time on the device (migration 0011): shown as 现场记录于, never counts for a deadline
    capturedAt: timestamp('captured_at', { withTimezone: true }),
  },
  (t) => [index('reports_event_idx').on(t.eventId), index('reports_unit_idx').on(t.unitId, t.status)],
);

/** Every saved state of a report's content: a change to a sent report is a new version, never an overwrite. */
export const reportVersions = pgTable(
  'report_versions',
  {
    reportId: uuid('report_id').notNull(),
    version: integer('version').notNull(),
    elements: jsonb('elements').notNull(),
    pendingElements: jsonb('pending_elements').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    userId: uuid('user_id').notNull(),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.version] })],
);

/** 审签 steps of a report, and the 补签 (countersignature) owed for a skipped step. */
export const reportApprovals = pgTable(
  'report_approvals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reportId: uuid('report_id').notNull(),
    step: text('step').notNull(), // approver | principal
    ord: integer('ord').notNull(),
    status: text('status').notNull(), // pending | approved | skipped
    userId: uuid('user_id'),
    at: timestamp('at', { withTimezone: true }),
    comment: text('comment'),
    asRole: text('as_role'),
    countersign: text('countersign').notNull().default('none'), // none | outstanding | done
    countersignedBy: uuid('countersigned_by'),
    countersignedAt: timestamp('countersigned_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('report_approvals_step_uq').on(t.reportId, t.step)],
);

/** Arrival of a report in an intake (an area's main channel) or at a recipient unit; 签收. */
export const reportDeliveries = pgTable(
  'report_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reportId: uuid('report_id').notNull(),
    eventId: uuid('event_id').notNull(),
    fromUnitId: uuid('from_unit_id').notNull(),
    toUnitId: uuid('to_unit_id').notNull(),
    via: text('via').notNull(), // chain | recipient | copy | phone
    arrivedAt: timestamp('arrived_at', { withTimezone: true }).notNull(),
    offHours: boolean('off_hours').notNull().default(false),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    signedBy: uuid('signed_by'),
    ackedAt: timestamp('acked_at', { withTimezone: true }),
    ackedBy: uuid('acked_by'),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    verifiedBy: uuid('verified_by'),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
  },
  (t) => [
    uniqueIndex('report_deliveries_uq').on(t.reportId, t.toUnitId),
    index('report_deliveries_to_idx').on(t.toUnitId, t.seq),
  ],
);

/** 调度 / 催报: a higher office asks a lower unit to report; answered in the same thread. */
export const reportRequests = pgTable(
  'report_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id').notNull(),
    fromUnitId: uuid('from_unit_id').notNull(),
    toUnitId: uuid('to_unit_id').notNull(),
    message: text('message').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    userId: uuid('user_id').notNull(),
    answeredReportId: uuid('answered_report_id'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [index('report_requests_to_idx').on(t.toUnitId)],
);

/** 批示 and 落实反馈 */
export const instructions = pgTable('instructions', {
  id: uuid('id').primaryKey().defaultRandom(),
  eventId: uuid('event_id').notNull(),
  reportId: uuid('report_id'),
  userId: uuid('user_id').notNull(),
  unitId: uuid('unit_id').notNull(),
  text: text('text').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  dueAt: timestamp('due_at', { withTimezone: true }),
});

export const instructionTargets = pgTable(
  'instruction_targets',
  {
    instructionId: uuid('instruction_id').notNull(),
    unitId: uuid('unit_id').notNull(),
    ackedAt: timestamp('acked_at', { withTimezone: true }),
    ackedBy: uuid('acked_by'),
    feedback: text('feedback'),
    feedbackAt: timestamp('feedback_at', { withTimezone: true }),
    feedbackBy: uuid('feedback_by'),
  },
  (t) => [primaryKey({ columns: [t.instructionId, t.unitId] })],
);

/** Public releases (提前报告 party office before release). */
export const publications = pgTable('event_publications', {
  id: uuid('id').primaryKey().defaultRandom(),
  eventId: uuid('event_id').notNull(),
  text: text('text').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  userId: uuid('user_id').notNull(),
  unitId: uuid('unit_id').notNull(),
});

/** 一竿子插到底: direct contact with on-site personnel. */
export const siteContacts = pgTable('site_contacts', {
  id: uuid('id').primaryKey().defaultRandom(),
  eventId: uuid('event_id').notNull(),
  userId: uuid('user_id').notNull(),
  unitId: uuid('unit_id').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  person: text('person').notNull(),
  phone: text('phone'),
  content: text('content').notNull(),
});

export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reportId: uuid('report_id').notNull(),
    filename: text('filename').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    data: bytea('data').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    userId: uuid('user_id').notNull(),
  },
  (t) => [index('attachments_report_idx').on(t.reportId)],
);
