import { bigint, index, jsonb, pgTable, text as pgText, timestamp } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { registerMessages } from './i18n.js';

/**
 * Outbox of live messages (SSE). Written in the same transaction as the change it announces;
 * NOTIFY only wakes the instances, and `Last-Event-ID` catch-up is served from here.
 * `audience`: `user:<id>`, `intake:<areaId>` (everyone who sees that area's intake) or `unit:<id>`.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    audience: pgText('audience').notNull(),
    type: pgText('type').notNull(),
    data: jsonb('data').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('outbox_audience_id_idx').on(t.audience, t.id)],
);

// ---- free text: one helper for every text field of the API ---------------------------------------------

/** Leading and trailing White_Space and format (Cf: zero-width space, BOM, direction marks …) characters. */
const TEXT_EDGES = /^[\p{White_Space}\p{Cf}]+|[\p{White_Space}\p{Cf}]+$/gu;

/** Text the database cannot store or a reader cannot see as written: NUL and lone UTF-16 surrogates. */
export const isStorableText = (s: string): boolean => !s.includes('\0') && !/[\uD800-\uDFFF]/u.test(s);

/** Strip the invisible edges of a text (the stored form). */
export const cleanText = (s: string): string => s.replace(TEXT_EDGES, '');

/**
 * An optional free-text field: invisible edges stripped, NUL and lone surrogates refused, at most `max`
 * characters after stripping. May end up empty (a field the caller clears).
 */
export const text = (max = 4000) =>
  z
    .string()
    .refine(isStorableText, { message: 'validation.invalid_characters' })
    .overwrite(cleanText)
    .max(max);

/**
 * A required free-text field (titles, names, places, reasons …): as `text`, and not empty after stripping.
 * (`overwrite`, not `transform`: the schema stays a string both ways, so response schemas may reuse it.)
 */
export const requiredText = (max = 4000) =>
  z
    .string()
    .refine(isStorableText, { message: 'validation.invalid_characters' })
    .overwrite(cleanText)
    .min(1, { message: 'validation.text_required' })
    .max(max);

// ---- times of things that happened ---------------------------------------------------------------------

/** Nothing reported here happened before the People's Republic was founded. */
export const EARLIEST_EVENT_TIME = new Date('1949-10-01T00:00:00+08:00');

/** An ISO 8601 time with offset, not before 1949-10-01 (the upper bound needs the clock: see `times.ts`). */
export const eventTime = () =>
  z.iso
    .datetime({ offset: true })
    .refine((v) => Date.parse(v) >= EARLIEST_EVENT_TIME.getTime(), { message: 'validation.before_1949' });

registerMessages(
  {
    'validation.invalid_characters': '含有无效字符（如 NUL 或不成对的代理项）',
    'validation.text_required': '不能为空（仅含空白或不可见字符也算空）',
    'validation.before_1949': '时间不能早于 1949-10-01',
  },
  {
    'validation.invalid_characters': 'contains invalid characters (such as NUL or a lone surrogate)',
    'validation.text_required': 'must not be empty (blank or invisible characters only count as empty)',
    'validation.before_1949': 'must not be before 1949-10-01',
  },
);
