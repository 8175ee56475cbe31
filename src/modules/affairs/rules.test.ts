import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORING } from '../../floor/rule-sets.scoring.js';
import {
  adoptionPoints,
  beijingQuarter,
  beijingYear,
  commissionPoints,
  commissionStatus,
  instructionPoints,
  qualityWarnings,
  scorePeriod,
  scoreTable,
  staleYears,
} from './rules.js';
import { bodyText, sanitizeBody } from './sanitize.js';

const due = new Date('2026-11-20T10:00:00+08:00');
const at = (h: number) => new Date(due.getTime() + h * 3_600_000);
const judge = (sent: Date | null, now: Date, offline: Date | null = null) =>
  commissionStatus({ dueAt: due, firstSentAt: sent, offlineDeliveredAt: offline }, now);

describe('a commission judged by the clock', () => {
  it('is open before its due time and open but overdue from it until 24 h later', () => {
    expect(judge(null, at(-1))).toMatchObject({ status: 'open', overdue: false });
    expect(judge(null, at(0))).toMatchObject({ status: 'open', overdue: true });
    expect(judge(null, at(23.9))).toMatchObject({ status: 'open', overdue: true });
  });
  it('a piece first sent by the due time delivers it, even at the due minute', () => {
    expect(judge(at(-5), at(100)).status).toBe('delivered');
    expect(judge(at(0), at(100)).status).toBe('delivered');
  });
  it('first sent after the due time but within 24 h is late', () => {
    expect(judge(at(0.01), at(100)).status).toBe('late');
    expect(judge(at(24), at(100)).status).toBe('late');
  });
  it('nothing within 24 h after the due time is missed, and a later piece does not undo it', () => {
    expect(judge(null, at(24.01))).toMatchObject({ status: 'missed', judgedAt: at(24) });
    expect(judge(at(30), at(30))).toMatchObject({ status: 'missed', judgedAt: at(24) });
  });
  it('an offline delivery counts with its own time; the earlier of it and the first send wins', () => {
    expect(judge(null, at(100), at(-2)).status).toBe('delivered');
    expect(judge(at(5), at(100), at(-2)).status).toBe('delivered');
    expect(judge(null, at(100), at(3)).status).toBe('late');
  });
});

describe('points from the scoring rule set (SPEC §7 defaults)', () => {
  it('adoptions, instructions and commissions score as the table says', () => {
    expect(adoptionPoints(DEFAULT_SCORING, 'own_daily')).toBe(3);
    expect(adoptionPoints(DEFAULT_SCORING, 'city_special')).toBe(10);
    expect(adoptionPoints(DEFAULT_SCORING, 'centre_adopted')).toBe(50);
    expect(instructionPoints(DEFAULT_SCORING, 'county')).toBe(3);
    expect(instructionPoints(DEFAULT_SCORING, 'centre')).toBe(100);
    expect(commissionPoints(DEFAULT_SCORING, 'late')).toBe(-10);
    expect(commissionPoints(DEFAULT_SCORING, 'missed')).toBe(-10);
    expect(commissionPoints(DEFAULT_SCORING, 'delivered')).toBe(0);
  });
  it('a new version of the table changes the points of what is recorded under it', () => {
    const v2 = { ...DEFAULT_SCORING, adoption: { ...DEFAULT_SCORING.adoption, own_daily: 4 } };
    expect(adoptionPoints(v2, 'own_daily')).toBe(4);
  });
});

