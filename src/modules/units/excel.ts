import ExcelJS from 'exceljs';
import type { Role } from '../../floor/context.js';
import { type Lang, registerMessages, t } from '../../floor/i18n.js';
import { passwordProblems } from '../auth/password-policy.js';

/**
 * Excel (.xlsx) import and export of units and users: one record a row, header row in Chinese. This file is
 * pure: reading and writing workbooks, the Chinese names of kinds, levels and roles, and checking the cells of
 * a row. Resolving references against the database and writing happen in excel-import.ts.
 */

export const UNIT_COLUMNS = ['名称', '类型', '级别', '上级单位', '行政区划代码', '值班电话', '传真'] as const;
export const USER_COLUMNS = [
  '用户名',
  '姓名',
  '所属单位',
  '角色',
  '初始密码',
  '手机',
  '邮箱',
  '信息员类型',
] as const;
export type UnitColumn = (typeof UNIT_COLUMNS)[number];
export type UserColumn = (typeof USER_COLUMNS)[number];

export const KIND_NAMES: Record<string, string> = {
  area: '区域',
  party_office: '党委办公室',
  gov_office: '政府办公室',
  duty_room: '值班室',
  confidential_bureau: '机要局',
  emergency_office: '应急办',
  department: '部门',
  enterprise: '企业',
};
const KIND_ALIASES: Record<string, string> = {
  行政区域: 'area',
  区划: 'area',
  党委办: 'party_office',
  党政办: 'party_office',
  党委办公厅: 'party_office',
  政府办: 'gov_office',
  政府办公厅: 'gov_office',
  总值班室: 'duty_room',
  应急管理局: 'emergency_office',
  应急办公室: 'emergency_office',
  委办局: 'department',
  重点联系单位: 'enterprise',
};

export const LEVEL_NAMES: Record<string, string> = {
  nation: '全国',
  province: '省',
  city: '市',
  county: '县',
  township: '乡镇',
};
const LEVEL_ALIASES: Record<string, string> = {
  国家: 'nation',
  中央: 'nation',
  省级: 'province',
  市级: 'city',
  地级: 'city',
  县级: 'county',
  区县: 'county',
  县区: 'county',
  区: 'county',
  乡镇街道: 'township',
  乡镇级: 'township',
  街道: 'township',
  乡: 'township',
  镇: 'township',
};

export const ROLE_NAMES: Record<Role, string> = {
  reporter: '信息员',
  approver: '分管领导',
  principal: '主要负责人',
  duty_officer: '值班员',
  duty_leader: '带班领导',
  editor: '信息科编辑',
  leader: '领导',
  admin: '管理员',
  auditor: '审计管理员',
};
const ROLE_ALIASES: Record<string, Role> = { 信息科: 'editor', 编辑: 'editor', 审签: 'approver' };

export const OFFICER_NAMES: Record<string, string> = { full_time: '专职', part_time: '兼职' };

function lookup(
  value: string,
  names: Record<string, string>,
  aliases: Record<string, string>,
): string | null {
  const v = value.trim();
  if (!v) return null;
  if (names[v] !== undefined) return v; // the code itself
  for (const [code, name] of Object.entries(names)) if (name === v) return code;
  return aliases[v] ?? null;
}
export const kindFromName = (v: string) => lookup(v, KIND_NAMES, KIND_ALIASES);
export const levelFromName = (v: string) => lookup(v, LEVEL_NAMES, LEVEL_ALIASES);
export const officerTypeFromName = (v: string) =>
  lookup(v.replace(/信息员$/, ''), OFFICER_NAMES, { 全职: 'full_time' });
export const roleFromName = (v: string) => lookup(v, ROLE_NAMES, ROLE_ALIASES) as Role | null;

