import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * 登记: the registration log. Append-only; each entry carries the hash of its predecessor in its stream
 * (one chain per event, per unit, per person…), so writes in different streams never wait on each other.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    stream: text('stream').notNull(),
    seq: integer('seq').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorId: uuid('actor_id'),
    unitId: uuid('unit_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    data: jsonb('data').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    /** the hash algorithm of this entry (`sha256`, or `sm3` for 国密): chains written under either verify */
    hashAlg: text('hash_alg').notNull().default('sha256'),
  },
  (t) => [
    uniqueIndex('audit_stream_seq_uq').on(t.stream, t.seq),
    index('audit_entity_idx').on(t.entityType, t.entityId),
  ],
);

/** Head of each chain: locked per stream while appending; also lets verification see a deleted tail. */
export const auditHeads = pgTable('audit_heads', {
  stream: text('stream').primaryKey(),
  seq: integer('seq').notNull(),
  hash: text('hash').notNull(),
});

/**
 * Signed checkpoints of the log: the stream heads that moved since the previous checkpoint, chained and signed
 * with Ed25519, also appended to a file outside the database. A rolled-back head or a deleted stream is caught
 * by comparing against them. Append-only like the log (a trigger refuses UPDATE, DELETE and TRUNCATE).
 */
export const auditCheckpoints = pgTable('audit_checkpoints', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  heads: jsonb('heads').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  hashAlg: text('hash_alg').notNull().default('sha256'),
  keyId: text('key_id').notNull(),
  signature: text('signature').notNull(),
});

/** 通报 and its deductions. */
export const notices = pgTable(
  'notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    title: text('title').notNull(),
    issuingUnitId: uuid('issuing_unit_id').notNull(),
    periodFrom: timestamp('period_from', { withTimezone: true }).notNull(),
    periodTo: timestamp('period_to', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by'),
    /** the acting unit whose subtree the notice covers */
    scopeUnitId: uuid('scope_unit_id'),
    issuerName: text('issuer_name'),
    /** what the notice says, frozen when issued: offences, totals, addressees */
    body: jsonb('body').notNull().default(sql`'{}'::jsonb`),
    ruleVersion: integer('rule_version'),
  },
  (t) => [uniqueIndex('notices_issuer_year_seq_uq').on(t.issuingUnitId, t.year, t.seq)],
);

export const deductions = pgTable(
  'deductions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    noticeId: uuid('notice_id'),
    unitId: uuid('unit_id').notNull(),
    year: integer('year').notNull(),
    offence: text('offence').notNull(), // late | missed | concealed | false | duty_absent | missing_followup | missing_element
    eventId: uuid('event_id'),
    deadlineId: uuid('deadline_id'),
    points: numeric('points', { precision: 6, scale: 2 }).notNull(),
    repeat: integer('repeat').notNull().default(0),
    detail: text('detail'),
    ruleVersion: integer('rule_version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    findingId: uuid('finding_id'),
    /** every judged deadline this one offence covers (a unit late on phone and written for one event: one offence) */
    deadlineIds: uuid('deadline_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** when the offence happened (repeats within a year are counted in this order) */
    offenceAt: timestamp('offence_at', { withTimezone: true }),
    data: jsonb('data').notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [
    index('deductions_unit_year_idx').on(t.unitId, t.year),
    uniqueIndex('deductions_deadline_uq').on(t.deadlineId),
    uniqueIndex('deductions_finding_uq').on(t.findingId),
    index('deductions_notice_idx').on(t.noticeId),
  ],
);
