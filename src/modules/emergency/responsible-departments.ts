import { registerDefaultRuleSet } from '../../floor/rule-sets.js';

/**
 * Responsible department by event type (SPEC §2.2), as data: a row matches category prefixes or flags and
 * names the department type that must see the event and report on it.
 */
export interface ResponsibleDepartmentRow {
  name: string;
  categories?: string[];
  flags?: string[];
  departmentType: string;
}

export const DEFAULT_RESPONSIBLE_DEPARTMENTS: { rows: ResponsibleDepartmentRow[] } = {
  rows: [
    {
      name: '网络舆情 → 宣传部（网信办）',
      categories: ['14J'],
      flags: ['publicOpinion'],
      departmentType: 'propaganda',
    },
    { name: '信访、集体上访 → 信访局', categories: ['14A02'], departmentType: 'petitions' },
    {
      name: '安全生产事故 → 应急（安监）局',
      categories: ['12A', '12B', '12C', '12D', '12E', '12F', '12N'],
      departmentType: 'work_safety',
    },
    { name: '校园安全 → 教育局', flags: ['student'], departmentType: 'education' },
    { name: '灾害与救助 → 民政局', categories: ['11'], departmentType: 'civil_affairs' },
    {
      name: '群体性事件、交通事故、刑事案件、火灾 → 公安局',
      categories: ['14A', '12H', '14B', '12G', '14F'],
      flags: ['massIncident'],
      departmentType: 'police',
    },
    { name: '环境污染 → 生态环境局', categories: ['12Q'], departmentType: 'environment' },
    { name: '水上交通、公共交通事故 → 交通运输局', categories: ['12J', '12L'], departmentType: 'transport' },
    {
      name: '风雪洪涝农业灾害 → 农业农村局',
      categories: ['11B03', '11B05', '11B06'],
      departmentType: 'agriculture',
    },
    { name: '洪涝 → 水利局', categories: ['11A'], departmentType: 'water' },
    { name: '动物疫情 → 畜牧兽医局', categories: ['13E'], departmentType: 'animal_health' },
    { name: '疫情 → 卫生健康委', categories: ['13A', '13C', '13D', '13F'], departmentType: 'health' },
    {
      name: '民族宗教 → 民族宗教局',
      categories: ['14E'],
      flags: ['ethnic_religious'],
      departmentType: 'ethnic_religious',
    },
    { name: '水气暖供应 → 公用事业局', categories: ['12P', '12U'], departmentType: 'utilities' },
    { name: '食品药品 → 市场监管局', categories: ['13B'], departmentType: 'market_regulation' },
    { name: '地震 → 地震局', categories: ['11C'], departmentType: 'earthquake' },
    { name: '敌社情 → 国安局', categories: ['14G', '14H'], departmentType: 'state_security' },
    { name: '供电事故 → 供电公司', categories: ['12U'], departmentType: 'power' },
    { name: '河道洪水、凌汛 → 河务局', categories: ['11A01'], departmentType: 'river' },
    { name: '金融稳定 → 银保监分局', categories: ['14C'], departmentType: 'banking' },
  ],
};
registerDefaultRuleSet('responsible_departments', DEFAULT_RESPONSIBLE_DEPARTMENTS);

export function responsibleDepartmentTypes(
  rs: { rows: ResponsibleDepartmentRow[] },
  categoryCode: string,
  flags: Record<string, unknown>,
): string[] {
  const active = new Set<string>();
  for (const [k, v] of Object.entries(flags ?? {})) {
    if (v === true) active.add(k);
    if (Array.isArray(v)) for (const x of v) active.add(String(x));
  }
  const out = new Set<string>();
  for (const r of rs.rows) {
    if (r.categories?.some((p) => categoryCode.startsWith(p)) || r.flags?.some((f) => active.has(f)))
      out.add(r.departmentType);
  }
  return [...out];
}