/** Roles are written 信息员、分管领导; commas, semicolons and spaces are accepted too. */
export const splitRoles = (v: string) =>
  v
    .split(/[、,，;；/\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export const isDivisionCodeLike = (v: string) => /^(\d{6}|\d{9})$/.test(v);

registerMessages(
  {
    'import.required': '必须填写。',
    'import.unknown_kind': '未知的类型“{value}”，可填：{allowed}。',
    'import.unknown_level': '未知的级别“{value}”，可填：{allowed}。',
    'import.area_needs_level': '区域单位必须填写级别。',
    'import.level_only_for_area': '只有区域单位填写级别。',
    'import.bad_division_code': '行政区划代码格式不对：县级及以上为 6 位数字，乡镇（街道）为 9 位数字。',
    'import.too_long': '内容过长（最多 {max} 个字符）。',
    'import.parent_not_found':
      '找不到上级单位“{value}”（填名称或行政区划代码，须是本表中或您管辖范围内的单位）。',
    'import.parent_ambiguous': '上级单位“{value}”不唯一（有 {count} 个），请改填行政区划代码。',
    'import.parent_unresolved': '上级单位无法确定（循环引用或引用了自身）。',
    'import.parent_not_area': '上级单位必须是区域单位（办公室、部门、企业挂在它服务的区域下）。',
    'import.parent_not_higher': '上级区域的级别必须高于本区域。',
    'import.unit_needs_parent': '非区域单位必须填写上级单位（它所服务的区域）。',
    'import.root_needs_global_admin': '只有最高一级的管理员可以创建顶层单位，请填写上级单位。',
    'import.out_of_scope': '该单位不在您的管辖范围内。',
    'import.duplicate_row': '与第 {other} 行重复。',
    'import.level_differs': '与系统中已有单位的级别（{existing}）不一致。',
    'import.missing_column': '缺少列“{column}”。',
    'import.no_rows': '表中没有数据行。',
    'import.bad_username': '用户名只能由字母、数字和 _ . @ - 组成，2–64 个字符。',
    'import.unit_not_found': '找不到单位“{value}”（填名称或行政区划代码，须在您的管辖范围内）。',
    'import.unit_ambiguous': '单位“{value}”不唯一（有 {count} 个），请改填行政区划代码或完整名称。',
    'import.unknown_role': '未知的角色“{value}”，可填：{allowed}。',
    'import.password_required': '新用户必须填写初始密码。',
    'import.password_too_short': '初始密码至少 10 位。',
    'import.password_same_as_username': '初始密码不能与用户名相同，也不能以用户名为主体。',
    'import.password_too_common':
      '初始密码过于常见，容易被猜到（如常用密码、纯数字、键盘顺序、拼音或姓名加数字）。',
    'import.bad_email': '邮箱格式不对。',
    'import.bad_phone': '电话号码格式不对。',
    'import.unknown_officer_type': '未知的信息员类型“{value}”，可填：专职、兼职。',
    'import.username_taken': '用户名“{value}”已被您管辖范围以外的用户使用。',
  },
  {
    'import.required': 'Required.',
    'import.unknown_kind': 'Unknown type "{value}"; allowed: {allowed}.',
    'import.unknown_level': 'Unknown level "{value}"; allowed: {allowed}.',
    'import.area_needs_level': 'An area needs a level.',
    'import.level_only_for_area': 'Only areas have a level.',
    'import.bad_division_code':
      'Division code format: 6 digits for county level and above, 9 digits for townships and streets.',
    'import.too_long': 'Too long (at most {max} characters).',
    'import.parent_not_found':
      'Parent unit "{value}" not found (give a name or division code of a unit in this file or in your scope).',
    'import.parent_ambiguous': 'Parent unit "{value}" is ambiguous ({count} units); give its division code.',
    'import.parent_unresolved': 'The parent unit cannot be determined (circular or self reference).',
    'import.parent_not_area':
      'The parent must be an area (offices, departments and enterprises sit under the area they serve).',
    'import.parent_not_higher': 'The parent area must be of a higher level.',
    'import.unit_needs_parent': 'A non-area unit needs a parent unit (the area it serves).',
    'import.root_needs_global_admin':
      'Only the top-level administrator can create a top-level unit; give a parent unit.',
    'import.out_of_scope': 'This unit is outside your scope.',
    'import.duplicate_row': 'Duplicates row {other}.',
    'import.level_differs': 'Differs from the level of the existing unit ({existing}).',
    'import.missing_column': 'Column "{column}" is missing.',
    'import.no_rows': 'The sheet has no data rows.',
    'import.bad_username': 'A username has 2–64 letters, digits and _ . @ - only.',
    'import.unit_not_found':
      'Unit "{value}" not found (give a name or division code of a unit in your scope).',
    'import.unit_ambiguous':
      'Unit "{value}" is ambiguous ({count} units); give its division code or full name.',
    'import.unknown_role': 'Unknown role "{value}"; allowed: {allowed}.',
    'import.password_required': 'A new user needs an initial password.',
    'import.password_too_short': 'The initial password needs at least 10 characters.',
    'import.password_same_as_username': 'The initial password must not be the username or built on it.',
    'import.password_too_common':
      'The initial password is too common and easy to guess (a common password, digits only, a keyboard run, a name or word plus digits).',
    'import.bad_email': 'Not a valid e-mail address.',
    'import.bad_phone': 'Not a valid phone number.',
    'import.unknown_officer_type': 'Unknown information-officer type "{value}"; allowed: 专职, 兼职.',
    'import.username_taken': 'The username "{value}" belongs to a user outside your scope.',
  },
);

/** One problem in the file, in terms a user can find: the Excel row number and the column header. */
export interface RowError {
  row: number;
  column: string | null;
  message: string;
}

/** A problem before translation. */
export interface RawRowError {
  row: number;
  column: string | null;
  key: string;
  params?: Record<string, string | number>;
}

export const translateErrors = (lang: Lang, errors: RawRowError[]): RowError[] =>
  [...errors]
    .sort((a, b) => a.row - b.row)
    .map((e) => ({ row: e.row, column: e.column, message: t(lang, `import.${e.key}`, e.params ?? {}) }));

/** The text of a cell whatever Excel stored: numbers, rich text, hyperlinks, formula results. */
export function cellText(v: ExcelJS.CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    if ('richText' in v)
      return v.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('text' in v) return cellText((v as { text: ExcelJS.CellValue }).text);
    if ('result' in v) return cellText((v as { result?: ExcelJS.CellValue }).result);
    if ('error' in v) return '';
  }
  return String(v).trim();
}

export interface SheetRow<C extends string> {
  row: number;
  cells: Record<C, string>;
}

/**
 * Read the first worksheet: row 1 is the header (columns found by name, in any order, extra columns ignored),
 * every non-empty row below is one record.
 */
export async function readSheet<C extends string>(
  buffer: Buffer,
  columns: readonly C[],
): Promise<{ rows: SheetRow<C>[]; errors: RawRowError[] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const errors: RawRowError[] = [];
  if (!ws) return { rows: [], errors: [{ row: 1, column: null, key: 'no_rows' }] };
  const header = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => {
    const name = cellText(cell.value).replace(/[\s*＊]/g, '');
    if (name && !header.has(name)) header.set(name, col);
  });
  for (const c of columns)
    if (!header.has(c)) errors.push({ row: 1, column: c, key: 'missing_column', params: { column: c } });
  if (errors.length) return { rows: [], errors };
  const rows: SheetRow<C>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const cells = {} as Record<C, string>;
    let any = false;
    for (const c of columns) {
      const v = cellText(row.getCell(header.get(c)!).value);
      cells[c] = v;
      if (v) any = true;
    }
    if (any) rows.push({ row: n, cells });
  });
  if (rows.length === 0) errors.push({ row: 2, column: null, key: 'no_rows' });
  return { rows, errors };
}

