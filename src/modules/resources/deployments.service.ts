import { audit } from '../../floor/audit.js';
import type { Actor, UserCtx } from '../../floor/context.js';
import { conflict, notFound } from '../../floor/errors.js';
import { authorize, can } from '../../floor/policy.js';
import { getVisibleEvent } from '../emergency/emergency.repo.js';
import './messages.js';
import { resourcesPolicy } from './policy.js';
import { ownedRef } from './registers.service.js';
import {
  type DeploymentRow,
  deploymentById,
  deploymentsOf,
  insertDeployment,
  readableEntry,
  releaseDeployment,
  setReadiness,
} from './resources.repo.js';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

const present = (a: Actor, d: DeploymentRow) => ({
  id: d.id,
  eventId: d.event_id,
  teamId: d.team_id,
  teamName: d.team_name,
  deployedByName: d.deployed_by_name,
  deployedAt: iso(d.deployed_at)!,
  releasedAt: iso(d.released_at),
  can: {
    release:
      !d.released_at &&
      can(a, resourcesPolicy, 'dispatch', { unitId: d.team_unit_id, areaId: d.team_area_id }),
  },
});

/**
 * POST /api/events/{id}/team-deployments: send a ready team to an event (the team's owner's or area's principal
 * or people on duty); its readiness becomes `deployed` (out of the suggestions) until released. The team row is
 * locked: a team already out → 409 team_not_ready.
 */
export async function deployTeam(ctx: UserCtx, eventId: string, body: { teamId: string }) {
  const ev = await getVisibleEvent(ctx, eventId);
  if (!ev) throw notFound('event_not_found');
  if (ev.status === 'closed') throw conflict('event_closed');
  const team = await readableEntry(ctx, ctx.actor, 'team', body.teamId, true);
  if (!team) throw notFound('resource_not_found');
  authorize(ctx.actor, resourcesPolicy, 'dispatch', ownedRef(team));
  if (team.readiness !== 'ready') throw conflict('team_not_ready', { readiness: team.readiness ?? '' });
  const id = await insertDeployment(ctx, eventId, team.id);
  await setReadiness(ctx, team.id, 'deployed');
  await audit(ctx, {
    stream: `event:${eventId}`,
    action: 'team_deployed',
    entityType: 'team_deployment',
    entityId: id,
    data: { teamId: team.id, teamName: team.name, from: team.readiness, to: 'deployed' },
  });
  return present(ctx.actor, (await deploymentById(ctx, ctx.actor, id))!);
}

/** POST /api/team-deployments/{id}/release: the team is back and ready again. */
export async function releaseTeam(ctx: UserCtx, id: string) {
  const d = await deploymentById(ctx, ctx.actor, id, true);
  if (!d) throw notFound('team_deployment_not_found');
  authorize(ctx.actor, resourcesPolicy, 'dispatch', { unitId: d.team_unit_id, areaId: d.team_area_id });
  if (d.released_at) throw conflict('team_already_released');
  await releaseDeployment(ctx, id);
  await setReadiness(ctx, d.team_id, 'ready');
  await audit(ctx, {
    stream: `event:${d.event_id}`,
    action: 'team_released',
    entityType: 'team_deployment',
    entityId: id,
    data: { teamId: d.team_id, teamName: d.team_name, from: 'deployed', to: 'ready' },
  });
  return present(ctx.actor, (await deploymentById(ctx, ctx.actor, id))!);
}

export async function eventDeployments(ctx: UserCtx, eventId: string) {
  if (!(await getVisibleEvent(ctx, eventId))) throw notFound('event_not_found');
  return { items: (await deploymentsOf(ctx, eventId)).map((d) => present(ctx.actor, d)), nextCursor: null };
}
