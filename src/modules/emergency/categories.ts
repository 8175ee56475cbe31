import { sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';

/**
 * 类别: the category tree after GB/T 35561 — `1` + class digit + sub-class letter + 2-digit detail.
 * Kept as data; seeded (upserted) at start so a deployment can add detail classes in the table.
 */
export const CATEGORY_TREE: Array<[code: string, name: string, nameEn: string]> = [
  ['11000', '自然灾害', 'Natural disaster'],
  ['11A00', '水旱灾害', 'Flood and drought'],
  ['11A01', '洪水', 'Flood'],
  ['11A02', '内涝', 'Waterlogging'],
  ['11A03', '山洪', 'Flash flood'],
  ['11A04', '干旱', 'Drought'],
  ['11A99', '其他水旱灾害', 'Other flood and drought'],
  ['11B00', '气象灾害', 'Meteorological disaster'],
  ['11B01', '台风', 'Typhoon'],
  ['11B02', '暴雨', 'Rainstorm'],
  ['11B03', '暴雪', 'Snowstorm'],
  ['11B04', '寒潮', 'Cold wave'],
  ['11B05', '大风', 'Gale'],
  ['11B06', '冰雹', 'Hail'],
  ['11B07', '雷电', 'Lightning'],
  ['11B08', '高温', 'Heat wave'],
  ['11B99', '其他气象灾害', 'Other meteorological'],
  ['11C00', '地震灾害', 'Earthquake'],
  ['11D00', '地质灾害', 'Geological disaster'],
  ['11D01', '滑坡', 'Landslide'],
  ['11D02', '泥石流', 'Debris flow'],
  ['11D03', '崩塌', 'Rockfall'],
  ['11D04', '地面塌陷', 'Ground collapse'],
  ['11E00', '海洋灾害', 'Marine disaster'],
  ['11F00', '生物灾害', 'Biological disaster'],
  ['11G00', '森林草原火灾', 'Forest and grassland fire'],
  ['11G01', '森林火灾', 'Forest fire'],
  ['11G02', '草原火灾', 'Grassland fire'],
  ['11Y00', '其他自然灾害', 'Other natural disaster'],
  ['12000', '事故灾难', 'Accident'],
  ['12A00', '煤矿事故', 'Coal mine accident'],
  ['12B00', '金属非金属矿山事故', 'Other mine accident'],
  ['12C00', '建筑业事故', 'Construction accident'],
  ['12D00', '危险化学品事故', 'Hazardous chemicals accident'],
  ['12D01', '危险化学品泄漏', 'Hazardous chemical leak'],
  ['12D02', '危险化学品爆炸', 'Hazardous chemical explosion'],
  ['12D03', '危险化学品火灾', 'Hazardous chemical fire'],
  ['12D04', '有毒气体中毒窒息', 'Toxic gas poisoning'],
  ['12E00', '烟花爆竹和民用爆炸物事故', 'Fireworks and explosives accident'],
  ['12F00', '其他工矿商贸事故', 'Other industrial and commercial accident'],
  ['12G00', '火灾事故', 'Fire'],
  ['12G01', '住宅火灾', 'Residential fire'],
  ['12G02', '人员密集场所火灾', 'Fire in a crowded place'],
  ['12G03', '厂房仓库火灾', 'Factory or warehouse fire'],
  ['12G04', '交通工具火灾', 'Vehicle fire'],
  ['12G99', '其他火灾', 'Other fire'],
  ['12H00', '道路交通事故', 'Road traffic accident'],
  ['12H01', '客车事故', 'Bus or coach accident'],
  ['12H02', '货车事故', 'Truck accident'],
  ['12H03', '危险品运输车辆事故', 'Dangerous goods vehicle accident'],
  ['12H04', '校车事故', 'School bus accident'],
  ['12H99', '其他道路交通事故', 'Other road traffic accident'],
  ['12J00', '水上交通事故', 'Waterway accident'],
  ['12K00', '铁路交通事故', 'Railway accident'],
  ['12L00', '城市轨道交通事故', 'Metro accident'],
  ['12M00', '民用航空器事故', 'Aviation accident'],
  ['12N00', '特种设备事故', 'Special equipment accident'],
  ['12P00', '基础设施和公用设施事故', 'Infrastructure and utilities accident'],
  ['12Q00', '环境污染和生态破坏事件', 'Pollution and ecological damage'],
  ['12R00', '农业机械事故', 'Farm machinery accident'],
  ['12S00', '踩踏事件', 'Crowd crush'],
  ['12T00', '核与辐射事故', 'Nuclear and radiation accident'],
  ['12U00', '能源供应中断事故', 'Energy supply interruption'],
  ['12Y00', '其他事故灾难', 'Other accident'],
  ['13000', '公共卫生事件', 'Public health event'],
  ['13A00', '传染病疫情', 'Infectious disease'],
  ['13A01', '甲类传染病', 'Class A infectious disease'],
  ['13A02', '乙类传染病', 'Class B infectious disease'],
  ['13A03', '丙类传染病', 'Class C infectious disease'],
  ['13A04', '新发传染病', 'Emerging infectious disease'],
  ['13B00', '食品药品安全事件', 'Food and drug safety'],
  ['13B01', '食物中毒', 'Food poisoning'],
  ['13B02', '药品安全事件', 'Drug safety event'],
  ['13B03', '疫苗安全事件', 'Vaccine safety event'],
  ['13C00', '群体性中毒、感染事件', 'Mass poisoning or infection'],
  ['13D00', '病原微生物等事件', 'Pathogen event'],
  ['13E00', '动物疫情', 'Animal epidemic'],
  ['13F00', '群体性不明原因疾病', 'Unexplained mass illness'],
  ['13Y00', '其他公共卫生事件', 'Other public health event'],
  ['14000', '社会安全事件', 'Social security event'],
  ['14A00', '群体性事件', 'Mass incident'],
  ['14A01', '非法集会游行示威', 'Illegal assembly'],
  ['14A02', '集体上访', 'Mass petitioning'],
  ['14A03', '堵塞交通', 'Blocking traffic'],
  ['14A04', '罢工罢课罢市', 'Strike'],
  ['14A05', '冲击党政机关', 'Storming of government organs'],
  ['14A99', '其他群体性事件', 'Other mass incident'],
  ['14B00', '刑事案件', 'Criminal case'],
  ['14C00', '金融突发事件', 'Financial emergency'],
  ['14D00', '影响市场稳定事件', 'Market stability event'],
  ['14E00', '民族宗教事件', 'Ethnic and religious event'],
  ['14F00', '恐怖袭击事件', 'Terrorist attack'],
  ['14G00', '涉外突发事件', 'Foreign-related event'],
  ['14H00', '信息安全事件', 'Information security event'],
  ['14J00', '网络舆情', 'Online public opinion'],
  ['14Y00', '其他社会安全事件', 'Other social security event'],
];

export function parentCodeOf(code: string): string | null {
  if (/^1\d000$/.test(code)) return null;
  if (code.endsWith('00')) return `${code.slice(0, 2)}000`;
  return `${code.slice(0, 3)}00`;
}

export const depthOf = (code: string) => (/^1\d000$/.test(code) ? 1 : code.endsWith('00') ? 2 : 3);

/** The sub-class (e.g. 12G00) a code belongs to; a class code stays itself. */
export const subClassOf = (code: string) => (depthOf(code) === 1 ? code : `${code.slice(0, 3)}00`);

export const CATEGORY_CODE_RE = /^1[1-4](000|[A-Z](\d{2}))$/;

export async function seedCategories(db: Db): Promise<void> {
  await db.execute(
    sql`insert into categories (code, name, name_en, parent_code, depth) values ${sql.join(
      CATEGORY_TREE.map(
        ([code, name, en]) => sql`(${code}, ${name}, ${en}, ${parentCodeOf(code)}, ${depthOf(code)})`,
      ),
      sql`, `,
    )} on conflict (code) do nothing`,
  );
}

export async function categoryExists(db: Db, code: string): Promise<boolean> {
  const r = await db.execute(sql`select 1 from categories where code = ${code}`);
  return (r.rowCount ?? 0) > 0;
}
