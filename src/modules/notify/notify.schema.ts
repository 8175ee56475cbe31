import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** In-app notifications (the inbox); outbound channels and escalation build on these rows. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    data: jsonb('data').notNull(),
    urgent: boolean('urgent').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
    ackedAt: timestamp('acked_at', { withTimezone: true }),
    dedupeKey: text('dedupe_key'),
    eventId: uuid('event_id'),
    /** People told live when this one is acknowledged (e.g. the sender's desk). */
    watchers: uuid('watchers').array(),
    /** The notification this one escalated from (to a deputy), and how deep the chain is. */
    escalatedFromId: uuid('escalated_from_id'),
    escalationDepth: integer('escalation_depth').notNull().default(0),
    ackNote: text('ack_note'),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt),
    index('notifications_unread_idx').on(t.userId).where(sql`read_at is null`),
  ],
);

/**
 * 通知规则 of one person: which channels after how long. A step with `afterMinutes` 0 is sent with every
 * notification; a later step only while the notification is still unacknowledged (urgent) or unread.
 * Channel `deputy` hands the notification on to the deputy (as a new urgent notification of theirs).
 */
export const notificationRules = pgTable('notification_rules', {
  userId: uuid('user_id').primaryKey(),
  email: text('email'),
  phone: text('phone'),
  deputyUserId: uuid('deputy_user_id'),
  steps: jsonb('steps').notNull(), // [{afterMinutes, channel, endpointId?, urgentOnly?}]
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/**
 * Outbound endpoints configured by an administrator: the SMTP server, the SMS and voice gateways (URL and
 * body template), generic webhooks and WeCom / DingTalk / Feishu group robots.
 */
export const notifyEndpoints = pgTable('notify_endpoints', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').notNull(), // smtp | sms | voice | webhook | wecom | dingtalk | feishu
  name: text('name').notNull(),
  config: jsonb('config').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  unitId: uuid('unit_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/**
 * One outbound send (or escalation step) of one notification. Claimed with FOR UPDATE SKIP LOCKED: the
 * claim is exactly once; a send that was claimed but never finished (crash) is claimed again after its
 * lease, so delivery is at least once, always under the same `message_id`.
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    notificationId: uuid('notification_id').notNull(),
    userId: uuid('user_id').notNull(),
    step: integer('step').notNull(),
    channel: text('channel').notNull(), // in_app | email | sms | voice | webhook | wecom | dingtalk | feishu | deputy
    endpointId: uuid('endpoint_id'),
    afterMinutes: integer('after_minutes').notNull().default(0),
    messageId: text('message_id').notNull(),
    status: text('status').notNull(), // pending | sending | sent | failed | skipped | cancelled
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    claimToken: uuid('claim_token'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    lastError: text('last_error'),
    target: text('target'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('notification_deliveries_step_uq').on(t.notificationId, t.step),
    index('notification_deliveries_due_idx').on(t.dueAt).where(sql`status in ('pending', 'sending')`),
  ],
);