/** A workbook with one sheet of records (text cells, so codes and phones keep their leading zeros). */
export async function writeSheet(
  sheetName: string,
  columns: readonly string[],
  rows: string[][],
  notes?: Array<[string, string]>,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Jibao 急报';
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({
    header: c,
    key: c,
    width: Math.max(12, c.length * 4),
    style: { numFmt: '@' },
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  if (notes) {
    const help = wb.addWorksheet('说明');
    help.columns = [
      { header: '项目', key: 'k', width: 16 },
      { header: '说明', key: 'v', width: 100 },
    ];
    help.getRow(1).font = { bold: true };
    for (const [k, v] of notes) help.addRow([k, v]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const joinNames = (m: Record<string, string>) => Object.values(m).join('、');

export const UNIT_TEMPLATE_NOTES: Array<[string, string]> = [
  ['名称', '必填。单位全称，如 城关街道、东城区委办公室。'],
  ['类型', `必填。可填：${joinNames(KIND_NAMES)}。`],
  ['级别', `区域单位必填，其他单位不填。可填：${joinNames(LEVEL_NAMES)}。`],
  [
    '上级单位',
    '填上级单位的名称或行政区划代码（本表中的单位或系统中已有的单位）。区域的上级是上一级区域，办公室、部门、企业的上级是它所服务的区域。',
  ],
  ['行政区划代码', '县级及以上 6 位数字，乡镇（街道）9 位数字；可不填。'],
  ['值班电话、传真', '可不填。'],
  [
    '已有单位',
    '同一上级下名称和类型相同的单位视为已有单位：只更新填写了的电话、传真、代码，空白的保持不变。',
  ],
  ['校验', '导入前逐行检查；有任何一行出错，整个文件都不导入，并列出出错的行号和列。'],
];

export const USER_TEMPLATE_NOTES: Array<[string, string]> = [
  ['用户名', '必填。字母、数字和 _ . @ -，2–64 个字符。已有的用户名表示更新该用户。'],
  ['姓名', '必填。'],
  ['所属单位', '必填。单位名称或行政区划代码，须在您的管辖范围内。'],
  ['角色', `可填多个，用“、”分隔：${joinNames(ROLE_NAMES)}。`],
  ['初始密码', '新用户必填，至少 10 位，不能是用户名或常见密码；已有用户不修改密码。'],
  ['手机、邮箱', '可不填。'],
  ['信息员类型', '信息员填写：专职 或 兼职。'],
  ['校验', '导入前逐行检查；有任何一行出错，整个文件都不导入，并列出出错的行号和列。'],
];

// ---------------------------------------------------------------------------------------------------------
// Rows → records (cell checks only; references are resolved against the database later)

export interface UnitRecord {
  row: number;
  name: string;
  kind: string;
  level: string | null;
  parentRef: string;
  divisionCode: string | null;
  dutyPhone: string | null;
  fax: string | null;
}

const PHONE = /^[0-9+\-()（）\s,，/转]{3,40}$/;

export function parseUnitRow(r: SheetRow<UnitColumn>, errors: RawRowError[]): UnitRecord | null {
  const c = r.cells;
  const before = errors.length;
  const err = (column: UnitColumn, key: string, params?: Record<string, string | number>) =>
    errors.push({ row: r.row, column, key, params });
  if (!c.名称) err('名称', 'required');
  else if (c.名称.length > 100) err('名称', 'too_long', { max: 100 });
  const kind = c.类型 ? kindFromName(c.类型) : null;
  if (!c.类型) err('类型', 'required');
  else if (!kind) err('类型', 'unknown_kind', { value: c.类型, allowed: joinNames(KIND_NAMES) });
  const level = c.级别 ? levelFromName(c.级别) : null;
  if (c.级别 && !level) err('级别', 'unknown_level', { value: c.级别, allowed: joinNames(LEVEL_NAMES) });
  if (kind === 'area' && !c.级别) err('级别', 'area_needs_level');
  if (kind && kind !== 'area' && c.级别) err('级别', 'level_only_for_area');
  const code = c.行政区划代码 || null;
  if (code && kind && (kind !== 'area' || level)) {
    const ok = kind === 'area' ? (level === 'township' ? /^\d{9}$/ : /^\d{6}$/) : /^(\d{6}|\d{9})$/;
    if (!ok.test(code)) err('行政区划代码', 'bad_division_code');
  }
  if (c.值班电话 && !PHONE.test(c.值班电话)) err('值班电话', 'bad_phone');
  if (c.传真 && !PHONE.test(c.传真)) err('传真', 'bad_phone');
  if (errors.length > before) return null;
  return {
    row: r.row,
    name: c.名称,
    kind: kind!,
    level,
    parentRef: c.上级单位,
    divisionCode: code,
    dutyPhone: c.值班电话 || null,
    fax: c.传真 || null,
  };
}

export interface UserRecord {
  row: number;
  username: string;
  name: string;
  unitRef: string;
  roles: Role[];
  password: string | null;
  phone: string | null;
  email: string | null;
  officerType: 'full_time' | 'part_time' | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseUserRow(r: SheetRow<UserColumn>, errors: RawRowError[]): UserRecord | null {
  const c = r.cells;
  const before = errors.length;
  const err = (column: UserColumn, key: string, params?: Record<string, string | number>) =>
    errors.push({ row: r.row, column, key, params });
  if (!c.用户名) err('用户名', 'required');
  else if (!/^[A-Za-z0-9_.@-]{2,64}$/.test(c.用户名)) err('用户名', 'bad_username');
  if (!c.姓名) err('姓名', 'required');
  else if (c.姓名.length > 60) err('姓名', 'too_long', { max: 60 });
  if (!c.所属单位) err('所属单位', 'required');
  const roles: Role[] = [];
  for (const name of splitRoles(c.角色)) {
    const role = roleFromName(name);
    if (role) {
      if (!roles.includes(role)) roles.push(role);
    } else err('角色', 'unknown_role', { value: name, allowed: joinNames(ROLE_NAMES) });
  }
  if (c.初始密码.length > 128) err('初始密码', 'too_long', { max: 128 });
  else if (c.初始密码)
    for (const problem of passwordProblems(c.初始密码, c.用户名)) err('初始密码', `password_${problem}`);
  if (c.手机 && !PHONE.test(c.手机)) err('手机', 'bad_phone');
  if (c.邮箱 && !EMAIL.test(c.邮箱)) err('邮箱', 'bad_email');
  const officerType = c.信息员类型 ? officerTypeFromName(c.信息员类型) : null;
  if (c.信息员类型 && !officerType) err('信息员类型', 'unknown_officer_type', { value: c.信息员类型 });
  if (errors.length > before) return null;
  return {
    row: r.row,
    username: c.用户名,
    name: c.姓名,
    unitRef: c.所属单位,
    roles,
    password: c.初始密码 || null,
    phone: c.手机 || null,
    email: c.邮箱 || null,
    officerType: officerType as UserRecord['officerType'],
  };
}
