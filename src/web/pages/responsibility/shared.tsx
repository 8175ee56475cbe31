import { Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { TZ } from '../../format';
import './strings';

export const TIERS = ['principal', 'leader_in_charge', 'office_director'] as const;
export type Tier = (typeof TIERS)[number];
export type ConfirmationStatus = 'confirmed' | 'unconfirmed' | 'expired';

export interface ResponsiblePerson {
  tier: Tier;
  tierName?: string;
  name: string;
  post: string | null;
  phone: string | null;
  userId: string | null;
  updatedAt?: string;
}

export interface ResponsibleList {
  unitId: string;
  unitName: string;
  persons: ResponsiblePerson[];
  missingTiers: Tier[];
  confirmedAt: string | null;
  expiresAt: string | null;
  status: ConfirmationStatus;
  confirmationDays: number;
  /** what the API allows the caller: change and confirm the list */
  can?: { keep: boolean };
}

export interface DefectItem {
  unitId: string;
  name: string;
  kind: string;
  level: string | null;
  parentId: string | null;
  divisionCode: string | null;
  responsible: {
    status: ConfirmationStatus;
    missingTiers: Tier[];
    confirmedAt: string | null;
    expiresAt: string | null;
  } | null;
  dutyPhoneMissing: boolean;
  problems: Array<{ code: string; message: string }>;
}

export interface StaffingItem {
  unitId: string;
  name: string;
  kind: string;
  level: string | null;
  parentId: string | null;
  divisionCode: string | null;
  rule: 'township' | 'county_department';
  fullTime: number;
  partTime: number;
  officers: number;
  problems: Array<{ code: string; message: string }>;
}

/** 2026-11-23 (Beijing date). */
export const fmtDate = (iso: string | null | undefined) =>
  iso ? dayjs(iso).tz(TZ).format('YYYY-MM-DD') : '—';

/** Whole days from now until `iso` (negative when past). */
export const daysUntil = (iso: string) => {
  const d = (dayjs(iso).valueOf() - Date.now()) / 86_400_000;
  return d >= 0 ? Math.ceil(d) : Math.floor(d);
};

const STATUS_COLOR: Record<ConfirmationStatus, string> = {
  confirmed: 'success',
  unconfirmed: 'warning',
  expired: 'error',
};

export function ConfirmationTag({ status }: { status: ConfirmationStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-status={status}>
      {t(`resp.status.${status}`)}
    </Tag>
  );
}
