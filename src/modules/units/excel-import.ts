import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { audit } from '../../floor/audit.js';
import type { Actor, Ctx } from '../../floor/context.js';
import { AppError } from '../../floor/errors.js';
import { registerMessages } from '../../floor/i18n.js';
import { authorize } from '../../floor/policy.js';
import { hashPassword } from '../auth/password.js';
import { inScope, isGlobalAdmin, subtreeScope, unitListScope } from '../auth/policy.js';
import { insertUnitsBatch, type NewUnit } from './division.js';
import {
  isDivisionCodeLike,
  KIND_NAMES,
  LEVEL_NAMES,
  OFFICER_NAMES,
  parseUnitRow,
  parseUserRow,
  type RawRowError,
  ROLE_NAMES,
  readSheet,
  translateErrors,
  UNIT_COLUMNS,
  UNIT_TEMPLATE_NOTES,
  type UnitRecord,
  USER_COLUMNS,
  USER_TEMPLATE_NOTES,
  type UserRecord,
  writeSheet,
} from './excel.js';
import { type ExistingUnit, resolveUnitRecords } from './excel-resolve.js';
import { unitsPolicy, usersPolicy } from './policy.js';
import { createUser, updateUnit, updateUser } from './units.service.js';

registerMessages(
  {
    'error.import_invalid': '导入文件有 {count} 处错误，未导入任何内容。请按行号改正后重新导入。',
    'error.import_bad_file': '无法读取上传的文件，请上传 Excel（.xlsx）文件。',
    'error.import_no_file': '请上传一个 Excel（.xlsx）文件。',
  },
  {
    'error.import_invalid':
      'The file has {count} error(s); nothing was imported. Correct the rows and retry.',
    'error.import_bad_file': 'The uploaded file cannot be read; upload an Excel (.xlsx) file.',
    'error.import_no_file': 'Upload one Excel (.xlsx) file.',
  },
);

function refuse(ctx: Ctx, errors: RawRowError[]): never {
  const list = translateErrors(ctx.lang, errors);
  throw new AppError(422, 'import_invalid', { errors: list }, { count: list.length });
}

async function read<C extends string>(buffer: Buffer, columns: readonly C[]) {
  try {
    return await readSheet(buffer, columns);
  } catch {
    throw new AppError(400, 'import_bad_file');
  }
}

