import type { Actor, Role } from '../../floor/context.js';
import { definePolicy } from '../../floor/policy.js';
import { inScope } from '../auth/policy.js';

/**
 * Who may do what in inspections (大检查) — deny by default; the routes declare these actions and the answers
 * carry `can` from the same table.
 *
 * - **Campaigns** are created by `editor`s or `admin`s of an area's offices (a person whose unit is an office
 *   acting for its area); the sectors' lead departments and the participating units must lie in that area.
 * - **Visits and hazards** of a campaign are recorded by users acting for the campaign's issuing area, one of
 *   its participating units or one of its lead departments (and the responsible unit must lie in the campaign's
 *   area). **Without a campaign** a person records for the subtree of the unit they act for: the offices of an
 *   area for any unit of the area, a department or enterprise for itself and the units below it.
 * - **Rectification** is reported by users acting for the responsible unit (offices act for their area).
 * - **Verification** is by users acting for the recording unit or the sector's lead department — never the
 *   responsible unit itself, even when it recorded the hazard (then the lead department verifies).
 * - **Major hazard sources (重大危险源)** are registered by `editor`s and `admin`s for a unit of their subtree; read
 *   across the owner's county-level area and by the areas above (not by sibling counties — filtered in SQL); checked
 *   in by users acting for the responsible unit; readings are posted by a monitoring system's account acting for
 *   the responsible unit or an area above it.
 * - **安委办** (an area's safety committee office) is named by the area's administrators (or those above).
 * - **Tip-offs (举报)** are seen by the offices of the tip-off's area and of the areas above it, and by the unit
 *   it is assigned to. The offices (editor, duty, leader, principal, admin roles) assign it; the handling unit —
 *   the assigned unit, or the area while unassigned — investigates and closes it, and alone sees the tipster's
 *   contact.
 */

export type CampaignScope = { areaId: string; unitIds: string[]; leadUnitIds: string[] };
export type RecordScope = { campaign: CampaignScope | null; responsibleUnitPath: string[] };
export type HazardRef = {
  responsibleUnitId: string;
  recordingUnitId: string;
  leadUnitId: string | null;
};
export type TipoffRef = { areaPath: string[]; areaId: string; assignedUnitId: string | null };
/** A major hazard source (重大危险源): its responsible unit. */
export type SourceRef = { unitId: string; unitPath: string[] };

const OFFICE_ROLES: Role[] = ['editor', 'duty_officer', 'duty_leader', 'leader', 'principal', 'admin'];

/** A person of an area's office: their unit acts for the area above it. */
const actsForArea = (a: Actor) => a.acting.id !== a.unit.id && a.acting.kind === 'area';

const inCampaign = (a: Actor, c: CampaignScope) =>
  a.acting.id === c.areaId || c.unitIds.includes(a.acting.id) || c.leadUnitIds.includes(a.acting.id);

export const inspectionsPolicy = definePolicy('inspections', {
  read: { roles: 'signed-in' },
  createCampaign: { roles: ['editor', 'admin'], allow: (a: Actor, _none: undefined) => actsForArea(a) },
  recordVisit: {
    roles: 'signed-in',
    allow: (a: Actor, c: CampaignScope | null) => (c ? inCampaign(a, c) : true),
  },
  recordHazard: {
    roles: 'signed-in',
    allow: (a: Actor, r: RecordScope) =>
      r.campaign
        ? inCampaign(a, r.campaign) && r.responsibleUnitPath.includes(r.campaign.areaId)
        : r.responsibleUnitPath.includes(a.acting.id),
  },
  rectify: { roles: 'signed-in', allow: (a: Actor, h: HazardRef) => a.acting.id === h.responsibleUnitId },
  verify: {
    roles: 'signed-in',
    allow: (a: Actor, h: HazardRef) =>
      a.acting.id !== h.responsibleUnitId &&
      (a.acting.id === h.recordingUnitId || a.acting.id === h.leadUnitId),
  },
  addPhoto: {
    roles: 'signed-in',
    allow: (a: Actor, h: HazardRef) =>
      [h.responsibleUnitId, h.recordingUnitId, h.leadUnitId].includes(a.acting.id),
  },
  registerSource: {
    roles: ['editor', 'admin'],
    allow: (a: Actor, s: SourceRef) => inScope(a, s.unitPath),
  },
  checkSource: { roles: 'signed-in', allow: (a: Actor, s: SourceRef) => a.acting.id === s.unitId },
  postReading: { roles: 'signed-in', allow: (a: Actor, s: SourceRef) => inScope(a, s.unitPath) },
  setSafetyOffice: { roles: ['admin'], allow: (a: Actor, areaPath: string[]) => inScope(a, areaPath) },
  listTipoffs: { roles: 'signed-in' },
  assignTipoff: { roles: OFFICE_ROLES, allow: (a: Actor, t: TipoffRef) => t.areaPath.includes(a.acting.id) },
  handleTipoff: {
    roles: 'signed-in',
    allow: (a: Actor, t: TipoffRef) => a.acting.id === (t.assignedUnitId ?? t.areaId),
  },
});

export const HAZARD_ACTIONS = ['rectify', 'verify', 'addPhoto'] as const;
export const SOURCE_ACTIONS = ['checkSource', 'postReading'] as const;
export const TIPOFF_ACTIONS = ['assignTipoff', 'handleTipoff'] as const;
