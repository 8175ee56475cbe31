import { describe, expect, it } from 'vitest';
import { issueText } from './issues';

/** The web words a refused field from its code and bounds, in the user's language, whatever text came with it. */
describe('issueText', () => {
  const english = { path: 'rows.0.phoneMinutes', message: 'Too small: expected number to be >=1' };

  it('says a number bound in Chinese and in English from code and minimum', () => {
    const i = { ...english, code: 'too_small', minimum: 1, inclusive: true, origin: 'number' };
    expect(issueText(i, false)).toBe('不能小于 1');
    expect(issueText(i, true)).toBe('must be at least 1');
    expect(issueText({ ...i, code: 'too_big', maximum: 1, inclusive: false }, false)).toBe('须小于 1');
  });

  it('tells texts and lists apart', () => {
    expect(issueText({ ...english, code: 'too_big', maximum: 200, origin: 'string' }, false)).toBe(
      '最多 200 个字',
    );
    expect(issueText({ ...english, code: 'too_small', minimum: 1, origin: 'string' }, false)).toBe(
      '不能为空',
    );
    expect(issueText({ ...english, code: 'too_small', minimum: 1, origin: 'array' }, true)).toBe(
      'at least 1 item',
    );
    expect(issueText({ ...english, code: 'invalid_type', expected: 'int' }, false)).toBe('须为整数');
    expect(issueText({ ...english, code: 'invalid_format', format: 'regex' }, false)).toBe('格式不正确');
  });

  it("keeps a schema's own message and anything it cannot word", () => {
    const own = {
      path: 'title',
      message: '不能为空（仅含空白或不可见字符也算空）',
      code: 'too_small',
      minimum: 1,
    };
    expect(issueText({ ...own, origin: 'string', handwritten: true }, false)).toBe(own.message);
    expect(issueText({ path: '', message: '时限表有重叠的行：township IV' }, false)).toBe(
      '时限表有重叠的行：township IV',
    );
    expect(issueText({ ...english, code: 'invalid_type', expected: 'string' }, false)).toBe(english.message);
  });
});
