import { registerMessages } from '../../floor/i18n.js';

registerMessages(
  {
    'error.task_due_required': '请填写办理时限（dueAt，或 dueInDays 天数）。',
    'error.task_due_twice': '办理时限只能填写一种：具体日期（dueAt）或天数（dueInDays）。',
    'error.task_due_invalid': '办理时限不是有效的日期或时间。',
    'error.task_issued_in_future': '交办时间不能晚于现在。',
    'error.task_due_before_issued': '办理时限不能早于交办时间。',
    'error.task_owner_unknown': '承办单位不存在或已停用。',
    'error.task_issuer_not_office': '督办事项由区域的党委办、政府办等办公室的编辑、领导或主要负责人交办。',
    'error.task_owner_out_of_scope': '承办单位不在您所在区域的范围内。',
    'error.task_not_found': '督办事项不存在。',
    'error.task_collection_not_found': '汇总催报事项不存在。',
    'error.task_already_done': '该督办事项已办结；如需继续办理，请由交办单位退回重办。',
    'error.task_not_done': '该督办事项尚未办结，无需退回。',
  },
  {
    'error.task_due_required': 'Give a due time (dueAt, or a number of days in dueInDays).',
    'error.task_due_twice': 'Give the due time one way only: a date (dueAt) or a number of days (dueInDays).',
    'error.task_due_invalid': 'The due time is not a valid date or time.',
    'error.task_issued_in_future': 'The time issued cannot be in the future.',
    'error.task_due_before_issued': 'The due time cannot be before the time issued.',
    'error.task_owner_unknown': 'The owner unit does not exist or is disabled.',
    'error.task_issuer_not_office':
      "Supervised tasks are issued by editors, leaders and principals of an area's offices (party or government office).",
    'error.task_owner_out_of_scope': 'The owner unit is outside your area.',
    'error.task_not_found': 'Supervised task not found.',
    'error.task_collection_not_found': 'Collection task not found.',
    'error.task_already_done': 'This task is done; the issuing area may reopen it if more is needed.',
    'error.task_not_done': 'This task is not done; there is nothing to reopen.',
  },
);
