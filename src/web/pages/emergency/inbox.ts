import type { Level, Report } from '../../types';

export type InboxReport = Report & {
  label?: string;
  eventTitle: string;
  eventLevel: Level | null;
  canApprove?: boolean;
  canCountersign?: boolean;
  countersignatures?: Array<{ step: string; status: string; userId: string | null; at: string | null }>;
};

export interface InboxRequest {
  id: string;
  eventId: string;
  fromUnitId: string;
  toUnitId: string;
  message: string;
  at: string;
  userId: string;
  answeredReportId: string | null;
  answeredAt: string | null;
  eventTitle: string;
  eventLevel: Level | null;
}

/** GET /api/inbox: my unit's drafts, approvals, countersignatures owed and requests from above. */
export interface Inbox {
  requests: InboxRequest[];
  drafts: InboxReport[];
  awaitingApproval: InboxReport[];
  countersign: InboxReport[];
}

/** What needs the user's hand now. */
export function inboxCount(b: Inbox | undefined): number {
  if (!b) return 0;
  return (
    b.awaitingApproval.filter((r) => r.canApprove).length +
    b.countersign.filter((r) => r.canCountersign).length +
    b.drafts.filter((r) => r.status === 'returned').length +
    b.requests.filter((q) => !q.answeredReportId).length
  );
}
