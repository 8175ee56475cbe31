import { useQuery } from '@tanstack/react-query';
import { Card, DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api';
import { PageHeader } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import './strings';

interface YoY {
  current: number;
  previous: number;
  change: number;
  ratio: number | null;
  direction: 'up' | 'down' | 'flat';
}
interface Stats {
  from: string;
  to: string;
  yoy: { total: YoY; major: YoY };
  bySector: { sector: string; general: number; major: number }[];
  byMonth: { month: string; general: number; major: number }[];
  byUnit: {
    unitId: string;
    unitName: string;
    due: number;
    onTime: number;
    overdue: number;
    open: number;
    onTimeRate: number | null;
  }[];
}

/** 隐患统计: by sector and severity, by month, and the on-time rectification rate per responsible unit. */
export default function InspectionStatsPage() {
  const { t } = useTranslation();
  const [from, setFrom] = useState<Dayjs>(dayjs().startOf('year'));
  const [to, setTo] = useState<Dayjs>(dayjs().endOf('year'));
  const q = useQuery({
    queryKey: ['inspections', 'stats', from.format('YYYY-MM-DD'), to.format('YYYY-MM-DD')],
    queryFn: () =>
      api.get<Stats>(
        `/api/inspections/stats${qs({ from: from.format('YYYY-MM-DD'), to: to.format('YYYY-MM-DD') })}`,
      ),
  });
  const sev = [
    { title: t('insp.hazard.sev.general'), dataIndex: 'general' },
    { title: t('insp.hazard.sev.major'), dataIndex: 'major' },
  ];
  return (
    <>
      <PageHeader
        title={t('insp.stats.title')}
        extra={
          <div className="insp-period">
            <DatePicker
              value={from}
              onChange={(d) => d && setFrom(d)}
              allowClear={false}
              inputReadOnly
              aria-label={t('insp.campaign.from')}
            />
            <DatePicker
              value={to}
              onChange={(d) => d && setTo(d)}
              allowClear={false}
              inputReadOnly
              aria-label={t('insp.campaign.to')}
            />
          </div>
        }
      />
      {q.data ? (
        <Card title={t('insp.stats.yoy')} style={{ marginBottom: 16 }}>
          <p data-testid="insp-yoy">
            {t('insp.stats.yoyLine', {
              n: q.data.yoy.total.current,
              major: q.data.yoy.major.current,
              prev: q.data.yoy.total.previous,
              change: `${q.data.yoy.total.change >= 0 ? '+' : ''}${q.data.yoy.total.change}`,
              pct:
                q.data.yoy.total.ratio === null ? '—' : `${Math.round(q.data.yoy.total.ratio * 1000) / 10}%`,
            })}
          </p>
        </Card>
      ) : null}
      <Card title={t('insp.stats.bySector')} style={{ marginBottom: 16 }}>
        <ResponsiveTable
          size="small"
          rowKey="sector"
          pagination={false}
          loading={q.isLoading}
          dataSource={q.data?.bySector ?? []}
          columns={[{ title: t('insp.hazard.sector'), dataIndex: 'sector' }, ...sev]}
        />
      </Card>
      <Card title={t('insp.stats.byMonth')} style={{ marginBottom: 16 }}>
        <ResponsiveTable
          size="small"
          rowKey="month"
          pagination={false}
          dataSource={q.data?.byMonth ?? []}
          columns={[{ title: t('insp.stats.month'), dataIndex: 'month' }, ...sev]}
        />
      </Card>
      <Card title={t('insp.stats.byUnit')}>
        <ResponsiveTable
          size="small"
          rowKey="unitId"
          pagination={false}
          dataSource={q.data?.byUnit ?? []}
          columns={[
            { title: t('insp.stats.unit'), dataIndex: 'unitName' },
            { title: t('insp.stats.due'), dataIndex: 'due' },
            { title: t('insp.stats.onTime'), dataIndex: 'onTime' },
            { title: t('insp.stats.overdue'), dataIndex: 'overdue' },
            { title: t('insp.stats.open'), dataIndex: 'open' },
            {
              title: t('insp.stats.rate'),
              dataIndex: 'onTimeRate',
              render: (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`),
            },
          ]}
        />
      </Card>
    </>
  );
}
