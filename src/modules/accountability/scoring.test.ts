import { describe, expect, it } from 'vitest';
import { issuerAbbrev, mastheadOf, noticeNumber, periodText } from './notices.js';
import {
  basePoints,
  deductionPoints,
  rankByScore,
  DEFAULT_DEDUCTION as rs,
  withDefaults,
} from './scoring.js';
import { pct1, yoySentenceEn, yoySentenceZh } from './yoy.js';

describe('deduction table (倒扣分制)', () => {
  it('a late report deducts 0.5, a second one in the year 1.0', () => {
    expect(deductionPoints(rs, { kind: 'late', level: 'IV' }, 0)).toBe(0.5);
    expect(deductionPoints(rs, { kind: 'late', level: 'IV' }, 1)).toBe(1);
  });
  it('a late report of a Ⅰ/Ⅱ event, or one taking more than twice the limit, deducts 1', () => {
    expect(basePoints(rs, { kind: 'late', level: 'II' })).toBe(1);
    expect(basePoints(rs, { kind: 'late', level: 'IV', elapsedOverLimit: 2.5 })).toBe(1);
    expect(basePoints(rs, { kind: 'late', level: 'IV', elapsedOverLimit: 1.5 })).toBe(0.5);
  });
  it('missed 1–3 and concealed 2–4 by level, false 2, duty absence 1, missing follow-up or element 0.5', () => {
    expect(basePoints(rs, { kind: 'missed', level: 'I' })).toBe(3);
    expect(basePoints(rs, { kind: 'missed', level: null })).toBe(1);
    expect(basePoints(rs, { kind: 'concealed', level: 'I' })).toBe(4);
    expect(basePoints(rs, { kind: 'concealed', level: 'IV' })).toBe(2);
    expect(basePoints(rs, { kind: 'false' })).toBe(2);
    expect(basePoints(rs, { kind: 'duty_absent' })).toBe(1);
    expect(basePoints(rs, { kind: 'missing_followup' })).toBe(0.5);
    expect(basePoints(rs, { kind: 'missing_element' })).toBe(0.5);
  });
  it('a missing zero report counts like a late report, one never sent that day like a missed one', () => {
    expect(basePoints(rs, { kind: 'late', zeroReport: true })).toBe(0.5);
    expect(basePoints(rs, { kind: 'missed', zeroReport: true })).toBe(1);
  });
  it('an edited rule set keeps defaults for what it leaves out', () => {
    const edited = withDefaults({ false: 3, late: { points: 1 } as any });
    expect(basePoints(edited, { kind: 'false' })).toBe(3);
    expect(basePoints(edited, { kind: 'late', level: 'IV' })).toBe(1);
    expect(edited.repeatMultiplier).toBe(2);
  });
  it('ranks ties equally', () => {
    const r = rankByScore([{ score: 99 }, { score: 100 }, { score: 99 }, { score: 97.5 }]);
    expect(r.map((x) => [x.score, x.rank])).toEqual([
      [100, 1],
      [99, 2],
      [99, 2],
      [97.5, 4],
    ]);
  });
});

describe('year-on-year wording', () => {
  it('writes a decrease the way offices do', () => {
    expect(yoySentenceZh(348, 457)).toBe('348 起，同比减少 109 起，下降 23.8%');
  });
  it('writes an increase, no change, and nothing a year earlier', () => {
    expect(yoySentenceZh(120, 100)).toBe('120 起，同比增加 20 起，上升 20.0%');
    expect(yoySentenceZh(5, 5)).toBe('5 起，同比持平');
    expect(yoySentenceZh(3, 0)).toBe('3 起，同比增加 3 起（去年同期为 0）');
    expect(yoySentenceEn(348, 457)).toBe('348 events, 109 fewer than a year earlier (down 23.8%)');
  });
  it('cuts percentages to one decimal without floating-point slips', () => {
    expect(pct1(0.29)).toBe('29.0');
    expect(pct1(1 / 3)).toBe('33.3');
  });
});

describe('notice numbering and wording', () => {
  it('uses the office’s short name in the official number form', () => {
    expect(noticeNumber(issuerAbbrev('示例市委办公室'), 2026, 3)).toBe('示例市委办〔2026〕3号');
    expect(issuerAbbrev('示例市政府办公室')).toBe('示例市政办');
    expect(issuerAbbrev('示例省委办公厅')).toBe('示例省委办');
    expect(mastheadOf('示例市委办公室', 'party_office')).toBe('中共示例市委办公室文件');
  });
  it('names a whole month as such, other periods by their dates', () => {
    expect(periodText(new Date('2026-11-01T00:00:00+08:00'), new Date('2026-12-01T00:00:00+08:00'))).toBe(
      '2026年11月',
    );
    expect(periodText(new Date('2026-10-01T00:00:00+08:00'), new Date('2026-10-08T00:00:00+08:00'))).toBe(
      '2026年10月1日至10月7日',
    );
  });
});
