import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import { type Ctx, ROLES, type Role } from '../../floor/context.js';
import { badRequest, conflict, notFound } from '../../floor/errors.js';
import { registerMessages } from '../../floor/i18n.js';
import { authorize } from '../../floor/policy.js';
import { hashPassword } from '../auth/password.js';
import { assertStrongPassword } from '../auth/password-policy.js';
import { revokeUserSessions } from '../auth/revoke.js';
import { unitsPolicy, usersPolicy } from './policy.js';
import * as repo from './units.repo.js';

export const AREA_LEVELS = ['nation', 'province', 'city', 'county', 'township'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];
export const UNIT_KINDS = [
  'area',
  'party_office',
  'gov_office',
  'duty_room',
  'confidential_bureau',
  'emergency_office',
  'department',
  'enterprise',
] as const;
export const levelRank = (l: string | null) => AREA_LEVELS.indexOf((l ?? '') as AreaLevel);

registerMessages(
  {
    'error.area_needs_level': '区域单位必须指定级别（省、市、县、乡镇）。',
    'error.unit_needs_area_parent': '非区域单位（办公室、部门、企业）必须挂在它所服务的区域下。',
    'error.parent_not_higher': '上级区域的级别必须高于本区域。',
    'error.bad_division_code': '行政区划代码格式不对：县级及以上为 6 位数字，乡镇（街道）为 9 位数字。',
    'error.parent_not_found': '上级单位不存在。',
    'error.root_needs_global_admin': '只有最高一级的管理员可以创建顶层单位。',
    'error.username_taken': '用户名“{username}”已被使用。',
    'error.unit_not_found': '单位不存在。',
    'error.bad_role': '未知的角色：{role}',
    'error.wrong_current_password': '当前密码不正确。',
    'error.level_only_for_area': '只有区域单位有级别。',
  },
  {
    'error.area_needs_level': 'An area unit needs a level (province, city, county, township).',
    'error.unit_needs_area_parent':
      'A non-area unit (office, department, enterprise) must sit under the area it serves.',
    'error.parent_not_higher': 'The parent area must be of a higher level.',
    'error.bad_division_code':
      'Division code format: 6 digits for county level and above, 9 digits for townships and streets.',
    'error.parent_not_found': 'The parent unit does not exist.',
    'error.root_needs_global_admin': 'Only the top-level administrator can create a top-level unit.',
    'error.username_taken': 'The username "{username}" is already taken.',
    'error.unit_not_found': 'The unit does not exist.',
    'error.bad_role': 'Unknown role: {role}',
    'error.wrong_current_password': 'The current password is wrong.',
    'error.level_only_for_area': 'Only area units have a level.',
  },
);

export interface CreateUnitInput {
  name: string;
  kind: (typeof UNIT_KINDS)[number];
  level?: AreaLevel | null;
  parentId?: string | null;
  divisionCode?: string | null;
  departmentType?: string | null;
  dutyPhone?: string | null;
  fax?: string | null;
  workingHours?: unknown;
}

export function checkDivisionCode(kind: string, level: string | null, code: string | null | undefined) {
  if (code === null || code === undefined || code === '') return;
  const ok =
    kind === 'area'
      ? (level === 'township' ? /^\d{9}$/ : /^\d{6}$/).test(code)
      : /^(\d{6}|\d{9})$/.test(code);
  if (!ok) throw badRequest('bad_division_code', { divisionCode: code });
}

export async function createUnit(ctx: Ctx, input: CreateUnitInput) {
  authorize(ctx.actor, unitsPolicy, 'create');
  const level = input.level ?? null;
  if (input.kind === 'area' && !level) throw badRequest('area_needs_level');
  if (input.kind !== 'area' && level) throw badRequest('level_only_for_area');
  checkDivisionCode(input.kind, level, input.divisionCode);
  let parent: repo.UnitRow | null = null;
  if (input.parentId) {
    parent = await repo.getUnit(ctx.tx, input.parentId);
    if (!parent) throw badRequest('parent_not_found', { parentId: input.parentId });
    if (input.kind !== 'area' && parent.kind !== 'area') throw badRequest('unit_needs_area_parent');
    if (input.kind === 'area') {
      if (parent.kind !== 'area') throw badRequest('unit_needs_area_parent');
      if (levelRank(parent.level) >= levelRank(level)) throw badRequest('parent_not_higher');
    }
    authorize(ctx.actor, unitsPolicy, 'edit', parent);
  } else {
    if (input.kind !== 'area') throw badRequest('unit_needs_area_parent');
    authorize(ctx.actor, unitsPolicy, 'createRoot', null);
  }
  const row = await repo.insertUnit(ctx.tx, {
    name: input.name.trim(),
    kind: input.kind,
    level,
    parentId: parent?.id ?? null,
    parentPath: parent?.path ?? [],
    divisionCode: input.divisionCode || null,
    departmentType: input.departmentType ?? null,
    dutyPhone: input.dutyPhone ?? null,
    fax: input.fax ?? null,
    workingHours: input.workingHours,
  });
  await audit(ctx, {
    stream: `unit:${row.id}`,
    action: 'unit_created',
    entityType: 'unit',
    entityId: row.id,
    unitId: row.id,
    data: {
      name: row.name,
      kind: row.kind,
      level: row.level,
      parentId: row.parent_id,
      divisionCode: row.division_code,
    },
  });
  return row;
}

