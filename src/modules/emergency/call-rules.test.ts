import { describe, expect, it } from 'vitest';
import { versionStillCurrent } from './approvals.js';
import {
  type CallRecord,
  callTargetArea,
  confirmableUntil,
  decideConfirmation,
  expectedCallTarget,
  findSameCall,
  isRecordedLate,
  replacementMeeting,
} from './call-rules.js';

const at = (hhmm: string) => new Date(`2026-11-23T${hhmm}:00Z`);
const call = (id: string, hhmm: string, over: Partial<CallRecord> = {}): CallRecord => ({
  id,
  calledAt: at(hhmm),
  direction: 'incoming',
  confirmation: 'confirmed',
  sameCallAs: null,
  ...over,
});

describe('phone both ways: the pure rules', () => {
  it('a call recorded 61 minutes after it was made is flagged; 60 minutes is not', () => {
    expect(isRecordedLate(at('02:00'), at('03:00'))).toBe(false);
    expect(isRecordedLate(at('02:00'), at('03:01'))).toBe(true);
  });

  it('confirmation is open 24 h after the call, or until the event closes if that is sooner', () => {
    expect(confirmableUntil(at('02:00'), null).toISOString()).toBe('2026-11-24T02:00:00.000Z');
    expect(confirmableUntil(at('02:00'), at('05:00')).toISOString()).toBe(at('05:00').toISOString());
  });

  it('the call must go where the caller’s phone deadline goes, or to an office of that area', () => {
    const town = { id: 'town', kind: 'area', parentId: 'county' };
    const expected = expectedCallTarget(town, [
      { fromUnitId: 'town', toUnitId: 'county', channel: 'written' },
      { fromUnitId: 'county', toUnitId: 'city', channel: 'phone' },
    ]);
    expect(expected).toBe('county');
    expect(callTargetArea({ id: 'county', kind: 'area', parentId: 'city' }, expected)).toBe('county');
    expect(callTargetArea({ id: 'duty', kind: 'duty_room', parentId: 'county' }, expected)).toBe('county');
    expect(callTargetArea({ id: 'police', kind: 'department', parentId: 'county' }, expected)).toBeNull();
    expect(callTargetArea({ id: 'city', kind: 'area', parentId: null }, expected)).toBeNull();
    expect(callTargetArea(null, expected)).toBeNull();
    // a department reports to its own area
    expect(expectedCallTarget({ id: 'police', kind: 'department', parentId: 'county' }, [])).toBe('county');
  });

  it('both sides’ records of one call within 10 minutes pair up; 11 minutes apart they are two calls', () => {
    const incoming = [call('in1', '02:05')];
    expect(findSameCall(incoming, 'outgoing', at('02:00'))?.id).toBe('in1');
    expect(findSameCall(incoming, 'outgoing', at('01:54'))).toBeNull();
    // never with a record of the same direction, a disputed one or one already paired
    expect(findSameCall(incoming, 'incoming', at('02:05'))).toBeNull();
    expect(
      findSameCall([call('x', '02:01', { confirmation: 'disputed' })], 'outgoing', at('02:00')),
    ).toBeNull();
    expect(findSameCall([call('x', '02:01', { sameCallAs: 'y' })], 'outgoing', at('02:00'))).toBeNull();
    // the nearest wins
    const two = [call('far', '02:08'), call('near', '02:01')];
    expect(findSameCall(two, 'outgoing', at('02:00'))?.id).toBe('near');
  });

  it('after a dispute the earliest other call that counts meets the deadline, or nothing does', () => {
    const calls = [
      call('disputed', '02:00', { direction: 'outgoing', confirmation: 'disputed' }),
      call('later', '02:30'),
    ];
    expect(replacementMeeting(calls, 'disputed')?.id).toBe('later');
    expect(replacementMeeting([calls[0]], 'disputed')).toBeNull();
  });

  it('only an office user of the called area confirms, once, within the window', () => {
    const base = {
      call: { direction: 'outgoing', confirmation: 'pending', toAreaId: 'county' },
      actor: { officeUser: true, actingAreaId: 'county' },
      now: at('03:00'),
      until: at('04:00'),
    };
    expect(decideConfirmation({ ...base, action: 'confirm' })).toEqual({ ok: true, change: true });
    expect(
      decideConfirmation({ ...base, action: 'confirm', actor: { officeUser: true, actingAreaId: 'town' } }),
    ).toMatchObject({ ok: false, status: 403 });
    expect(
      decideConfirmation({
        ...base,
        action: 'confirm',
        actor: { officeUser: false, actingAreaId: 'county' },
      }),
    ).toMatchObject({ ok: false, status: 403 });
    expect(decideConfirmation({ ...base, action: 'dispute', now: at('04:01') })).toMatchObject({
      code: 'confirmation_closed',
    });
    const confirmed = { ...base, call: { ...base.call, confirmation: 'confirmed' } };
    expect(decideConfirmation({ ...confirmed, action: 'confirm' })).toEqual({ ok: true, change: false });
    expect(decideConfirmation({ ...confirmed, action: 'dispute' })).toMatchObject({
      code: 'call_already_confirmed',
    });
    const written = { ...base, call: { direction: null, confirmation: null, toAreaId: null } };
    expect(decideConfirmation({ ...written, action: 'confirm' })).toMatchObject({
      status: 409,
      code: 'not_an_outgoing_call',
    });
  });

  it('approving what was read: a stale version is refused, no version passes', () => {
    expect(versionStillCurrent(3, 3)).toBe(true);
    expect(versionStillCurrent(2, 3)).toBe(false);
    expect(versionStillCurrent(undefined, 3)).toBe(true);
    expect(versionStillCurrent(null, 3)).toBe(true);
  });
});
