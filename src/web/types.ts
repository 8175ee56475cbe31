export type Role =
  | 'reporter'
  | 'approver'
  | 'principal'
  | 'duty_officer'
  | 'duty_leader'
  | 'editor'
  | 'leader'
  | 'admin'
  | 'auditor';
export const ROLES: Role[] = [
  'reporter',
  'approver',
  'principal',
  'duty_officer',
  'duty_leader',
  'editor',
  'leader',
  'admin',
  'auditor',
];

export type UnitKind =
  | 'area'
  | 'party_office'
  | 'gov_office'
  | 'duty_room'
  | 'confidential_bureau'
  | 'emergency_office'
  | 'department'
  | 'enterprise';
export const UNIT_KINDS: UnitKind[] = [
  'area',
  'party_office',
  'gov_office',
  'duty_room',
  'confidential_bureau',
  'emergency_office',
  'department',
  'enterprise',
];
export const OFFICE_KINDS: UnitKind[] = ['party_office', 'gov_office', 'duty_room', 'confidential_bureau'];
export type AreaLevel = 'nation' | 'province' | 'city' | 'county' | 'township';
export const AREA_LEVELS: AreaLevel[] = ['nation', 'province', 'city', 'county', 'township'];

export interface UnitRef {
  id: string;
  name: string;
  kind: UnitKind;
  level: AreaLevel | null;
  parentId: string | null;
}

export interface Me {
  id: string;
  username: string;
  name: string;
  unitId: string;
  roles: Role[];
  unit?: UnitRef;
  actingUnitId?: string;
  actingUnit?: UnitRef;
}

export interface Unit extends UnitRef {
  divisionCode: string | null;
  departmentType?: string | null;
  dutyPhone?: string | null;
  fax?: string | null;
  workingHours?: { days?: number[]; periods: [string, string][] } | null;
  disabled?: boolean;
  responsibleConfirmedAt?: string | null;
}

export interface User {
  id: string;
  username: string;
  name: string;
  unitId: string;
  roles: Role[];
  officerType?: 'full_time' | 'part_time' | null;
  post?: string | null;
  phone?: string | null;
  email?: string | null;
  disabled?: boolean;
  /** set while sign-in is locked after repeated failures */
  lockedUntil?: string | null;
  /** what the API allows the caller on this person (in the user list) */
  can?: { edit: boolean; resetPassword: boolean; unlock: boolean };
}

export type Level = 'I' | 'II' | 'III' | 'IV';
export const LEVELS: Level[] = ['I', 'II', 'III', 'IV'];

export interface Casualties {
  dead: number;
  missing: number;
  seriouslyInjured: number;
  lightlyInjured: number;
  trapped: number;
}

export const ELEMENT_KEYS = [
  'occurredAt',
  'place',
  'cause',
  'scope',
  'casualties',
  'loss',
  'measures',
  'nextSteps',
  'contact',
] as const;
export type ElementKey = (typeof ELEMENT_KEYS)[number];

export interface Elements {
  occurredAt?: string;
  place?: string;
  cause?: string;
  scope?: string;
  casualties?: Partial<Casualties> | string;
  loss?: string;
  measures?: string;
  nextSteps?: string;
  contact?: string;
}

export type ReportKind = 'phone' | 'initial' | 'followup' | 'verification' | 'final';
export type ReportStatus = 'draft' | 'awaiting_approval' | 'returned' | 'sent' | 'recorded';

export interface Approval {
  id?: string;
  step: 'approver' | 'principal' | string;
  status: 'pending' | 'approved' | 'skipped' | string;
  userId?: string | null;
  userName?: string | null;
  at?: string | null;
  comment?: string | null;
  countersign?: 'none' | 'outstanding' | 'done' | string;
  countersignedBy?: string | null;
  countersignedAt?: string | null;
}

export interface Delivery {
  deliveryId: string;
  reportId: string;
  eventId: string;
  fromUnitId: string;
  toUnitId: string;
  via: string;
  arrivedAt: string;
  signedAt: string | null;
  signedBy: string | null;
  offHours: boolean;
  ackedAt: string | null;
  verifiedAt: string | null;
}

