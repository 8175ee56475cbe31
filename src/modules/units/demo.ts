import { sql } from 'drizzle-orm';
import type { Ctx, Role } from '../../floor/context.js';
import { hashPassword } from '../auth/password.js';

/** The password of every demo user (and of `admin` unless JIBAO_ADMIN_PASSWORD says otherwise). */
export const DEMO_PASSWORD = 'Jibao@2026';

import { insertUnit, type UnitRow } from './units.repo.js';

/**
 * Demo data: a fictional province and city (示例省 · 示例市) with two districts/counties, four townships,
 * both general offices, duty room, confidential bureau and emergency office at city and county level, ten
 * county departments, and users enough to walk a report from a township up to the city.
 * Division codes start with 99 (not a real province), so they never clash with areas created from the table.
 */
export const DEMO_USERS: Array<{
  username: string;
  name: string;
  unit: string;
  roles: Role[];
  post: string;
  officerType?: string;
}> = [
  {
    username: 'cgz_xxy',
    name: '李晓梅',
    unit: '城关街道党政办',
    roles: ['reporter'],
    post: '专职信息员',
    officerType: 'full_time',
  },
  {
    username: 'cgz_xxy2',
    name: '陈宇',
    unit: '城关街道党政办',
    roles: ['reporter'],
    post: '兼职信息员',
    officerType: 'part_time',
  },
  { username: 'cgz_fgld', name: '王建国', unit: '城关街道党政办', roles: ['approver'], post: '分管副主任' },
  { username: 'cgz_zyfzr', name: '赵志强', unit: '城关街道党政办', roles: ['principal'], post: '党工委书记' },
  {
    username: 'hsz_xxy',
    name: '孙丽',
    unit: '河西镇党政办',
    roles: ['reporter'],
    post: '专职信息员',
    officerType: 'full_time',
  },
  {
    username: 'hsz_ld',
    name: '周伟',
    unit: '河西镇党政办',
    roles: ['approver', 'principal'],
    post: '镇党委书记',
  },
  {
    username: 'dc_xxk',
    name: '刘芳',
    unit: '东城区委办公室',
    roles: ['editor', 'reporter'],
    post: '信息科科长',
  },
  { username: 'dc_fgld', name: '黄涛', unit: '东城区委办公室', roles: ['approver'], post: '区委办副主任' },
  { username: 'dc_zyfzr', name: '吴刚', unit: '东城区委办公室', roles: ['principal'], post: '区委办主任' },
  {
    username: 'dc_zby',
    name: '郑敏',
    unit: '东城区委区政府总值班室',
    roles: ['duty_officer'],
    post: '值班员',
  },
  {
    username: 'dc_dbld',
    name: '冯军',
    unit: '东城区委区政府总值班室',
    roles: ['duty_leader'],
    post: '带班领导',
  },
  {
    username: 'dc_ga_xxy',
    name: '何磊',
    unit: '东城区公安分局',
    roles: ['reporter'],
    post: '信息员',
    officerType: 'full_time',
  },
  {
    username: 'dc_ga_ld',
    name: '马永',
    unit: '东城区公安分局',
    roles: ['approver', 'principal'],
    post: '分局局长',
  },
  { username: 'dc_ld', name: '林书记', unit: '东城区委办公室', roles: ['leader'], post: '区委书记' },
  {
    username: 'sz_xxk',
    name: '杨帆',
    unit: '示例市委办公室',
    roles: ['editor', 'reporter'],
    post: '信息科科长',
  },
  { username: 'sz_fgld', name: '许明', unit: '示例市委办公室', roles: ['approver'], post: '市委办副主任' },
  { username: 'sz_zyfzr', name: '邓华', unit: '示例市委办公室', roles: ['principal'], post: '市委秘书长' },
  {
    username: 'sz_zby',
    name: '谢婷',
    unit: '示例市委市政府总值班室',
    roles: ['duty_officer'],
    post: '值班员',
  },
  { username: 'sz_ld', name: '高市长', unit: '示例市政府办公室', roles: ['leader'], post: '市长' },
  { username: 'sj_xxk', name: '罗静', unit: '示例省委办公厅', roles: ['editor'], post: '信息处处长' },
];

