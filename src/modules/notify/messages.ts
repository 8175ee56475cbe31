import { registerMessages } from '../shared/i18n.js';

registerMessages(
  {
    'error.deputy_is_self': '代理人不能是本人。',
    'error.unknown_user': '所选人员不存在或已停用。',
    'error.endpoint_mismatch': '所选外发通道与渠道“{channel}”不符。',
    'error.endpoint_config_missing': '外发通道配置不完整，缺少：{missing}',
    'error.endpoint_bad_url': '外发通道地址无效（须为 http/https）。',
  },
  {
    'error.deputy_is_self': 'The deputy cannot be yourself.',
    'error.unknown_user': 'The chosen person does not exist or is disabled.',
    'error.endpoint_mismatch': 'The chosen endpoint does not fit the channel "{channel}".',
    'error.endpoint_config_missing': 'The endpoint configuration is incomplete; missing: {missing}',
    'error.endpoint_bad_url': 'The endpoint URL is not valid (http or https).',
  },
);
