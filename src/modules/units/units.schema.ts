import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** 单位: the unit tree. `path` holds the ids from the root down to the unit itself (for subtree scoping). */
export const units = pgTable(
  'units',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    kind: text('kind').notNull(), // area | party_office | gov_office | duty_room | confidential_bureau | emergency_office | department | enterprise
    level: text('level'), // nation | province | city | county | township (areas only)
    parentId: uuid('parent_id'),
    path: uuid('path').array().notNull(),
    divisionCode: text('division_code'),
    departmentType: text('department_type'), // police, work_safety, health … (departments only)
    dutyPhone: text('duty_phone'),
    fax: text('fax'),
    workingHours: jsonb('working_hours'), // null → default Mon–Fri 08:30–12:00, 14:30–17:30
    disabled: boolean('disabled').notNull().default(false),
    responsibleConfirmedAt: timestamp('responsible_confirmed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('units_path_gin').using('gin', t.path),
    index('units_parent_idx').on(t.parentId),
    index('units_division_idx').on(t.divisionCode),
  ],
);

/** 三级责任人: principal (领导责任), leader in charge, office director (直接责任人). */
export const responsiblePersons = pgTable(
  'responsible_persons',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    unitId: uuid('unit_id').notNull(),
    tier: text('tier').notNull(), // principal | leader_in_charge | office_director
    userId: uuid('user_id'),
    name: text('name').notNull(),
    post: text('post'),
    phone: text('phone'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('responsible_persons_unit_tier_uq').on(t.unitId, t.tier)],
);
