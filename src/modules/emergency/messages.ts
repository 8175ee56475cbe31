import { registerMessages } from '../../floor/i18n.js';

registerMessages(
  {
    'error.unknown_category': '事件类别代码“{categoryCode}”不存在。',
    'error.occurred_in_future': '事发时间不能晚于现在。',
    'error.learned_before_occurred': '获知时间不能早于事发时间。',
    'error.caller_required': '电话报告须填写来电单位、来电人和电话：缺少 {missing}。',
    'error.called_at_invalid': '来电时间不能晚于现在，也不能早于事发时间。',
    'error.responsible_unit_out_of_scope': '责任单位不在您所在区域的范围内。',
    'error.responsible_unit_not_found': '责任单位不存在。',
    'error.event_out_of_scope': '该事件的责任单位不在您所在区域的范围内，不能修改。',
    'error.attachment_report_not_editable':
      '只有草稿或被退回的报告可以添加附件；报出后的照片、材料请随续报上传。',
    'error.cannot_register_events': '您的角色不能登记事件或报告。',
    'error.missing_elements': '报告缺少要素：{missing}。请补全，或标记“待核实”并说明原因。',
    'error.empty_followup': '续报、核报须至少包含一项新的要素。',
    'error.bad_pending_element': '“待核实”只能用于报告要素，并须说明原因：{element}。',
    'error.invalid_state': '报告当前状态为“{status}”，不能执行此操作。',
    'error.not_your_unit': '这份报告不属于您所在的单位。',
    'error.cannot_approve': '您没有审签这份报告当前环节的权限。',
    'error.nothing_to_countersign': '这份报告没有需要您补签的环节。',
    'error.not_addressed_to_you': '这份报告没有报送到您所在的接报口。',
    'error.request_target_not_below': '只能向本级以下的单位调度。',
    'error.unknown_unit': '单位不存在：{unitId}。',
    'error.party_office_not_informed': '党委办公室尚未收到该事件的报告，不能对外发布（三同时一提前）。',
    'error.phone_report_by_office': '电话报告由接报单位（党委办、政府办、值班室、机要局）记录。',
    'error.source_reports_invalid': '来源报告必须是本事件中报送给本级的报告。',
    'error.reason_required': '请说明修改原因。',
    'error.no_changes': '没有需要修改的内容。',
    'error.event_closed': '事件已终报结束。',
    'error.instruction_targets_invalid': '批示下达的单位必须在您的管辖范围内。',
    'error.not_a_target': '这条批示没有下达给您所在的单位。',
    'error.already_acknowledged': '已经确认过了。',
    'error.bad_cursor': '翻页参数无效，请从第一页重新加载。',
  },
  {
    'error.unknown_category': 'Unknown event category code "{categoryCode}".',
    'error.occurred_in_future': 'The time of occurrence cannot be in the future.',
    'error.learned_before_occurred': 'The time learned cannot be before the time of occurrence.',
    'error.caller_required': 'A phone report needs the caller unit, name and phone: missing {missing}.',
    'error.called_at_invalid': 'The call time cannot be in the future or before the event occurred.',
    'error.responsible_unit_out_of_scope': 'The responsible unit is outside your area.',
    'error.responsible_unit_not_found': 'The responsible unit does not exist.',
    'error.event_out_of_scope': "The event's responsible unit is outside your area; you cannot change it.",
    'error.attachment_report_not_editable':
      'Files can be attached to draft or returned reports only; add photos and documents after sending to a follow-up report.',
    'error.cannot_register_events': 'Your roles cannot register events or reports.',
    'error.missing_elements':
      'The report lacks elements: {missingEn}. Fill them in or mark them "still being verified" with a reason.',
    'error.empty_followup': 'A follow-up or verification report needs at least one new element.',
    'error.bad_pending_element':
      '"Still being verified" applies to report elements and needs a reason: {element}.',
    'error.invalid_state': 'The report is "{status}"; this action is not possible now.',
    'error.not_your_unit': 'This report belongs to another unit.',
    'error.cannot_approve': 'You may not approve the current step of this report.',
    'error.nothing_to_countersign': 'This report has no countersignature owed by you.',
    'error.not_addressed_to_you': 'This report was not addressed to your intake.',
    'error.request_target_not_below': 'You can only request reports from units below your level.',
    'error.unknown_unit': 'Unknown unit: {unitId}.',
    'error.party_office_not_informed':
      'The party office has not received a report of this event yet; it cannot be released to the public.',
    'error.phone_report_by_office': 'Phone reports are recorded by the receiving office.',
    'error.source_reports_invalid': 'Source reports must be reports of this event that reached your level.',
    'error.reason_required': 'Please give a reason for the change.',
    'error.no_changes': 'Nothing to change.',
    'error.event_closed': 'The event is closed by its final report.',
    'error.instruction_targets_invalid': 'Instructions can only go to units within your area.',
    'error.not_a_target': 'This instruction was not sent to your unit.',
    'error.already_acknowledged': 'Already acknowledged.',
    'error.bad_cursor': 'Invalid page cursor; reload from the first page.',
  },
);

export const STATUS_ZH: Record<string, string> = {
  draft: '草稿',
  awaiting_approval: '待审签',
  returned: '已退回',
  sent: '已报出',
  recorded: '已记录',
};

export const KIND_ZH: Record<string, string> = {
  phone: '电话报告',
  initial: '初报',
  followup: '续报',
  verification: '核报',
  final: '终报',
};

const CN_NUM = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
export function cnNumber(n: number): string {
  if (n <= 10) return CN_NUM[n];
  if (n < 20) return `十${CN_NUM[n - 10]}`;
  if (n < 100) return `${CN_NUM[Math.floor(n / 10)]}十${n % 10 ? CN_NUM[n % 10] : ''}`;
  return String(n);
}

/** 初报, 续报一, 续报二 … */
export function reportLabel(kind: string, seq: number): string {
  return kind === 'followup' ? `续报${cnNumber(Math.max(1, seq))}` : (KIND_ZH[kind] ?? kind);
}

export const LEVEL_ZH: Record<string, string> = {
  I: 'Ⅰ级（特别重大）',
  II: 'Ⅱ级（重大）',
  III: 'Ⅲ级（较大）',
  IV: 'Ⅳ级（一般）',
};
