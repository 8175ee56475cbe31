import { registerMessages } from '../../floor/i18n.js';

registerMessages(
  {
    'error.deputy_is_self': '代理人不能是本人。',
    'error.unknown_user': '所选人员不存在或已停用。',
    'error.endpoint_mismatch': '所选外发通道与渠道“{channel}”不符。',
    'error.endpoint_config_missing': '外发通道配置不完整，缺少：{missing}',
    'error.endpoint_bad_url': '外发通道地址无效（须为 http/https）。',
    'error.endpoint_masked_value':
      '“{field}”中的密钥仍是掩码（••••），但没有可对应的已保存值：请填写完整的密钥。',
    'error.endpoint_test_no_email': '请填写接收测试邮件的邮箱地址。',
    'error.endpoint_test_no_phone': '请填写接收测试短信或电话的手机号。',
  },
  {
    'error.deputy_is_self': 'The deputy cannot be yourself.',
    'error.unknown_user': 'The chosen person does not exist or is disabled.',
    'error.endpoint_mismatch': 'The chosen endpoint does not fit the channel "{channel}".',
    'error.endpoint_config_missing': 'The endpoint configuration is incomplete; missing: {missing}',
    'error.endpoint_bad_url': 'The endpoint URL is not valid (http or https).',
    'error.endpoint_masked_value':
      'A credential in "{field}" is still masked (••••) and there is no stored value for it: enter the full secret.',
    'error.endpoint_test_no_email': 'Enter the e-mail address that should receive the test message.',
    'error.endpoint_test_no_phone': 'Enter the phone number that should receive the test SMS or call.',
  },
);
