import { describe, expect, it } from 'vitest';
import { findHoliday, longHolidays } from './holidays.js';

describe('holiday keys', () => {
  it('finds a long holiday by its key', () => {
    const h = longHolidays(2026)[0];
    expect(findHoliday(h.key)?.key).toBe(h.key);
  });
  it('a key that only looks numeric to Number() (7e78…) is no holiday, not a crash', () => {
    expect(findHoliday('7e785d2e-6471-4455-9792-7c74847b620b')).toBeNull();
    expect(findHoliday('9999-chunjie')).toBeNull();
    expect(findHoliday('')).toBeNull();
  });
});