export async function updateUnit(
  ctx: Ctx,
  id: string,
  patch: Partial<CreateUnitInput> & { disabled?: boolean },
) {
  const unit = await repo.getUnit(ctx.tx, id);
  if (!unit) throw notFound('unit_not_found');
  authorize(ctx.actor, unitsPolicy, 'edit', unit);
  checkDivisionCode(unit.kind, unit.level, patch.divisionCode);
  const row = await repo.updateUnit(ctx.tx, id, patch as Record<string, unknown>);
  await audit(ctx, {
    stream: `unit:${id}`,
    action: 'unit_updated',
    entityType: 'unit',
    entityId: id,
    unitId: id,
    data: patch,
  });
  return row;
}

export interface CreateUserInput {
  username: string;
  password: string;
  /** already hashed (bulk imports hash side by side before the transaction writes) */
  passwordHash?: string;
  name: string;
  unitId: string;
  roles: Role[];
  officerType?: 'full_time' | 'part_time' | null;
  post?: string | null;
  phone?: string | null;
  email?: string | null;
}

export async function createUser(ctx: Ctx, input: CreateUserInput) {
  const unit = await repo.getUnit(ctx.tx, input.unitId);
  if (!unit) throw badRequest('unit_not_found', { unitId: input.unitId });
  authorize(ctx.actor, usersPolicy, 'create', unit);
  for (const r of input.roles) if (!ROLES.includes(r)) throw badRequest('bad_role', { role: r });
  const exists = await ctx.tx.execute(sql`select 1 from users where username = ${input.username}`);
  if (exists.rowCount) throw conflict('username_taken', { username: input.username });
  if (!input.passwordHash) assertStrongPassword(input.password, input.username);
  const passwordHash = input.passwordHash ?? (await hashPassword(input.password));
  const r = await ctx.tx.execute<any>(sql`
    insert into users (username, password_hash, name, unit_id, roles, officer_type, post, phone, email)
    values (${input.username}, ${passwordHash}, ${input.name}, ${input.unitId},
      ${sql.raw(`array[${[...new Set(input.roles)].map((r) => `'${r}'`).join(',')}]::text[]`)},
      ${input.officerType ?? null}, ${input.post ?? null}, ${input.phone ?? null}, ${input.email ?? null})
    returning *`);
  const user = r.rows[0];
  await audit(ctx, {
    stream: `user:${user.id}`,
    action: 'user_created',
    entityType: 'user',
    entityId: user.id,
    unitId: unit.id,
    data: { username: user.username, name: user.name, roles: user.roles },
  });
  return user;
}

export async function updateUser(
  ctx: Ctx,
  id: string,
  patch: Partial<Omit<CreateUserInput, 'username' | 'password'>> & { disabled?: boolean; password?: string },
) {
  const cur = await ctx.tx.execute<any>(
    sql`select u.*, un.path from users u join units un on un.id = u.unit_id where u.id = ${id}`,
  );
  const user = cur.rows[0];
  if (!user) throw notFound();
  authorize(ctx.actor, usersPolicy, 'edit', user);
  if (patch.unitId) {
    const unit = await repo.getUnit(ctx.tx, patch.unitId);
    if (!unit) throw badRequest('unit_not_found', { unitId: patch.unitId });
    authorize(ctx.actor, usersPolicy, 'edit', unit);
  }
  for (const r of patch.roles ?? []) if (!ROLES.includes(r)) throw badRequest('bad_role', { role: r });
  if (patch.password !== undefined) assertStrongPassword(patch.password, user.username);
  const sets = [];
  if (patch.name !== undefined) sets.push(sql`name = ${patch.name}`);
  if (patch.unitId !== undefined) sets.push(sql`unit_id = ${patch.unitId}`);
  if (patch.roles !== undefined)
    sets.push(
      sql`roles = ${sql.raw(`array[${[...new Set(patch.roles)].map((r) => `'${r}'`).join(',')}]::text[]`)}`,
    );
  if (patch.officerType !== undefined) sets.push(sql`officer_type = ${patch.officerType}`);
  if (patch.post !== undefined) sets.push(sql`post = ${patch.post}`);
  if (patch.phone !== undefined) sets.push(sql`phone = ${patch.phone}`);
  if (patch.email !== undefined) sets.push(sql`email = ${patch.email}`);
  if (patch.disabled !== undefined) sets.push(sql`disabled = ${patch.disabled}`);
  if (patch.password !== undefined) sets.push(sql`password_hash = ${await hashPassword(patch.password)}`);
  if (sets.length) await ctx.tx.execute(sql`update users set ${sql.join(sets, sql`, `)} where id = ${id}`);
  // Sessions opened under the old access end everywhere (requests and live streams, every instance).
  const rolesChanged =
    patch.roles !== undefined &&
    (patch.roles.length !== user.roles.length ||
      patch.roles.some((r) => !user.roles.includes(r)) ||
      user.roles.some((r: string) => !patch.roles!.includes(r as Role)));
  const unitChanged = patch.unitId !== undefined && patch.unitId !== user.unit_id;
  if (patch.disabled || patch.password !== undefined || rolesChanged || unitChanged)
    await revokeUserSessions(ctx, id);
  const { password: _pw, ...logged } = patch;
  await audit(ctx, {
    stream: `user:${id}`,
    action:
      patch.password !== undefined ? 'password_reset' : patch.disabled ? 'user_disabled' : 'user_updated',
    entityType: 'user',
    entityId: id,
    unitId: patch.unitId ?? user.unit_id,
    data: logged,
  });
  const r = await ctx.tx.execute<any>(sql`select * from users where id = ${id}`);
  return r.rows[0];
}
