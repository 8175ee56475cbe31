import { useQuery } from '@tanstack/react-query';
import { Card, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { fmtTime } from '../../format';
import { type Person, shiftLabel } from './shared';
import './strings';

interface Row {
  unit: { id: string; name: string; kind: string; areaName: string | null };
  dutyPhone: string | null;
  status: 'no_roster' | 'gap' | 'on_duty' | 'not_checked_in';
  shifts: {
    shiftId: string;
    shiftName: string;
    officer: Person | null;
    leader: Person | null;
    checkedInAt: string | null;
  }[];
}
const COLOR = { on_duty: 'green', not_checked_in: 'orange', gap: 'red', no_roster: 'default' } as const;
const who = (p: Person | null) => (p ? `${p.name}${p.phone ? ` ${p.phone}` : ''}` : '—');

/** 在岗情况: who is on duty now at every duty unit at and below my level. */
export default function OnDutyBoardPage() {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['duty', 'now'],
    queryFn: () => api.get<{ at: string; items: Row[] }>('/api/duty/now'),
    refetchInterval: 60_000,
  });
  return (
    <>
      <PageHeader
        title={t('duty.board.title')}
        subtitle={`${t('duty.board.sub')} · ${fmtTime(q.data?.at)}`}
      />
      <Card>
        <QueryState loading={q.isLoading} error={q.error}>
          <ResponsiveTable
            size="small"
            rowKey={(r) => r.unit.id}
            dataSource={q.data?.items ?? []}
            pagination={{ pageSize: 50 }}
            columns={[
              { title: t('duty.unit'), render: (_, r) => r.unit.name },
              {
                title: t('common.status'),
                dataIndex: 'status',
                render: (s: Row['status']) => <Tag color={COLOR[s]}>{t(`duty.board.status.${s}`)}</Tag>,
              },
              { title: t('duty.board.phone'), dataIndex: 'dutyPhone', render: (v) => v ?? '—' },
              {
                title: t('duty.shift'),
                render: (_, r) => r.shifts.map((s) => shiftLabel(s.shiftName)).join(t('duty.listSep')) || '—',
              },
              {
                title: t('duty.officer'),
                render: (_, r) => r.shifts.map((s) => who(s.officer)).join('；') || '—',
              },
              {
                title: t('duty.leader'),
                render: (_, r) => r.shifts.map((s) => who(s.leader)).join('；') || '—',
              },
              {
                title: t('duty.board.checkedIn'),
                render: (_, r) => r.shifts.map((s) => fmtTime(s.checkedInAt)).join('；') || '—',
              },
            ]}
          />
        </QueryState>
      </Card>
    </>
  );
}
