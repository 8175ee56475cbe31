import type { Actor } from '../../floor/context.js';
import { definePolicy } from '../../floor/policy.js';
import { inScope } from '../auth/policy.js';

/**
 * Notifications (SPEC §6): everyone reads, acknowledges and sets the rules of their own notifications (lists and
 * look-ups are limited to the caller's own in SQL: another person's is 404). Administrators keep the outbound
 * endpoints of their subtree and the notification rules of the people in it (elsewhere: 404, nothing leaks).
 */
export const notifyPolicy = definePolicy('notify', {
  own: { roles: 'signed-in' },
  manageEndpoints: { roles: ['admin'] },
  managePreferencesOf: {
    roles: ['admin'],
    allow: (a: Actor, person: { path: string[] }) => inScope(a, person.path),
    deny: { status: 404 },
  },
});
