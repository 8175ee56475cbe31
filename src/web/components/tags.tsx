import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Deadline, Level, ReportStatus, Role } from '../types';

/** National warning colours: Ⅰ red, Ⅱ orange, Ⅲ yellow, Ⅳ blue; not graded grey. */
export const LEVEL_COLORS: Record<Level | 'none', { bg: string; fg: string; border: string }> = {
  I: { bg: '#d4000f', fg: '#fff', border: '#a8000c' },
  II: { bg: '#f57c00', fg: '#fff', border: '#c96500' },
  III: { bg: '#fadb14', fg: '#3d3200', border: '#d4b106' },
  IV: { bg: '#1565c0', fg: '#fff', border: '#0d4a91' },
  none: { bg: '#8c8c8c', fg: '#fff', border: '#737373' },
};
export const ROMAN: Record<Level, string> = { I: 'Ⅰ', II: 'Ⅱ', III: 'Ⅲ', IV: 'Ⅳ' };

export function LevelTag({ level, short = false }: { level: Level | null | undefined; short?: boolean }) {
  const { t } = useTranslation();
  const c = LEVEL_COLORS[level ?? 'none'];
  const label = level
    ? short
      ? `${ROMAN[level]}${t('level.suffix')}`
      : `${ROMAN[level]} ${t(`level.${level}`)}`
    : t('level.none');
  return (
    <Tag
      className="level-tag"
      style={{ background: c.bg, color: c.fg, borderColor: c.border, fontWeight: 600 }}
      data-level={level ?? 'none'}
    >
      {label}
    </Tag>
  );
}

export function levelColor(level: Level | null | undefined): string {
  return LEVEL_COLORS[level ?? 'none'].bg;
}

const STATUS_COLORS: Record<string, string> = {
  draft: 'default',
  awaiting_approval: 'processing',
  returned: 'warning',
  sent: 'success',
  recorded: 'cyan',
};
export function ReportStatusTag({ status }: { status: ReportStatus | string }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLORS[status] ?? 'default'}>{t(`reportStatus.${status}`, status)}</Tag>;
}

const ROLE_COLORS: Record<Role, string> = {
  reporter: 'blue',
  approver: 'geekblue',
  principal: 'purple',
  duty_officer: 'cyan',
  duty_leader: 'green',
  editor: 'gold',
  leader: 'volcano',
  admin: 'magenta',
  auditor: 'lime',
};
export function RoleTags({ roles }: { roles: Role[] }) {
  const { t } = useTranslation();
  return (
    <>
      {roles.map((r) => (
        <Tag key={r} color={ROLE_COLORS[r] ?? 'default'} variant="filled">
          {t(`role.${r}`)}
        </Tag>
      ))}
    </>
  );
}

const DL_COLORS: Record<Deadline['status'], string> = {
  pending: 'processing',
  met: 'success',
  late: 'error',
  missed: 'error',
};
export function DeadlineStatusTag({ status }: { status: Deadline['status'] }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`deadlineStatus.${status}Hint`)}>
      <Tag color={DL_COLORS[status]} style={status === 'missed' ? { fontWeight: 700 } : undefined}>
        {t(`deadlineStatus.${status}`)}
      </Tag>
    </Tooltip>
  );
}
