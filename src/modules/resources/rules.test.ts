import { describe, expect, it } from 'vitest';
import {
  categoryCovers,
  distanceKm,
  expiresSoon,
  milliText,
  planMatches,
  rankByDistance,
  takeEarliestExpiry,
  toMilli,
} from './rules.js';

describe('category tree', () => {
  it('a class covers its sub-classes and details; a sub-class its details; nothing covers a sibling', () => {
    expect(categoryCovers('12000', '12G00')).toBe(true);
    expect(categoryCovers('12000', '12G01')).toBe(true);
    expect(categoryCovers('12G00', '12G01')).toBe(true);
    expect(categoryCovers('12G01', '12G01')).toBe(true);
    expect(categoryCovers('12G00', '12D00')).toBe(false);
    expect(categoryCovers('12G01', '12G00')).toBe(false);
    expect(categoryCovers('11000', '12G00')).toBe(false);
  });

  it('an overall plan matches every category; a special plan by the tree and the level', () => {
    const fire = { kind: 'special', categoryCodes: ['12G00'], levels: ['III', 'IV'] };
    expect(planMatches(fire, { categoryCode: '12G01', level: 'IV' })).toMatchObject({
      matches: true,
      rank: 2,
    });
    expect(planMatches(fire, { categoryCode: '12G01', level: 'I' }).matches).toBe(false);
    expect(planMatches(fire, { categoryCode: '11B01', level: 'IV' }).matches).toBe(false);
    // an ungraded event matches whatever the levels
    expect(planMatches(fire, { categoryCode: '12G01', level: null }).matches).toBe(true);
    const overall = { kind: 'overall', categoryCodes: [], levels: ['I', 'II', 'III', 'IV'] };
    expect(planMatches(overall, { categoryCode: '14J00', level: 'II' })).toMatchObject({
      matches: true,
      by: 'overall',
      rank: 0,
    });
  });
});

describe('straight-line distance', () => {
  // 东城区 government square as the event; three teams with known coordinates
  const event = { lng: 116.4074, lat: 39.9042 };
  const teams = [
    { id: 'far', lng: 117.2008, lat: 39.0842 }, // Tianjin, ~113.7 km
    { id: 'near', lng: 116.4174, lat: 39.9042 }, // 0.01° east, ~0.85 km
    { id: 'nowhere', lng: null, lat: null },
    { id: 'mid', lng: 116.4074, lat: 40.0042 }, // 0.1° north, ~11.1 km
  ];
  it('ranks nearest first with the distance within 0.1 km, places unknown last', () => {
    const r = rankByDistance(event, teams);
    expect(r.map((t) => t.id)).toEqual(['near', 'mid', 'far', 'nowhere']);
    expect(r[0].distanceKm).toBeCloseTo(0.853, 1);
    expect(r[1].distanceKm).toBeCloseTo(11.12, 1);
    expect(Math.abs(r[2].distanceKm! - 113.7)).toBeLessThan(0.5);
    expect(r[3].distanceKm).toBeNull();
  });
  it('an event without coordinates leaves every distance null', () => {
    expect(rankByDistance(null, teams).every((t) => t.distanceKm === null)).toBe(true);
  });
  it('is symmetric and zero at the same point', () => {
    expect(distanceKm(event, event)).toBe(0);
    expect(distanceKm(event, teams[0] as any)).toBeCloseTo(distanceKm(teams[0] as any, event), 9);
  });
});

describe('stock arithmetic', () => {
  it('quantities are exact thousandths; more than three decimals are refused', () => {
    expect(toMilli(12.5)).toBe(12_500);
    expect(toMilli('0.001')).toBe(1);
    expect(toMilli(0.1 + 0.2)).toBeNull();
    expect(toMilli(1.2345)).toBeNull();
    expect(milliText(12_500)).toBe('12.500');
  });

  it('issues the earliest expiry first, batches without expiry last; every move balances', () => {
    const batches = [
      { id: 'none', expiresOn: null, quantity: 5000 },
      { id: 'late', expiresOn: '2027-06-01', quantity: 3000 },
      { id: 'early', expiresOn: '2027-01-01', quantity: 2000 },
    ];
    const r = takeEarliestExpiry(batches, 4000)!;
    expect(r.taken).toEqual([
      { id: 'early', expiresOn: '2027-01-01', quantity: 2000 },
      { id: 'late', expiresOn: '2027-06-01', quantity: 2000 },
    ]);
    const sum = (bs: { quantity: number }[]) => bs.reduce((s, b) => s + b.quantity, 0);
    expect(sum(r.taken) + sum(r.left)).toBe(sum(batches));
    expect(r.left.find((b) => b.id === 'none')!.quantity).toBe(5000);
  });

  it('never goes negative: more than the stock holds is refused', () => {
    expect(takeEarliestExpiry([{ expiresOn: null, quantity: 1000 }], 1001)).toBeNull();
    expect(takeEarliestExpiry([], 1)).toBeNull();
    expect(takeEarliestExpiry([{ expiresOn: null, quantity: 1000 }], 1000)!.left[0].quantity).toBe(0);
  });

  it('flags stock expiring within 30 days (and expired stock)', () => {
    expect(expiresSoon('2026-12-20', '2026-12-03')).toBe(true);
    expect(expiresSoon('2026-11-01', '2026-12-03')).toBe(true);
    expect(expiresSoon('2027-03-01', '2026-12-03')).toBe(false);
    expect(expiresSoon(null, '2026-12-03')).toBe(false);
  });
});
