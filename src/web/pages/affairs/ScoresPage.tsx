import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Segmented, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import './strings';

interface ScoreRow {
  unitId: string;
  unitName?: string;
  userId?: string;
  name?: string;
  points: number;
  pieces: number;
  adopted: number;
  adoptionRate: number;
  sameDayRate: number | null;
}

/** 积分: points per unit or per officer over a period, every unit of the area listed, zeros included. */
export default function ScoresPage() {
  const { t } = useTranslation();
  const [by, setBy] = useState<'unit' | 'person'>('unit');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const from = range?.[0]?.format('YYYY-MM-DD');
  const to = range?.[1]?.format('YYYY-MM-DD');
  const q = useQuery({
    queryKey: ['affairs', 'scores', by, from, to],
    queryFn: () => api.get<{ items: ScoreRow[] }>(`/api/affairs/scores${qs({ by, from, to })}`),
  });
  // equal points share a rank (1, 2, 2, 4 …)
  const items = q.data?.items ?? [];
  const rows = items.map((r) => ({ ...r, rank: items.findIndex((x) => x.points === r.points) + 1 }));
  return (
    <>
      <PageHeader title={t('affairs.scores.title')} subtitle={t('affairs.scores.subtitle')} />
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Segmented
            value={by}
            onChange={(v) => setBy(v as 'unit' | 'person')}
            options={[
              { value: 'unit', label: t('affairs.scores.byUnit') },
              { value: 'person', label: t('affairs.scores.byPerson') },
            ]}
          />
          <DatePicker.RangePicker value={range} onChange={(v) => setRange(v as never)} />
          <Button
            icon={<DownloadOutlined />}
            onClick={() =>
              void api.download(`/api/affairs/scores.xlsx${qs({ by, from, to })}`, '信息积分.xlsx')
            }
          >
            Excel
          </Button>
        </Space>
        <QueryState loading={q.isLoading} error={q.error}>
          <ResponsiveTable<ScoreRow & { rank: number }>
            data-testid="scores-table"
            rowKey={(r) => r.userId ?? r.unitId}
            dataSource={rows}
            pagination={false}
            columns={[
              { key: 'rank', title: t('affairs.scores.rank'), dataIndex: 'rank' },
              {
                key: 'name',
                title: by === 'unit' ? t('affairs.col.unit') : t('affairs.col.person'),
                render: (_: unknown, r: ScoreRow) =>
                  by === 'unit' ? r.unitName : `${r.name}（${r.unitName}）`,
              },
              {
                key: 'points',
                title: t('affairs.scores.total'),
                render: (_: unknown, r: ScoreRow) => (
                  <span data-testid={`score-${r.userId ?? r.unitId}`}>{r.points}</span>
                ),
              },
              { key: 'pieces', title: t('affairs.col.pieces'), dataIndex: 'pieces' },
              { key: 'adopted', title: t('affairs.col.adopted'), dataIndex: 'adopted' },
              {
                key: 'rate',
                title: t('affairs.col.rate'),
                render: (_: unknown, r: ScoreRow) => `${Math.round(r.adoptionRate * 1000) / 10}%`,
              },
              {
                key: 'sameDay',
                title: t('affairs.col.sameDay'),
                render: (_: unknown, r: ScoreRow) =>
                  r.sameDayRate === null ? '—' : `${Math.round(r.sameDayRate * 1000) / 10}%`,
              },
            ]}
          />
        </QueryState>
      </Card>
    </>
  );
}