describe('the score table', () => {
  const period = scorePeriod(new Date('2026-11-23T02:00:00Z'));
  it('lists every unit, zeros included; commission deductions go to the unit only; the drafter gets person points', () => {
    const facts = {
      adoptions: [
        { unitId: 'T', userId: 'u1', pieceId: 'p1', points: 3, at: new Date('2026-11-21T00:00:00Z') },
      ],
      instructions: [
        { unitId: 'T', userId: 'u1', pieceId: 'p1', points: 5, at: new Date('2026-11-22T00:00:00Z') },
      ],
      commissions: [{ unitId: 'T', points: -10, at: new Date('2026-11-22T00:00:00Z') }],
      sent: [
        { unitId: 'T', userId: 'u1', pieceId: 'p1', at: new Date('2026-11-20T00:00:00Z'), sameDay: true },
        { unitId: 'T', userId: 'u1', pieceId: 'p2', at: new Date('2026-11-20T00:00:00Z'), sameDay: false },
      ],
    };
    const units = scoreTable(facts, 'unit', ['T', 'Z'], period);
    expect(units).toEqual([
      { id: 'Z', points: 0, pieces: 0, adopted: 0, adoptionRate: 0, sameDayRate: null },
      { id: 'T', points: -2, pieces: 2, adopted: 1, adoptionRate: 0.5, sameDayRate: 0.5 },
    ]);
    const people = scoreTable(facts, 'person', ['u1'], period);
    expect(people[0]).toMatchObject({ id: 'u1', points: 8 });
  });
  it('counts by the time of adoption: outside the period is not counted', () => {
    const facts = {
      adoptions: [
        { unitId: 'T', userId: 'u1', pieceId: 'p1', points: 3, at: new Date('2025-12-31T15:59:00Z') },
      ],
      instructions: [],
      commissions: [],
      sent: [],
    };
    expect(scoreTable(facts, 'unit', ['T'], period)[0].points).toBe(0);
  });
  it('the period defaults to the Beijing year; a date `to` includes that day', () => {
    expect(period.from.toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(beijingYear(new Date('2026-12-31T16:30:00Z'))).toBe(2027);
    const p = scorePeriod(new Date(), '2026-11-01', '2026-11-30');
    expect(p.to.toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });
});

describe('the stored body of a piece', () => {
  it('a paste from Word keeps headings, lists and tables and loses styles, scripts and embedded images', () => {
    const word = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{mso-style-parent:""}</style></head>
<body><!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->
<h1 class=MsoTitle style='mso-outline-level:1'>城关街道推进老旧小区改造</h1>
<p class=MsoNormal style='mso-line-height-rule:exactly'>今年以来<o:p></o:p></p>
<ol style='margin-top:0cm'><li class=MsoListParagraph style='mso-list:l0 level1 lfo1'>摸底排查</li></ol>
<table class=MsoTableGrid border=1 style='mso-yfti-tbllook:1184'><tr><td colspan=2 style='width:200pt'>改造户数</td></tr></table>
<script>alert('x')</script><img src="data:image/png;base64,iVBORw0KGgo=" onerror="alert(1)"></body></html>`;
    const out = sanitizeBody(word);
    expect(out).toContain('<h1>城关街道推进老旧小区改造</h1>');
    expect(out).toContain('<ol><li>摸底排查</li></ol>');
    expect(out).toContain('<td colspan="2">改造户数</td>');
    expect(out).not.toMatch(/mso-|class=|style=|script|alert|<img|base64|WordDocument/);
    expect(bodyText(out)).toBe('城关街道推进老旧小区改造 今年以来 摸底排查 改造户数');
  });
});

describe('quality warnings before adopting', () => {
  const base = {
    eventDate: '2026-11-20',
    mediaReportedAt: null,
    firstSentAt: new Date('2026-11-21T02:00:00Z'),
  };
  it('a year earlier than the reported date outside quotes is a stale figure; quoted years are not', () => {
    expect(staleYears('截至2024年底，全街道改造12个小区。', '2026-11-20')).toEqual([2024]);
    expect(staleYears('落实《2025年改造计划》，“2023年”提出的目标', '2026-11-20')).toEqual([]);
    expect(staleYears('2026年11月', '2026-11-20')).toEqual([]);
    expect(staleYears('截至2024年底', null)).toEqual([]);
  });
  it('the media first (信息倒挂) and a unit that only reports good news are warned', () => {
    const w = qualityWarnings({
      ...base,
      text: '正文',
      mediaReportedAt: new Date('2026-11-20T12:00:00Z'),
      unitQuarter: { pieces: 6, problemPieces: 1 },
    });
    expect(w.map((x) => x.code)).toEqual(['media_first', 'good_news_only']);
    expect(qualityWarnings({ ...base, text: '正文', unitQuarter: { pieces: 4, problemPieces: 0 } })).toEqual(
      [],
    );
    expect(qualityWarnings({ ...base, text: '正文', unitQuarter: { pieces: 5, problemPieces: 1 } })).toEqual(
      [],
    );
  });
  it('quarters are Beijing quarters', () => {
    expect(beijingQuarter(new Date('2026-12-31T16:30:00Z')).from.toISOString()).toBe(
      '2026-12-31T16:00:00.000Z',
    );
    expect(beijingQuarter(new Date('2026-11-23T02:00:00Z'))).toEqual({
      from: new Date('2026-09-30T16:00:00.000Z'),
      to: new Date('2026-12-31T16:00:00.000Z'),
    });
  });
});
