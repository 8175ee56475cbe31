import { registerMessages } from '../../floor/i18n.js';

registerMessages(
  {
    'error.piece_not_found': '信息不存在。',
    'error.piece_no_receiving_area': '您所在单位没有可报送信息的上级区域（党委办公室、政府办公室）。',
    'error.piece_body_empty': '信息正文不能为空（清理格式后没有剩余内容）。',
    'error.piece_not_editable': '该信息当前不能编辑（已提交审签或已报出）。',
    'error.piece_invalid_state': '该信息当前状态（{status}）不能进行此操作。',
    'error.commission_unknown': '约稿不存在。',
    'error.commission_not_yours': '该约稿不是向您单位约的稿。',
    'error.commission_not_found': '约稿不存在。',
    'error.commission_not_section': '约稿由区域党委办公室、政府办公室信息科的编辑发出。',
    'error.commission_unit_unknown': '被约稿单位不存在或已停用。',
    'error.commission_out_of_scope': '被约稿单位不在本区域范围内。',
    'error.commission_already_delivered': '该约稿已报送，不能再登记线下报送。',
    'error.already_adopted': '本单位已登记过该信息的此项采用（{where}）。',
    'error.unknown_priority': '报送要点“{priority}”不存在。',
    'error.topic_not_found': '调研题目不存在。',
    'error.topic_already_screened': '该调研题目已筛选过（{status}）。',
    'error.topic_reason_required': '合并或不采纳时须说明理由。',
    'error.topic_merge_target_required': '合并时须指定合并到的题目（mergeIntoId）。',
    'error.topic_merge_target_unknown': '要合并到的题目不存在或不属于本信息科。',
    'error.topic_not_accepted': '该调研题目尚未通过筛选（{status}），不能排期或约稿。',
    'error.topic_unknown': '调研题目不存在或不属于本信息科。',
    'error.score_period_invalid': '统计期间无效（from 须早于 to）。',
    'error.publication_not_found': '刊物不存在。',
    'error.issue_not_found': '刊物期号不存在。',
    'error.issue_piece_not_adoptable': '所选信息中有本科室不能采用的（未报送到本办或已退回）。',
  },
  {
    'error.piece_not_found': 'Piece not found.',
    'error.piece_no_receiving_area': 'Your unit has no area above it whose offices receive pieces.',
    'error.piece_body_empty': 'The body of the piece is empty once cleaned.',
    'error.piece_not_editable': 'This piece cannot be edited now (submitted for approval or sent).',
    'error.piece_invalid_state': 'This cannot be done to a piece in its current state ({status}).',
    'error.commission_unknown': 'Commission not found.',
    'error.commission_not_yours': 'This commission was not made to your unit.',
    'error.commission_not_found': 'Commission not found.',
    'error.commission_not_section':
      "Commissions are made by editors of an area's party or government office.",
    'error.commission_unit_unknown': 'The commissioned unit does not exist or is disabled.',
    'error.commission_out_of_scope': 'The commissioned unit is outside your area.',
    'error.commission_already_delivered':
      'This commission was delivered already; no offline delivery can be recorded.',
    'error.already_adopted': 'Your office has already recorded this adoption ({where}) of the piece.',
    'error.unknown_priority': 'There is no reporting priority “{priority}”.',
    'error.topic_not_found': 'Topic not found.',
    'error.topic_already_screened': 'This topic has been screened already ({status}).',
    'error.topic_reason_required': 'Give a reason to merge or decline a topic.',
    'error.topic_merge_target_required': 'Name the topic to merge into (mergeIntoId).',
    'error.topic_merge_target_unknown':
      'The topic to merge into does not exist or belongs to another section.',
    'error.topic_not_accepted':
      'This topic has not been accepted ({status}); it cannot be scheduled or commissioned.',
    'error.topic_unknown': 'The topic does not exist or belongs to another section.',
    'error.score_period_invalid': 'The period is invalid (from must be before to).',
    'error.publication_not_found': 'Publication not found.',
    'error.issue_not_found': 'Issue not found.',
    'error.issue_piece_not_adoptable':
      'Some of the pieces cannot be adopted by your office (not sent to it, or returned).',
  },
);

registerMessages(
  {
    'error.distribution_unknown': '分送名单中有不存在的人员。',
    'error.officer_not_found': '本区域内没有该信息员。',
    'error.liaison_unit_out_of_scope': '重点联系单位须是本区域内的单位。',
    'error.piece_sources_unknown': '综合加工的来源信息须是已报送到本级的信息。',
    'error.issue_withdrawn': '该期已撤回。',
  },
  {
    'error.distribution_unknown': 'The distribution list names people who do not exist.',
    'error.officer_not_found': 'No such information officer in your area.',
    'error.liaison_unit_out_of_scope': 'A key liaison unit must be a unit of your area.',
    'error.piece_sources_unknown': 'Merged or forwarded pieces must be pieces sent to your level.',
    'error.issue_withdrawn': 'This issue has been withdrawn already.',
  },
);
