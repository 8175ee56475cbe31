import { sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import type { Actor } from '../../floor/context.js';
import { unitListScope } from '../auth/policy.js';

export type UnitRow = {
  id: string;
  name: string;
  kind: string;
  level: string | null;
  parent_id: string | null;
  path: string[];
  division_code: string | null;
  department_type: string | null;
  duty_phone: string | null;
  fax: string | null;
  working_hours: unknown;
  disabled: boolean;
  responsible_confirmed_at: Date | null;
};

export async function getUnit(db: Db, id: string): Promise<UnitRow | null> {
  const r = await db.execute<UnitRow>(sql`select * from units where id = ${id}`);
  return r.rows[0] ?? null;
}

export async function getUnits(db: Db, ids: string[]): Promise<UnitRow[]> {
  if (ids.length === 0) return [];
  const r = await db.execute<UnitRow>(
    sql`select * from units where id in (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )})`,
  );
  return r.rows;
}

export async function listVisibleUnits(
  db: Db,
  actor: Actor,
  f: { q?: string; kind?: string; parentId?: string; includeDisabled?: boolean } = {},
) {
  const r = await db.execute<UnitRow>(sql`
    select u.* from units u
    where ${unitListScope(actor, 'u')}
      ${f.q ? sql`and (u.name ilike ${`%${f.q}%`} or u.division_code like ${`${f.q}%`})` : sql``}
      ${f.kind ? sql`and u.kind = ${f.kind}` : sql``}
      ${f.parentId ? sql`and u.parent_id = ${f.parentId}` : sql``}
      ${f.includeDisabled ? sql`` : sql`and not u.disabled`}
    order by array_length(u.path, 1), u.division_code nulls last, u.kind, u.name`);
  return r.rows;
}

export async function insertUnit(
  db: Db,
  u: {
    name: string;
    kind: string;
    level: string | null;
    parentId: string | null;
    parentPath: string[];
    divisionCode: string | null;
    departmentType?: string | null;
    dutyPhone?: string | null;
    fax?: string | null;
    workingHours?: unknown;
    id?: string;
  },
): Promise<UnitRow> {
  const r = await db.execute<UnitRow>(sql`
    with n as (select coalesce(${u.id ?? null}::uuid, gen_random_uuid()) as id)
    insert into units (id, name, kind, level, parent_id, path, division_code, department_type, duty_phone, fax, working_hours)
    select n.id, ${u.name}, ${u.kind}, ${u.level}, ${u.parentId},
      array_append(${sql.raw(`array[${u.parentPath.map((p) => `'${p}'`).join(',')}]::uuid[]`)}, n.id),
      ${u.divisionCode}, ${u.departmentType ?? null}, ${u.dutyPhone ?? null}, ${u.fax ?? null},
      ${u.workingHours ? JSON.stringify(u.workingHours) : null}::jsonb
    from n returning *`);
  return r.rows[0];
}

export async function updateUnit(db: Db, id: string, patch: Record<string, unknown>): Promise<UnitRow> {
  const cols: Record<string, string> = {
    name: 'name',
    divisionCode: 'division_code',
    departmentType: 'department_type',
    dutyPhone: 'duty_phone',
    fax: 'fax',
    disabled: 'disabled',
  };
  const sets = Object.entries(patch)
    .filter(([k, v]) => v !== undefined && (cols[k] || k === 'workingHours'))
    .map(([k, v]) =>
      k === 'workingHours'
        ? sql`working_hours = ${v === null ? null : JSON.stringify(v)}::jsonb`
        : sql`${sql.raw(cols[k])} = ${v}`,
    );
  if (sets.length === 0) return (await getUnit(db, id))!;
  const r = await db.execute<UnitRow>(
    sql`update units set ${sql.join(sets, sql`, `)} where id = ${id} returning *`,
  );
  return r.rows[0];
}

export async function childAreas(db: Db, id: string) {
  const r = await db.execute<UnitRow>(sql`select * from units where parent_id = ${id} and kind = 'area'`);
  return r.rows;
}