const OFFICES = (area: string, short: string) => [
  { name: `${area}委办公室`, kind: 'party_office' },
  { name: `${area}政府办公室`, kind: 'gov_office' },
  { name: `${area}委${short}政府总值班室`, kind: 'duty_room' },
  { name: `${area}委机要局`, kind: 'confidential_bureau' },
  { name: `${area}应急管理局（应急办）`, kind: 'emergency_office' },
];

const COUNTY_DEPARTMENTS: Array<[string, string]> = [
  ['公安分局', 'police'],
  ['应急管理局安全生产科', 'work_safety'],
  ['卫生健康局', 'health'],
  ['教育局', 'education'],
  ['民政局', 'civil_affairs'],
  ['生态环境分局', 'environment'],
  ['交通运输局', 'transport'],
  ['水利局', 'water'],
  ['信访局', 'petitions'],
  ['委宣传部（网信办）', 'propaganda'],
];

export async function loadDemo(ctx: Ctx, root: UnitRow): Promise<void> {
  const byName = new Map<string, UnitRow>();
  const add = async (
    parent: UnitRow,
    u: {
      name: string;
      kind: string;
      level?: string | null;
      divisionCode?: string | null;
      departmentType?: string;
      dutyPhone?: string;
    },
  ) => {
    const row = await insertUnit(ctx.tx, {
      name: u.name,
      kind: u.kind,
      level: u.level ?? null,
      parentId: parent.id,
      parentPath: parent.path,
      divisionCode: u.divisionCode ?? null,
      departmentType: u.departmentType ?? null,
      dutyPhone: u.dutyPhone ?? null,
    });
    byName.set(u.name, row);
    return row;
  };
  const province = await add(root, {
    name: '示例省',
    kind: 'area',
    level: 'province',
    divisionCode: '990000',
  });
  await add(province, { name: '示例省委办公厅', kind: 'party_office', dutyPhone: '0990-1000000' });
  await add(province, { name: '示例省政府办公厅', kind: 'gov_office', dutyPhone: '0990-1000001' });
  await add(province, { name: '示例省委省政府总值班室', kind: 'duty_room', dutyPhone: '0990-1000002' });
  const city = await add(province, { name: '示例市', kind: 'area', level: 'city', divisionCode: '990100' });
  for (const [i, o] of OFFICES('示例市', '市').entries())
    await add(city, { ...o, dutyPhone: `0991-800000${i}` });
  const counties = [
    {
      name: '东城区',
      short: '区',
      code: '990102',
      towns: [
        ['城关街道', '990102001'],
        ['东湖街道', '990102002'],
      ],
    },
    {
      name: '西山县',
      short: '县',
      code: '990121',
      towns: [
        ['河西镇', '990121101'],
        ['石桥乡', '990121201'],
      ],
    },
  ];
  for (const [ci, c] of counties.entries()) {
    const county = await add(city, { name: c.name, kind: 'area', level: 'county', divisionCode: c.code });
    for (const [i, o] of OFFICES(c.name, c.short).entries())
      await add(county, { ...o, dutyPhone: `099${ci + 2}-81000${i}` });
    for (const [i, [dn, type]] of COUNTY_DEPARTMENTS.entries())
      await add(county, {
        name: `${c.name}${dn}`,
        kind: 'department',
        departmentType: type,
        dutyPhone: `099${ci + 2}-82${String(i).padStart(3, '0')}`,
      });
    for (const [ti, [tn, code]] of c.towns.entries()) {
      const town = await add(county, { name: tn, kind: 'area', level: 'township', divisionCode: code });
      await add(town, { name: `${tn}党政办`, kind: 'party_office', dutyPhone: `099${ci + 2}-83${ti}00` });
    }
  }
  const hash = await hashPassword(DEMO_PASSWORD);
  for (const u of DEMO_USERS) {
    const unit = byName.get(u.unit);
    if (!unit) throw new Error(`demo unit missing: ${u.unit}`);
    await ctx.tx.execute(sql`insert into users (username, password_hash, name, unit_id, roles, post, officer_type, phone)
      values (${u.username}, ${hash}, ${u.name}, ${unit.id}, ${sql.raw(`array[${u.roles.map((r) => `'${r}'`).join(',')}]::text[]`)},
        ${u.post}, ${u.officerType ?? null}, ${`1380000${String(DEMO_USERS.indexOf(u)).padStart(4, '0')}`})`);
  }
}
