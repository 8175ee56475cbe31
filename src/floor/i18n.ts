/**
 * Server-side messages in zh-CN (default) and en. Modules register their own messages next to their code.
 */
export type Lang = 'zh-CN' | 'en';

type Dict = Record<string, string>;
const dicts: Record<Lang, Dict> = { 'zh-CN': {}, en: {} };

export function registerMessages(zh: Dict, en: Dict): void {
  Object.assign(dicts['zh-CN'], zh);
  Object.assign(dicts.en, en);
}

export function t(lang: Lang, key: string, params: Record<string, string | number> = {}): string {
  const raw = dicts[lang][key] ?? dicts['zh-CN'][key] ?? key;
  return raw.replace(/\{(\w+)\}/g, (_, k) => (params[k] !== undefined ? String(params[k]) : `{${k}}`));
}

/** zh-CN unless the caller clearly prefers English (Accept-Language: en…). */
export function langFrom(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

registerMessages(
  {
    'error.unauthorized': '请先登录。',
    'error.forbidden': '您没有执行此操作的权限。',
    'error.not_found': '记录不存在或您无权查看。',
    'error.validation': '提交的内容有误：{summary}',
    'error.invalid_json': '请求内容不是有效的 JSON。',
    'error.bad_credentials': '用户名或密码错误。',
    'error.locked_out': '该账号登录失败次数过多，已锁定 15 分钟，请稍后再试。',
    'error.user_disabled': '该账号已停用，请联系管理员。',
    'error.idempotency_conflict': '同一个幂等键（Idempotency-Key）已用于内容不同的请求。',
    'error.idempotency_in_flight': '同一个请求正在处理中，请稍候再查看结果。',
    'error.internal': '服务器内部错误，请稍后重试；您提交的内容未被部分保存。',
    'error.rate_limited': '请求过于频繁，请稍后再试。',
    'error.payload_too_large': '提交的内容过大。',
    'error.unsupported_media_type': '不支持的内容类型。',
  },
  {
    'error.unauthorized': 'Please sign in first.',
    'error.forbidden': 'You are not allowed to do this.',
    'error.not_found': 'The record does not exist or you may not see it.',
    'error.validation': 'The request is not valid: {summary}',
    'error.invalid_json': 'The request body is not valid JSON.',
    'error.bad_credentials': 'Wrong username or password.',
    'error.locked_out': 'Too many failed sign-ins for this account; it is locked for 15 minutes.',
    'error.user_disabled': 'This account is disabled. Please contact the administrator.',
    'error.idempotency_conflict': 'This Idempotency-Key was already used for a different request.',
    'error.idempotency_in_flight': 'The same request is being processed; check again shortly.',
    'error.internal': 'Internal server error; please retry. Nothing was partially saved.',
    'error.rate_limited': 'Too many requests; please retry later.',
    'error.payload_too_large': 'The request is too large.',
    'error.unsupported_media_type': 'Unsupported content type.',
  },
);
