import ExcelJS from 'exceljs';
import type { UserCtx } from '../../floor/context.js';
import { listHazards } from './inspections.repo.js';
import { isOverdue } from './rules.js';

const STATUS_ZH = { open: '待整改', reported: '待验收', closed: '已销号' } as const;
const SEVERITY_ZH = { general: '一般隐患', major: '重大隐患' } as const;
const bj = (d: Date | null) =>
  d ? d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }).replace(/\//g, '-') : '';

/** 隐患台账 as an Excel file: a Chinese header row, one hazard a row, the same filters as the list. */
export async function hazardWorkbook(
  ctx: UserCtx,
  f: { status?: string; campaignId?: string; responsibleUnitId?: string },
): Promise<Buffer> {
  const now = ctx.clock.now();
  const rows = await listHazards(ctx, ctx.actor, f);
  const wb = new ExcelJS.Workbook();
  wb.creator = '急报 Jibao';
  const ws = wb.addWorksheet('隐患台账');
  ws.columns = [
    { header: '隐患地点', key: 'place', width: 28 },
    { header: '行业领域', key: 'sector', width: 12 },
    { header: '隐患等级', key: 'severity', width: 10 },
    { header: '隐患描述', key: 'description', width: 40 },
    { header: '责任单位', key: 'responsible', width: 20 },
    { header: '登记单位', key: 'recording', width: 20 },
    { header: '牵头部门', key: 'lead', width: 20 },
    { header: '发现时间', key: 'foundAt', width: 20 },
    { header: '整改期限', key: 'rectifyBy', width: 20 },
    { header: '首次整改期限', key: 'firstRectifyBy', width: 20 },
    { header: '整改报告时间', key: 'reportedAt', width: 20 },
    { header: '状态', key: 'status', width: 10 },
    { header: '是否逾期', key: 'overdue', width: 10 },
    { header: '退回次数', key: 'sentBack', width: 10 },
    { header: '销号时间', key: 'closedAt', width: 20 },
  ];
  for (const h of rows)
    ws.addRow({
      place: h.place,
      sector: h.sector,
      severity: SEVERITY_ZH[h.severity],
      description: h.description,
      responsible: h.responsible_unit_name,
      recording: h.recording_unit_name,
      lead: h.lead_unit_name ?? '',
      foundAt: bj(h.found_at),
      rectifyBy: bj(h.rectify_by),
      firstRectifyBy: bj(h.first_rectify_by),
      reportedAt: bj(h.reported_at),
      status: STATUS_ZH[h.status],
      overdue: isOverdue({ status: h.status, rectifyBy: h.rectify_by }, now) ? '逾期' : '',
      sentBack: h.sent_back_count,
      closedAt: bj(h.closed_at),
    });
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
