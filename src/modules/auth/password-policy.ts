import fs from 'node:fs';
import { AppError } from '../../floor/errors.js';
import { registerMessages } from '../../floor/i18n.js';

/**
 * What makes a password too weak for Jibao: shorter than 10 characters, the username (or built on it), or
 * easy to guess — on the shipped list of common passwords (`common-passwords.txt`, incl. Chinese pinyin and
 * number patterns), or built on one of its entries with digits, years and symbols around it, digits only,
 * a keyboard or alphabet run, or a few characters repeated. Compared case-insensitively.
 */
export const MIN_PASSWORD_LENGTH = 10;
export type PasswordProblem = 'too_short' | 'same_as_username' | 'too_common';

registerMessages(
  {
    'error.password_too_short': '密码至少 10 位。',
    'error.password_same_as_username': '密码不能与用户名相同，也不能以用户名为主体。',
    'error.password_too_common':
      '密码过于常见，容易被猜到（如常用密码、纯数字、键盘顺序、拼音或姓名加数字），请换一个。',
  },
  {
    'error.password_too_short': 'The password needs at least 10 characters.',
    'error.password_same_as_username': 'The password must not be the username or built on it.',
    'error.password_too_common':
      'The password is too common and easy to guess (a common password, digits only, a keyboard run, a name or word plus digits); choose another.',
  },
);

let list: Set<string> | null = null;
function commonList(): Set<string> {
  list ??= new Set(
    fs
      .readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter((l) => l && !l.startsWith('#')),
  );
  return list;
}

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
};
const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'abcdefghijklmnopqrstuvwxyz', '1234567890'];

/** The letters a person would remember a password by: ends of digits/symbols cut, substitutions undone. */
function stems(lower: string): string[] {
  const lettersOnly = lower.replace(/[^\p{L}]/gu, '');
  const trimmed = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const unleet = [...trimmed]
    .map((c) => LEET[c] ?? c)
    .join('')
    .replace(/[^\p{L}]/gu, '');
  return [...new Set([lettersOnly, unleet])];
}

/** A run along a keyboard row or the alphabet (either direction), e.g. qwertyuiop, 9876543210, abcdef. */
function isRun(s: string): boolean {
  if (s.length < 4) return false;
  const rev = [...s].reverse().join('');
  return ROWS.some((row) => row.includes(s) || row.includes(rev));
}

/** A few characters repeated: aaaaaaaaaa, abababab, 5201314520 is not (but it is on the list). */
function isRepeat(s: string): boolean {
  for (let n = 1; n <= 4 && n * 2 <= s.length; n++) {
    const unit = s.slice(0, n);
    if (unit.repeat(Math.ceil(s.length / n)).slice(0, s.length) === s) return true;
  }
  return false;
}

function tooCommon(lower: string): boolean {
  const words = commonList();
  if (words.has(lower)) return true;
  if (!/\p{L}/u.test(lower)) return true; // digits (and symbols) only: dates, phone numbers, 5201314…
  if (new Set(lower).size < 4) return true;
  if (isRun(lower) || isRepeat(lower)) return true;
  for (const stem of stems(lower)) {
    if (stem.length < 2) return true; // one letter among digits and symbols
    if (words.has(stem) || isRun(stem) || isRepeat(stem)) return true;
  }
  return false;
}

function builtOnUsername(lower: string, username: string): boolean {
  const u = username.trim().toLowerCase();
  if (!u) return false;
  if (lower === u || lower === [...u].reverse().join('')) return true;
  if (u.length >= 3 && lower.includes(u)) return true;
  const uLetters = u.replace(/[^\p{L}]/gu, '');
  return uLetters.length >= 2 && stems(lower).includes(uLetters);
}

/** Every reason this password is refused for this user (empty: acceptable). */
export function passwordProblems(password: string, username: string): PasswordProblem[] {
  const out: PasswordProblem[] = [];
  const lower = password.toLowerCase();
  if ([...password].length < MIN_PASSWORD_LENGTH) out.push('too_short');
  if (builtOnUsername(lower, username)) out.push('same_as_username');
  else if (tooCommon(lower)) out.push('too_common');
  return out;
}

/** Refuse a weak password with 400 and the first reason in the caller's language (all in `details.problems`). */
export function assertStrongPassword(password: string, username: string): void {
  const problems = passwordProblems(password, username);
  if (problems.length) throw new AppError(400, `password_${problems[0]}`, { problems });
}
