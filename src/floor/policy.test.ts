import { describe, expect, test } from 'vitest';
import type { Actor } from './context.js';
import { authorize, can, canMany, definePolicy, ruleOf } from './policy.js';

const unit = {
  id: 'u1',
  name: '城关街道',
  kind: 'area',
  level: 'township',
  parentId: 'c1',
  path: ['c1', 'u1'],
};
const person = (roles: Actor['roles']): Actor => ({
  id: 'p',
  username: 'p',
  name: '张三',
  unitId: 'u1',
  roles,
  unit,
  acting: unit,
});

const p = definePolicy('policy_test', {
  list: { roles: 'signed-in' },
  issue: { roles: ['editor', 'leader'] },
  progress: {
    roles: 'signed-in',
    allow: (a: Actor, task: { ownerUnitId: string }) => a.acting.id === task.ownerUnitId,
  },
});

describe('policy', () => {
  test('the role gate denies by default and the rule decides on the record', () => {
    expect(can(person(['reporter']), p, 'list')).toBe(true);
    expect(can(person(['reporter']), p, 'issue')).toBe(false);
    expect(can(person(['leader']), p, 'issue')).toBe(true);
    expect(can(null, p, 'list')).toBe(false);
    expect(can(person(['reporter']), p, 'progress', { ownerUnitId: 'u1' })).toBe(true);
    expect(can(person(['reporter']), p, 'progress', { ownerUnitId: 'u2' })).toBe(false);
  });

  test('authorize throws 403 with the roles needed; canMany answers per action', () => {
    expect(() => authorize(person(['reporter']), p, 'issue')).toThrowError(
      expect.objectContaining({ status: 403, details: { requiredRoles: ['editor', 'leader'] } }),
    );
    expect(canMany(person(['reporter']), p, ['progress'], { ownerUnitId: 'u2' })).toEqual({
      progress: false,
    });
  });

  test('a record refused is 403 without roles (the role is held), or the status and code the rule says', () => {
    const q = definePolicy('policy_test_deny', {
      mine: {
        roles: ['reporter'],
        allow: (a: Actor, r: { ownerId: string }) => r.ownerId === a.id,
        deny: { status: 404 },
      },
      onShift: {
        roles: 'signed-in',
        allow: (a: Actor, r: { ownerId: string }) => r.ownerId === a.id,
        deny: { code: 'not_on_shift' },
      },
    });
    expect(() => authorize(person(['reporter']), p, 'progress', { ownerUnitId: 'u2' })).toThrowError(
      expect.objectContaining({ status: 403, code: 'forbidden', details: {} }),
    );
    expect(() => authorize(person(['reporter']), q, 'mine', { ownerId: 'x' })).toThrowError(
      expect.objectContaining({ status: 404, code: 'not_found' }),
    );
    // a missing role is still 403 with the roles needed, whatever the record
    expect(() => authorize(person(['leader']), q, 'mine', { ownerId: 'p' })).toThrowError(
      expect.objectContaining({ status: 403, code: 'forbidden', details: { requiredRoles: ['reporter'] } }),
    );
    expect(() => authorize(person(['leader']), q, 'onShift', { ownerId: 'x' })).toThrowError(
      expect.objectContaining({ status: 403, code: 'not_on_shift' }),
    );
    expect(() => authorize(person(['leader']), q, 'onShift', { ownerId: 'p' })).not.toThrow();
  });

  test('a route declaration names a defined action or nothing', () => {
    expect(p.ref('issue')).toBe('policy_test.issue');
    expect(() => p.ref('nope' as never)).toThrow();
    expect(ruleOf('policy_test.issue')).toBeDefined();
    expect(ruleOf('policy_test.nope')).toBeUndefined();
  });
});
