import { describe, expect, it } from 'vitest';
import {
  cellText,
  kindFromName,
  levelFromName,
  parseUnitRow,
  parseUserRow,
  type RawRowError,
  roleFromName,
  splitRoles,
  UNIT_COLUMNS,
  type UnitColumn,
  USER_COLUMNS,
  type UserColumn,
} from './excel.js';
import { type ExistingUnit, resolveUnitRecords } from './excel-resolve.js';

const unitRow = (row: number, values: string[]) => ({
  row,
  cells: Object.fromEntries(UNIT_COLUMNS.map((c, i) => [c, values[i] ?? ''])) as Record<UnitColumn, string>,
});
const userRow = (row: number, values: string[]) => ({
  row,
  cells: Object.fromEntries(USER_COLUMNS.map((c, i) => [c, values[i] ?? ''])) as Record<UserColumn, string>,
});

describe('reading cells and names', () => {
  it('reads numbers, rich text, hyperlinks and formula results as text', () => {
    expect(cellText(440300)).toBe('440300');
    expect(cellText({ richText: [{ text: '深圳' }, { text: '市 ' }] })).toBe('深圳市');
    expect(cellText({ text: 'a@b.cn', hyperlink: 'mailto:a@b.cn' })).toBe('a@b.cn');
    expect(cellText({ formula: 'A1', result: 7 } as any)).toBe('7');
    expect(cellText(null)).toBe('');
  });

  it('knows the Chinese names of kinds, levels and roles, and their common variants', () => {
    expect(kindFromName('党委办公室')).toBe('party_office');
    expect(kindFromName('党政办')).toBe('party_office');
    expect(kindFromName('总值班室')).toBe('duty_room');
    expect(kindFromName('department')).toBe('department');
    expect(kindFromName('办公楼')).toBeNull();
    expect(levelFromName('乡镇')).toBe('township');
    expect(levelFromName('街道')).toBe('township');
    expect(levelFromName('县级')).toBe('county');
    expect(splitRoles('信息员、分管领导, 主要负责人').map(roleFromName)).toEqual([
      'reporter',
      'approver',
      'principal',
    ]);
  });
});

describe('checking a row', () => {
  it('a unit row with an unknown type, a level on an office and a short code gives one error per cell', () => {
    const errors: RawRowError[] = [];
    expect(parseUnitRow(unitRow(7, ['甲', '办公楼', '', '', '', '', '']), errors)).toBeNull();
    expect(parseUnitRow(unitRow(8, ['乙', '部门', '县', '', '', '', '']), errors)).toBeNull();
    expect(parseUnitRow(unitRow(9, ['丙', '区域', '乡镇', '', '44030', '', '']), errors)).toBeNull();
    expect(parseUnitRow(unitRow(10, ['', '区域', '', '', '', 'abc', '']), errors)).toBeNull();
    expect(errors.map((e) => [e.row, e.column, e.key])).toEqual([
      [7, '类型', 'unknown_kind'],
      [8, '级别', 'level_only_for_area'],
      [9, '行政区划代码', 'bad_division_code'],
      [10, '名称', 'required'],
      [10, '级别', 'area_needs_level'],
      [10, '值班电话', 'bad_phone'],
    ]);
  });

  it('a user row with an unknown role and a bad e-mail is refused; a good one parses', () => {
    const errors: RawRowError[] = [];
    expect(parseUserRow(userRow(2, ['a b', '张三', '甲', '书记', '', '', 'x@', '']), errors)).toBeNull();
    expect(errors.map((e) => e.column)).toEqual(['用户名', '角色', '邮箱']);
    const ok = parseUserRow(
      userRow(3, ['zs', '张三', '甲', '信息员、值班员', 'Zs#Desk-2026', '139', '', '兼职']),
      [],
    );
    expect(ok).toMatchObject({ roles: ['reporter', 'duty_officer'], officerType: 'part_time' });
  });

  it('a weak initial password is refused in its row with the reason', () => {
    const errors: RawRowError[] = [];
    expect(parseUserRow(userRow(4, ['zs', '张三', '甲', '信息员', '123456', '', '', '']), errors)).toBeNull();
    expect(
      parseUserRow(userRow(5, ['ls', '李四', '甲', '信息员', 'woaini1314', '', '', '']), errors),
    ).toBeNull();
    expect(errors).toEqual([
      { row: 4, column: '初始密码', key: 'password_too_short', params: undefined },
      { row: 4, column: '初始密码', key: 'password_too_common', params: undefined },
      { row: 5, column: '初始密码', key: 'password_too_common', params: undefined },
    ]);
  });
});

describe('resolving parents', () => {
  const city: ExistingUnit = {
    id: 'c1',
    name: '示例市',
    kind: 'area',
    level: 'city',
    parentId: 'p1',
    divisionCode: '990100',
    dutyPhone: null,
    fax: null,
    path: ['root', 'p1', 'c1'],
  };
  const county: ExistingUnit = {
    ...city,
    id: 'k1',
    name: '东城区',
    level: 'county',
    parentId: 'c1',
    divisionCode: '990102',
    path: ['root', 'p1', 'c1', 'k1'],
  };
  const other: ExistingUnit = {
    ...county,
    id: 'k2',
    parentId: 'c9',
    divisionCode: '110101',
    path: ['root', 'c9', 'k2'],
  };
  const opts = { inScope: (p: string[]) => p.includes('c1'), isGlobalAdmin: false };
  const rec = (row: number, v: string[]) => parseUnitRow(unitRow(row, v), [])!;

  it('finds parents in the file regardless of order and existing units by code', () => {
    const { plan, errors } = resolveUnitRecords(
      [rec(2, ['甲镇党政办', '党政办', '', '甲镇']), rec(3, ['甲镇', '区域', '乡镇', '990102', '990102101'])],
      [city, county],
      opts,
    );
    expect(errors).toEqual([]);
    expect(plan.map((p) => [p.record.row, p.action, p.parentKey])).toEqual([
      [3, 'create', 'e:k1'],
      [2, 'create', 'n:3'],
    ]);
  });

  it('a name used by two units is ambiguous; a unit of the file naming itself is unresolved', () => {
    const { errors } = resolveUnitRecords(
      [rec(2, ['乙镇', '区域', '乡镇', '东城区']), rec(3, ['丙', '区域', '县', '丙'])],
      [city, county, other],
      opts,
    );
    expect(errors.map((e) => [e.row, e.key])).toEqual([
      [2, 'parent_ambiguous'],
      [3, 'parent_unresolved'],
    ]);
  });

  it('an existing unit is matched by parent, name and type; only filled-in changes update it', () => {
    const { plan } = resolveUnitRecords(
      [rec(2, ['东城区', '区域', '县', '990100', '', '0991-1']), rec(3, ['示例市', '区域', '市', '', ''])],
      [city, county],
      opts,
    );
    expect(plan.find((p) => p.record.row === 2)).toMatchObject({
      key: 'e:k1',
      action: 'update',
      patch: { dutyPhone: '0991-1' },
    });
  });

  it('outside the administrator’s subtree nothing may be created', () => {
    const { errors } = resolveUnitRecords([rec(2, ['新区', '区域', '县', '110101'])], [city, other], opts);
    expect(errors.map((e) => [e.row, e.column, e.key])).toEqual([[2, '级别', 'parent_not_higher']]);
    const r = resolveUnitRecords([rec(2, ['新市', '区域', '市', ''])], [city], opts);
    expect(r.errors.map((e) => e.key)).toEqual(['root_needs_global_admin']);
  });
});
