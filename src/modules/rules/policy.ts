import { definePolicy } from '../../floor/policy.js';

/** Rule sets (SPEC §1: the administrator manages rules): everyone reads the rules in force and their history. */
export const rulesPolicy = definePolicy('rules', {
  read: { roles: 'signed-in' },
  save: { roles: ['admin'] },
});
