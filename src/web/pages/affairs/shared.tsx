import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export const PIECE_KINDS = [
  'dynamic',
  'experience',
  'problem',
  'suggestion',
  'public_sentiment',
  'online_opinion',
] as const;
export const WHERES = [
  'own_daily',
  'own_short',
  'city_daily',
  'city_short',
  'city_special',
  'province_bulletin',
  'province_special',
  'centre_forwarded',
  'centre_adopted',
] as const;
export const LEADER_LEVELS = ['county', 'city', 'province', 'centre'] as const;

export interface Piece {
  id: string;
  title: string;
  kind: string;
  body: string;
  commissionId: string | null;
  commissionTitle: string | null;
  eventDate: string | null;
  unitId: string;
  unitName: string;
  createdByName: string;
  status: string;
  version: number;
  returnReason: string | null;
  toAreaName: string;
  recipients: Array<{ id: string; name: string }>;
  sentAt: string | null;
  firstSentAt: string | null;
  sameDay: boolean | null;
  adoptions: Array<{ id: string; officeName: string; where: string; at: string; points: number }>;
  instructions: Array<{
    id: string;
    leaderLevel: string;
    leaderName: string;
    text: string;
    at: string;
    points: number;
  }>;
  points: number;
  files: Array<{ id: string; filename: string; mime: string; size: number }>;
  warnings?: Array<{
    code: string;
    years?: number[];
    mediaReportedAt?: string;
    share?: number;
    pieces?: number;
  }>;
  versions?: Array<{
    version: number;
    title: string;
    body: string;
    note: string | null;
    at: string;
    editedByName: string | null;
    unitName: string | null;
  }>;
  can: {
    submitPiece: boolean;
    approvePiece: boolean;
    returnPiece: boolean;
    adopt: boolean;
    instruct: boolean;
    edit: boolean;
  };
}

export interface Commission {
  id: string;
  title: string;
  toUnitId: string;
  toUnitName: string;
  issuerOfficeName: string;
  dueAt: string;
  status: 'open' | 'delivered' | 'late' | 'missed';
  overdue: boolean;
  deliveredAt: string | null;
  can: { recordDelivery: boolean; writePiece: boolean };
}

const PIECE_COLORS: Record<string, string> = {
  draft: 'default',
  awaiting_approval: 'processing',
  returned: 'warning',
  sent: 'success',
  returned_by_section: 'warning',
};

export function PieceStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={PIECE_COLORS[status]} data-testid={`piece-status-${status}`}>
      {t(`affairs.status.${status}`)}
    </Tag>
  );
}

const C_COLORS: Record<string, string> = {
  open: 'processing',
  delivered: 'success',
  late: 'orange',
  missed: 'error',
};

/** A commission's status; overdue in red. */
export function CommissionStatusTag({ c }: { c: Pick<Commission, 'status' | 'overdue'> }) {
  const { t } = useTranslation();
  if (c.status === 'open' && c.overdue)
    return (
      <Tag color="red" data-testid="commission-status-overdue">
        {t('affairs.cstatus.overdue')}
      </Tag>
    );
  return (
    <Tag color={C_COLORS[c.status]} data-testid={`commission-status-${c.status}`}>
      {t(`affairs.cstatus.${c.status}`)}
    </Tag>
  );
}
