import ExcelJS from 'exceljs';
import type { RegisterKind } from '../../contract/resources.js';
import type { UserCtx } from '../../floor/context.js';
import { listRegister } from './registers.service.js';
import type { EntryFilter } from './resources.repo.js';
import { registerFields } from './resources.schema.js';

const KIND_ZH: Record<RegisterKind, string> = {
  warehouse: '物资仓库',
  team: '应急队伍',
  expert: '应急专家',
  shelter: '避难场所',
  air_defence_work: '人防工程',
  command_post: '人防指挥所',
  key_target: '重要经济目标',
};
const FIELD_ZH: Record<string, string> = {
  level: '级别',
  areaSqm: '面积（平方米）',
  manager: '负责人',
  teamType: '队伍类型',
  headcount: '人数',
  equipment: '主要装备',
  speciality: '专长',
  readiness: '战备状态',
  categoryCodes: '适用事件类别',
  field: '专业领域',
  employer: '工作单位',
  title: '职称',
  shelterType: '场所类型',
  capacity: '可容纳人数',
  workType: '工程类别',
  protectionLevel: '防护等级',
  checkedOn: '最近检查日期',
  targetType: '目标类别',
};
const READINESS_ZH: Record<string, string> = {
  ready: '战备就绪',
  standby: '待命',
  deployed: '已出动',
  unavailable: '不可用',
};

/**
 * A register as an Excel file: what the caller may read (internal registers only for those who see them, each
 * read logged by the listing), phones only where the caller may see them.
 */
export async function registerWorkbook(ctx: UserCtx, kind: RegisterKind, f: EntryFilter): Promise<Buffer> {
  const { items } = await listRegister(ctx, kind, f);
  const wb = new ExcelJS.Workbook();
  wb.creator = '急报 Jibao';
  const ws = wb.addWorksheet(KIND_ZH[kind]);
  const extra = Object.keys(registerFields[kind]);
  ws.columns = [
    { header: '名称', key: 'name', width: 30 },
    { header: '所属单位', key: 'unitName', width: 20 },
    ...extra.map((k) => ({ header: FIELD_ZH[k] ?? k, key: k, width: 16 })),
    { header: '地址', key: 'address', width: 30 },
    { header: '经度', key: 'lng', width: 12 },
    { header: '纬度', key: 'lat', width: 12 },
    { header: '联系人', key: 'contactName', width: 12 },
    { header: '联系电话', key: 'phone', width: 16 },
  ];
  for (const e of items) {
    const row: Record<string, unknown> = { ...e };
    if (e.readiness) row.readiness = READINESS_ZH[e.readiness] ?? e.readiness;
    row.categoryCodes = e.categoryCodes.join('、');
    row.phone = e.phoneHidden ? '（仅办公室和所属单位可见）' : (e.phone ?? '');
    ws.addRow(row);
  }
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const registerFileName = (kind: RegisterKind) => `${KIND_ZH[kind]}.xlsx`;
