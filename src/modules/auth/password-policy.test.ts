import { describe, expect, it } from 'vitest';
import { passwordProblems } from './password-policy.js';

describe('password strength', () => {
  it('the demo password and ordinary strong passwords are accepted', () => {
    for (const pw of [
      'Jibao@2026',
      'NewPass#2026',
      'Duty#Room-2026',
      'x7#Lq9!vR2mz',
      '东城区值班室#2026夜班',
    ])
      expect(passwordProblems(pw, 'dc_zby'), pw).toEqual([]);
  });

  it('a password shorter than 10 characters is refused as too short', () => {
    expect(passwordProblems('123456', 'dc_zby')).toContain('too_short');
    expect(passwordProblems('Ab#4567x9', 'dc_zby')).toEqual(['too_short']);
  });

  it('the username, or a password built on it, is refused', () => {
    expect(passwordProblems('cgz_xxy2026', 'cgz_xxy')).toEqual(['same_as_username']);
    expect(passwordProblems('Administrator', 'administrator')).toEqual(['same_as_username']);
    expect(passwordProblems('CGZXXY@2026!', 'cgz_xxy')).toEqual(['same_as_username']);
  });

  it('Chinese common passwords are refused even at 10 characters or more', () => {
    for (const pw of [
      'woaini1314',
      'WoAiNi520520',
      'qq123456789',
      'qq5201314520',
      '5201314520',
      '1314520520',
      '147258369a',
      'zhang19900101',
      'Wang@123456',
      'abc1234567',
      'a1b2c3d4e5',
      'zxcvbnm123',
      '1qaz2wsx3edc',
      'woaiwojia1',
    ])
      expect(passwordProblems(pw, 'dc_zby'), pw).toEqual(['too_common']);
  });

  it('number-only, repeated and keyboard-run passwords are refused', () => {
    for (const pw of ['11111111111', '88888888888', '13800138000', '1234567890', 'qwertyuiop', 'ababababab'])
      expect(passwordProblems(pw, 'dc_zby'), pw).toEqual(['too_common']);
  });

  it('common words survive no disguise: case, years, symbols, letter substitutions', () => {
    for (const pw of ['Password2026!', 'P@ssw0rd!2026', 'ILOVEYOU1314', 'Iloveyou@2025', '2026@admin#'])
      expect(passwordProblems(pw, 'dc_zby'), pw).toEqual(['too_common']);
  });

  it('a short common password gets both reasons', () => {
    expect(passwordProblems('123456', 'dc_zby')).toEqual(['too_short', 'too_common']);
  });
});
