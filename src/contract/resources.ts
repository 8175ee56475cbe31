/**
 * 一网五库: the lists both the API (its enums) and the web (its pickers) use — register kinds, team types,
 * readiness, plan kinds, response levels, stock move kinds and the supplies catalogue (classes after
 * GB/T 38565 应急物资分类及编码: 生命救助, 生活救助, 工程抢险, 专用处置, …).
 */
export const REGISTER_KINDS = [
  'warehouse',
  'team',
  'expert',
  'shelter',
  'air_defence_work',
  'command_post',
  'key_target',
] as const;
export type RegisterKind = (typeof REGISTER_KINDS)[number];
/**
 * 人防工程, 指挥所 and 重要经济目标 are internal: seen only by their owner (the 人防 office), the offices and the
 * leaders of the areas it belongs to; every read is logged.
 */
export const INTERNAL_KINDS: readonly RegisterKind[] = ['air_defence_work', 'command_post', 'key_target'];
/** the path segment of each register under /api/resources */
export const REGISTER_PATHS: Record<RegisterKind, string> = {
  warehouse: 'warehouses',
  team: 'teams',
  expert: 'experts',
  shelter: 'shelters',
  air_defence_work: 'air-defence-works',
  command_post: 'command-posts',
  key_target: 'key-targets',
};

export const READINESS = ['ready', 'standby', 'deployed', 'unavailable'] as const;
export type Readiness = (typeof READINESS)[number];
/** 专业队伍, 民兵, 志愿者, 人防专业队 */
export const TEAM_TYPES = ['professional', 'militia', 'volunteer', 'air_defence'] as const;
export const SHELTER_TYPES = ['emergency', 'fixed', 'central', 'air_defence'] as const;

export const PLAN_KINDS = ['overall', 'special', 'department', 'air_defence'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];
export const RESPONSE_LEVELS = ['I', 'II', 'III', 'IV'] as const;
export type ResponseLevel = (typeof RESPONSE_LEVELS)[number];

export const STOCK_MOVE_KINDS = ['in', 'out', 'transfer', 'loss'] as const;
export type StockMoveKind = (typeof STOCK_MOVE_KINDS)[number];

/** The supplies catalogue shipped as data: code (class letter + number), Chinese name, English name, unit. */
export const SUPPLY_ITEMS: ReadonlyArray<
  readonly [code: string, name: string, nameEn: string, unit: string]
> = [
  ['A01', '救生衣', 'Life jacket', '件'],
  ['A02', '救生圈', 'Life buoy', '个'],
  ['A03', '冲锋舟', 'Assault boat', '艘'],
  ['A04', '医用口罩', 'Medical mask', '只'],
  ['A05', '急救包', 'First-aid kit', '个'],
  ['B01', '帐篷', 'Tent', '顶'],
  ['B02', '棉被', 'Quilt', '床'],
  ['B03', '折叠床', 'Folding bed', '张'],
  ['B04', '矿泉水', 'Bottled water', '箱'],
  ['B05', '方便食品', 'Ready-to-eat food', '箱'],
  ['B06', '大米', 'Rice', '吨'],
  ['C01', '编织袋', 'Woven sandbag', '条'],
  ['C02', '砂石料', 'Sand and gravel', '立方米'],
  ['C03', '发电机', 'Generator', '台'],
  ['C04', '抽水泵', 'Water pump', '台'],
  ['C05', '照明灯组', 'Lighting set', '套'],
  ['D01', '灭火器', 'Fire extinguisher', '具'],
  ['D02', '防化服', 'Chemical protective suit', '套'],
  ['D03', '吸油毡', 'Oil-absorbent felt', '千克'],
  ['D04', '消毒剂', 'Disinfectant', '千克'],
];
export const supplyItem = (code: string) => SUPPLY_ITEMS.find((i) => i[0] === code);