async function loadUnits(ctx: Ctx, where: ReturnType<typeof unitListScope>): Promise<ExistingUnit[]> {
  const r = await ctx.tx.execute<any>(sql`
    select u.id, u.name, u.kind, u.level, u.parent_id, u.division_code, u.duty_phone, u.fax, u.path
    from units u where ${where} and not u.disabled
    order by array_length(u.path, 1), u.division_code nulls last, u.kind, u.name`);
  return r.rows.map((u) => ({
    id: u.id,
    name: u.name,
    kind: u.kind,
    level: u.level,
    parentId: u.parent_id,
    divisionCode: u.division_code,
    dutyPhone: u.duty_phone,
    fax: u.fax,
    path: u.path,
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Units

export async function importUnits(ctx: Ctx, buffer: Buffer) {
  authorize(ctx.actor, unitsPolicy, 'import');
  const actor = ctx.actor;
  const sheet = await read(buffer, UNIT_COLUMNS);
  if (sheet.errors.length) refuse(ctx, sheet.errors);
  const errors: RawRowError[] = [];
  const records: UnitRecord[] = [];
  const brokenRefs = new Set<string>();
  for (const row of sheet.rows) {
    const rec = parseUnitRow(row, errors);
    if (rec) records.push(rec);
    else {
      if (row.cells.名称) brokenRefs.add(row.cells.名称);
      if (row.cells.行政区划代码) brokenRefs.add(row.cells.行政区划代码);
    }
  }
  const existing = await loadUnits(ctx, unitListScope(actor, 'u'));
  const { plan, errors: refErrors } = resolveUnitRecords(records, existing, {
    inScope: (path) => inScope(actor, path),
    isGlobalAdmin: isGlobalAdmin(actor),
    brokenRefs,
  });
  errors.push(...refErrors);
  if (errors.length) refuse(ctx, errors);

  // New units go in batches (ids and paths computed here, parents first); changed ones one by one.
  const created = new Map<string, NewUnit>();
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const updated: Array<{ id: string; patch: Record<string, string> }> = [];
  const existingById = new Map(existing.map((u) => [u.id, u]));
  for (const item of plan) {
    const r = item.record;
    if (item.action === 'create') {
      const parent = !item.parentKey
        ? null
        : item.parentKey.startsWith('e:')
          ? existingById.get(item.parentKey.slice(2))!
          : created.get(item.parentKey)!;
      const id = randomUUID();
      created.set(item.key, {
        id,
        name: r.name,
        kind: r.kind,
        level: r.level,
        parentId: parent?.id ?? null,
        path: [...(parent?.path ?? []), id],
        divisionCode: r.divisionCode,
        dutyPhone: r.dutyPhone,
        fax: r.fax,
      });
      counts.created++;
    } else if (item.action === 'update') {
      await updateUnit(ctx, item.key.slice(2), item.patch);
      updated.push({ id: item.key.slice(2), patch: item.patch });
      counts.updated++;
    } else counts.unchanged++;
  }
  const newUnits = [...created.values()];
  await insertUnitsBatch(ctx, newUnits);
  // One registration-log entry for the file, naming every unit it created (updates are logged one by one).
  await audit(ctx, {
    stream: `unit:${actor.acting.id}`,
    action: 'units_imported',
    entityType: 'unit',
    entityId: actor.acting.id,
    unitId: actor.acting.id,
    data: {
      rows: sheet.rows.length,
      ...counts,
      units: newUnits.map((u) => ({
        id: u.id,
        name: u.name,
        kind: u.kind,
        level: u.level,
        parentId: u.parentId,
        divisionCode: u.divisionCode,
      })),
      updatedIds: updated.map((u) => u.id),
    },
  });
  return { rows: sheet.rows.length, ...counts };
}

/** How a row names its parent: the division code when it is unique, else the name. */
function parentRefs(units: ExistingUnit[]) {
  const codeCount = new Map<string, number>();
  for (const u of units)
    if (u.divisionCode) codeCount.set(u.divisionCode, (codeCount.get(u.divisionCode) ?? 0) + 1);
  return (u: ExistingUnit | undefined) =>
    !u ? '' : u.divisionCode && codeCount.get(u.divisionCode) === 1 ? u.divisionCode : u.name;
}

export async function exportUnits(ctx: Ctx): Promise<Buffer> {
  authorize(ctx.actor, unitsPolicy, 'export');
  const visible = await loadUnits(ctx, unitListScope(ctx.actor, 'u'));
  const own = await loadUnits(ctx, subtreeScope(ctx.actor, 'u'));
  const byId = new Map(visible.map((u) => [u.id, u]));
  const ref = parentRefs(visible);
  const rows = own.map((u) => [
    u.name,
    KIND_NAMES[u.kind] ?? u.kind,
    u.level ? (LEVEL_NAMES[u.level] ?? u.level) : '',
    u.parentId ? ref(byId.get(u.parentId)) : '',
    u.divisionCode ?? '',
    u.dutyPhone ?? '',
    u.fax ?? '',
  ]);
  return writeSheet('单位', UNIT_COLUMNS, rows, UNIT_TEMPLATE_NOTES);
}

export const unitTemplate = () => writeSheet('单位', UNIT_COLUMNS, [], UNIT_TEMPLATE_NOTES);

// ---------------------------------------------------------------------------------------------------------
// Users

export async function importUsers(ctx: Ctx, buffer: Buffer) {
  authorize(ctx.actor, usersPolicy, 'import');
  const actor = ctx.actor;
  const sheet = await read(buffer, USER_COLUMNS);
  if (sheet.errors.length) refuse(ctx, sheet.errors);
  const errors: RawRowError[] = [];
  const records: UserRecord[] = [];
  const failedRows: typeof sheet.rows = [];
  for (const row of sheet.rows) {
    const rec = parseUserRow(row, errors);
    if (rec) records.push(rec);
    else failedRows.push(row);
  }
  const units = await loadUnits(ctx, subtreeScope(actor, 'u'));
  const byCode = new Map<string, ExistingUnit[]>();
  const byName = new Map<string, ExistingUnit[]>();
  for (const u of units) {
    if (u.divisionCode) byCode.set(u.divisionCode, [...(byCode.get(u.divisionCode) ?? []), u]);
    byName.set(u.name, [...(byName.get(u.name) ?? []), u]);
  }
  const usernames = sheet.rows.map((r) => r.cells.用户名).filter(Boolean);
  const existingUsers = usernames.length
    ? (
        await ctx.tx.execute<any>(sql`
          select u.*, un.path from users u join units un on un.id = u.unit_id
          where u.username in (${sql.join(
            usernames.map((n) => sql`${n}`),
            sql`, `,
          )})`)
      ).rows
    : [];
  const existingByName = new Map(existingUsers.map((u) => [u.username, u]));
  for (const row of failedRows)
    if (!row.cells.初始密码 && !existingByName.has(row.cells.用户名))
      errors.push({ row: row.row, column: '初始密码', key: 'password_required' });
  const seen = new Map<string, number>();
  const plan: Array<{ rec: UserRecord; unitId: string; existing: any | null }> = [];
  for (const rec of records) {
    const err = (column: string, key: string, params?: Record<string, string | number>) =>
      errors.push({ row: rec.row, column, key, params });
    const twin = seen.get(rec.username.toLowerCase());
    if (twin !== undefined) {
      err('用户名', 'duplicate_row', { other: twin });
      continue;
    }
    seen.set(rec.username.toLowerCase(), rec.row);
    let cands = (isDivisionCodeLike(rec.unitRef) ? byCode.get(rec.unitRef) : byName.get(rec.unitRef)) ?? [];
    if (cands.length > 1 && isDivisionCodeLike(rec.unitRef)) {
      const areas = cands.filter((u) => u.kind === 'area');
      if (areas.length) cands = areas;
    }
    if (cands.length === 0) err('所属单位', 'unit_not_found', { value: rec.unitRef });
    else if (cands.length > 1) err('所属单位', 'unit_ambiguous', { value: rec.unitRef, count: cands.length });
    const existing = existingByName.get(rec.username) ?? null;
    if (existing && !inScope(actor, existing.path)) err('用户名', 'username_taken', { value: rec.username });
    if (!existing && !rec.password) err('初始密码', 'password_required');
    if (cands.length === 1) plan.push({ rec, unitId: cands[0].id, existing });
  }
  if (errors.length) refuse(ctx, errors);

  // argon2 is slow by design: hash the new passwords side by side before writing
  const hashes = new Map<string, string>();
  const fresh = plan.filter((p) => !p.existing);
  for (let i = 0; i < fresh.length; i += 8)
    await Promise.all(
      fresh.slice(i, i + 8).map(async (p) => hashes.set(p.rec.username, await hashPassword(p.rec.password!))),
    );
  const counts = { created: 0, updated: 0, unchanged: 0 };
  for (const { rec, unitId, existing } of plan) {
    if (!existing) {
      await createUser(ctx, {
        username: rec.username,
        password: rec.password!,
        passwordHash: hashes.get(rec.username),
        name: rec.name,
        unitId,
        roles: rec.roles,
        officerType: rec.officerType,
        phone: rec.phone,
        email: rec.email,
      });
      counts.created++;
      continue;
    }
    const patch: Record<string, unknown> = {};
    if (rec.name !== existing.name) patch.name = rec.name;
    if (unitId !== existing.unit_id) patch.unitId = unitId;
    const sameRoles =
      rec.roles.length === existing.roles.length &&
      rec.roles.every((r: string) => existing.roles.includes(r));
    if (!sameRoles) patch.roles = rec.roles;
    if (rec.officerType && rec.officerType !== existing.officer_type) patch.officerType = rec.officerType;
    if (rec.phone && rec.phone !== existing.phone) patch.phone = rec.phone;
    if (rec.email && rec.email !== existing.email) patch.email = rec.email;
    if (Object.keys(patch).length) {
      await updateUser(ctx, existing.id, patch);
      counts.updated++;
    } else counts.unchanged++;
  }
  await audit(ctx, {
    stream: `unit:${actor.acting.id}`,
    action: 'users_imported',
    entityType: 'user',
    unitId: actor.acting.id,
    data: { rows: sheet.rows.length, ...counts },
  });
  return { rows: sheet.rows.length, ...counts };
}

export async function exportUsers(ctx: Ctx): Promise<Buffer> {
  authorize(ctx.actor, usersPolicy, 'export');
  const actor: Actor = ctx.actor;
  const units = await loadUnits(ctx, subtreeScope(actor, 'u'));
  const byId = new Map(units.map((u) => [u.id, u]));
  const ref = parentRefs(units);
  const r = await ctx.tx.execute<any>(sql`
    select u.* from users u join units un on un.id = u.unit_id
    where ${subtreeScope(actor, 'un')} and not u.disabled
    order by array_length(un.path, 1), un.name, u.username`);
  const rows = r.rows.map((u) => [
    u.username,
    u.name,
    ref(byId.get(u.unit_id)),
    (u.roles as string[]).map((x) => ROLE_NAMES[x as keyof typeof ROLE_NAMES] ?? x).join('、'),
    '',
    u.phone ?? '',
    u.email ?? '',
    u.officer_type ? (OFFICER_NAMES[u.officer_type] ?? '') : '',
  ]);
  return writeSheet('用户', USER_COLUMNS, rows, USER_TEMPLATE_NOTES);
}

export const userTemplate = () => writeSheet('用户', USER_COLUMNS, [], USER_TEMPLATE_NOTES);
