import type { Actor, Role } from '../../floor/context.js';
import { definePolicy } from '../../floor/policy.js';
import { isGlobalAdmin } from '../auth/policy.js';

/**
 * 政务信息: who may do what (issue 12, "Who may do what"). Topics and pieces are written by `reporter`s of any unit
 * and approved inside the unit (the unit they act for) by its `approver` or `principal`, like reports. A piece is
 * sent to the receiving area's two general offices; editors of an office the piece was sent to return, adopt and
 * record instructions; a township, or a section the piece never reached, cannot. A `leader` of the area or above
 * records their own instruction. Commissions, topics and publications belong to the information section of an
 * area's party or government office.
 */

/** The two general offices, each with its information section (信息科) and its own publications. */
export const SECTION_KINDS = ['party_office', 'gov_office'] as const;
export const isSectionOffice = (a: Actor) => (SECTION_KINDS as readonly string[]).includes(a.unit.kind);

export interface PieceResource {
  unitId: string;
  unitPath: string[];
  status: string;
  recipients: string[];
  firstSent: boolean;
}

/** Drafts are seen only by the unit that writes them; once sent, by that unit and the areas above it. */
export const seesPiece = (a: Actor, p: PieceResource) =>
  isGlobalAdmin(a) || a.acting.id === p.unitId || (p.firstSent && p.unitPath.includes(a.acting.id));

const leads = (a: Actor) => a.roles.includes('approver') || a.roles.includes('principal');
/** An editor of an office the piece was sent to. */
const receivingEditor = (a: Actor, p: PieceResource) =>
  a.roles.includes('editor') && p.recipients.includes(a.unitId) && p.status === 'sent';

export const WRITER_ROLES: readonly Role[] = ['reporter'];
export const LEAD_ROLES: readonly Role[] = ['approver', 'principal'];

export const affairsPolicy = definePolicy('affairs', {
  read: { roles: 'signed-in' },
  viewPiece: { roles: 'signed-in', allow: seesPiece, deny: { status: 404, code: 'piece_not_found' } },
  writePiece: { roles: WRITER_ROLES },
  /** the writer edits a draft or returned piece, an editor of a receiving office a sent one: decided on the piece */
  editPiece: { roles: [...WRITER_ROLES, 'editor'] },
  submitPiece: {
    roles: WRITER_ROLES,
    allow: (a: Actor, p: PieceResource) =>
      a.acting.id === p.unitId && ['draft', 'returned', 'returned_by_section'].includes(p.status),
  },
  approvePiece: {
    roles: LEAD_ROLES,
    allow: (a: Actor, p: PieceResource) => a.acting.id === p.unitId && p.status === 'awaiting_approval',
  },
  returnPiece: {
    roles: [...LEAD_ROLES, 'editor'],
    allow: (a: Actor, p: PieceResource) =>
      (leads(a) && a.acting.id === p.unitId && p.status === 'awaiting_approval') || receivingEditor(a, p),
  },
  adopt: { roles: ['editor'], allow: receivingEditor },
  instruct: {
    roles: ['editor', 'leader'],
    allow: (a: Actor, p: PieceResource) =>
      receivingEditor(a, p) ||
      (a.roles.includes('leader') &&
        p.firstSent &&
        p.unitPath.includes(a.acting.id) &&
        a.acting.id !== p.unitId),
  },
  commission: {
    roles: ['editor'],
    allow: (a: Actor, to: { path: string[]; id: string } | null) =>
      isSectionOffice(a) && (!to || (to.path.includes(a.acting.id) && to.id !== a.acting.id)),
  },
  recordDelivery: {
    roles: ['editor'],
    allow: (a: Actor, c: { issuerAreaId: string }) => isSectionOffice(a) && a.acting.id === c.issuerAreaId,
  },
  proposeTopic: { roles: WRITER_ROLES },
  screenTopic: {
    roles: ['editor'],
    allow: (a: Actor, t: { sectionAreaId: string }) => isSectionOffice(a) && a.acting.id === t.sectionAreaId,
  },
  setPriorities: { roles: ['editor'], allow: (a: Actor) => isSectionOffice(a) },
  publish: {
    roles: ['editor'],
    allow: (a: Actor, p: { officeId: string } | null) =>
      isSectionOffice(a) && (!p || p.officeId === a.unitId),
  },
  readIssue: {
    roles: 'signed-in',
    allow: (a: Actor, i: IssueResource) => seesIssue(a, i),
    deny: { status: 404, code: 'issue_not_found' },
  },
});

export interface IssueResource {
  officeId: string;
  areaId: string;
  areaPath: string[];
  kind: string;
  distribution: string[];
}

/**
 * An issue of a daily publication is read in its area, the areas above and the units below; a special report
 * (专报) or 社情民意 only by the leaders on its distribution list and the section that keeps it.
 */
export function seesIssue(a: Actor, i: IssueResource): boolean {
  // the section that keeps the publication: its office's editors
  if (a.unitId === i.officeId && a.roles.includes('editor')) return true;
  if (i.kind !== 'daily') return i.distribution.includes(a.id);
  return isGlobalAdmin(a) || a.acting.path.includes(i.areaId) || i.areaPath.includes(a.acting.id);
}

export const PIECE_ACTIONS = ['submitPiece', 'approvePiece', 'returnPiece', 'adopt', 'instruct'] as const;
