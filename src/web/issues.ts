import type { ValidationIssue } from '../contract/validation';

/** A problem shown beside a field: from the server (with `code` and bounds) or from a check in the page. */
export type Issue = Pick<ValidationIssue, 'path' | 'message'> & Partial<ValidationIssue>;

const n = (v: number | undefined) => (v === undefined ? '' : v.toLocaleString());

/**
 * A refused field in the user's language, worded from the issue's `code` and bounds (never by reading the
 * server's English text). A message the schema wrote itself (`handwritten`), or a code this does not know,
 * is shown as the server sent it — already in the language the request asked for.
 */
export function issueText(issue: Issue, en: boolean): string {
  if (issue.handwritten || !issue.code) return issue.message;
  const { minimum: min, maximum: max, inclusive = true, origin } = issue;
  const text = origin === 'string';
  const items = origin === 'array' || origin === 'set';
  switch (issue.code) {
    case 'too_small':
      if (min === undefined) break;
      if (text)
        return min <= 1
          ? en
            ? 'must not be empty'
            : '不能为空'
          : en
            ? `at least ${n(min)} characters`
            : `至少 ${n(min)} 个字`;
      if (items) return en ? `at least ${n(min)} item${min === 1 ? '' : 's'}` : `至少需要 ${n(min)} 项`;
      return inclusive
        ? en
          ? `must be at least ${n(min)}`
          : `不能小于 ${n(min)}`
        : en
          ? `must be greater than ${n(min)}`
          : `须大于 ${n(min)}`;
    case 'too_big':
      if (max === undefined) break;
      if (text) return en ? `at most ${n(max)} characters` : `最多 ${n(max)} 个字`;
      if (items) return en ? `at most ${n(max)} item${max === 1 ? '' : 's'}` : `最多 ${n(max)} 项`;
      return inclusive
        ? en
          ? `must be at most ${n(max)}`
          : `不能大于 ${n(max)}`
        : en
          ? `must be less than ${n(max)}`
          : `须小于 ${n(max)}`;
    case 'invalid_type':
      if (issue.expected === 'int') return en ? 'must be a whole number' : '须为整数';
      if (issue.expected === 'number') return en ? 'must be a number' : '须为数字';
      break; // missing or of another type: the server's message says which
    case 'invalid_format':
      if (issue.format === 'uuid') return en ? 'not a valid id' : '编号格式不正确';
      if (issue.format === 'datetime' || issue.format === 'date')
        return en ? 'not a valid date and time' : '日期时间格式不正确';
      if (issue.format === 'email') return en ? 'not a valid e-mail address' : '邮箱格式不正确';
      return en ? 'wrong format' : '格式不正确';
    case 'invalid_value':
      return en ? 'not one of the allowed values' : '不是可选的值';
    case 'not_multiple_of':
      return en ? `must be a multiple of ${n(issue.divisor)}` : `须为 ${n(issue.divisor)} 的倍数`;
    case 'unrecognized_keys':
      return en
        ? `unknown field: ${(issue.keys ?? []).join(', ')}`
        : `不认识的字段：${(issue.keys ?? []).join('、')}`;
    case 'invalid_union':
      return en ? 'not valid' : '内容不正确';
  }
  return issue.message;
}
