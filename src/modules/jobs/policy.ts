import type { Actor } from '../../floor/context.js';
import { definePolicy } from '../../floor/policy.js';

/** Background jobs: only the person who started one follows it (anyone else: 404, existence does not leak). */
export const jobsPolicy = definePolicy('jobs', {
  follow: {
    roles: 'signed-in',
    allow: (a: Actor, job: { actor_id: string }) => job.actor_id === a.id,
    deny: { status: 404 },
  },
});