export interface Report {
  id: string;
  label?: string;
  /** a field report: the device's time at the scene (shown as 现场记录于, never counts) */
  capturedAt?: string | null;
  deliveries?: Delivery[];
  countersignatures?: Array<{ step: string; status: string; userId: string | null; at: string | null }>;
  version?: number;
  eventId: string;
  unitId: string;
  kind: ReportKind;
  seq?: number;
  status: ReportStatus;
  elements: Elements;
  pendingElements?: Record<string, string>;
  fastTrack?: boolean;
  level?: Level | null;
  recipients?: string[];
  createdBy?: string;
  createdAt?: string;
  submittedAt?: string | null;
  sentAt?: string | null;
  calledAt?: string | null;
  callerName?: string | null;
  callerPhone?: string | null;
  callerUnitId?: string | null;
  returnReason?: string | null;
  approvals?: Approval[];
  contradictions?: Array<{ code?: string; message?: string } | string>;
  event?: Partial<EventItem>;
  /** phone reports are calls: recorded by the receiving office (incoming) or by the caller (outgoing) */
  direction?: 'incoming' | 'outgoing' | null;
  toUnitId?: string | null;
  answeredBy?: string | null;
  confirmation?: CallConfirmation | null;
  confirmedAt?: string | null;
  confirmedBy?: string | null;
  disputeReason?: string | null;
  sameCallAs?: string | null;
  recordedLate?: boolean;
  can?: { confirm?: boolean; dispute?: boolean };
}

export type CallConfirmation = 'pending' | 'confirmed' | 'disputed';

export interface Deadline {
  id?: string;
  fromUnitId: string;
  toUnitId: string;
  channel: 'phone' | 'written';
  dueAt: string;
  metAt: string | null;
  status: 'pending' | 'met' | 'late' | 'missed';
  limitMinutes?: number;
  ruleSetVersion?: number;
  countsFrom?: string;
  baseAt?: string;
}

export interface Flags {
  specialPersons?: string[];
  sensitivePlace?: boolean;
  sensitiveTime?: boolean;
  massIncident?: boolean;
  mayEscalate?: boolean;
  publicOpinion?: boolean;
  invertedFlow?: string[];
}

export interface EventItem {
  id: string;
  title: string;
  categoryCode: string;
  categoryName?: string;
  level: Level | null;
  occurredAt: string;
  learnedAt?: string | null;
  registeredAt?: string;
  place: { divisionCode?: string | null; address: string; lng?: number; lat?: number };
  responsibleUnitId: string;
  source?: string;
  summary?: string | null;
  casualties?: Casualties;
  directLossYuan?: number | string | null;
  flags?: Flags;
  mustReport?: { required: boolean; rules: string[]; ruleSetVersion?: number | string };
  status: 'open' | 'closed' | string;
  reports?: Report[];
  deadlines?: Deadline[];
  proposedLevel?: Level | null;
  registeredByUnitId?: string;
  closedAt?: string | null;
  activeResponse?: boolean;
  overdueDeadlines?: number;
  reportsCount?: number;
  pendingElements?: Array<{ element: string; reason: string; reportId: string }>;
  requests?: Array<{
    id: string;
    fromUnitId: string;
    toUnitId: string;
    message: string;
    at: string;
    answeredReportId: string | null;
    answeredAt: string | null;
  }>;
  changes?: Array<{
    at: string;
    userId: string;
    unitId: string;
    changes: Record<string, { from: unknown; to: unknown }>;
    reason: string;
  }>;
  supersededDeadlines?: Array<Deadline & { supersededAt: string; supersededReason: string }>;
  classification?: string;
}

export interface TimelineItem {
  id: number;
  at: string;
  action: string;
  entityType: string;
  entityId: string | null;
  unitId: string | null;
  unitName: string | null;
  /** where the step went (a report arriving at an intake) */
  toUnitId?: string;
  /** the person's own unit; `unitId` is the unit they acted for */
  actorUnitId?: string;
  /** the role they acted in (带班领导 approving off-hours …) */
  asRole?: string;
  userId: string | null;
  userName: string | null;
  data: Record<string, any>;
}

export interface IntakeItem {
  deliveryId?: string;
  reportId: string;
  eventId: string;
  fromUnitId: string;
  arrivedAt: string;
  signedAt: string | null;
  signedBy?: string | null;
  via?: string;
  offHours?: boolean;
  toUnitId?: string;
  ackedAt?: string | null;
  verifiedAt?: string | null;
  label?: string;
  fromUnitName?: string;
  eventStatus?: string;
  overdueDeadlines?: number;
  title?: string;
  level?: Level | null;
  kind?: ReportKind;
  categoryCode?: string;
  occurredAt?: string;
  /** an outgoing call its caller recorded (via `call`): confirm or dispute */
  call?: {
    confirmation: CallConfirmation;
    answeredBy: string | null;
    callerName: string | null;
    calledAt: string;
    disputeReason: string | null;
    can: { confirm: boolean; dispute: boolean };
  };
}

export interface Category {
  code: string;
  name: string;
  nameEn?: string;
  parentCode: string | null;
  depth?: number;
}
