import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, DatePicker, Row, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import ReactECharts from 'echarts-for-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { LEVEL_COLORS } from '../../components/tags';
import { fmtDuration, nowWall, wallToIso } from '../../format';
import './strings';

type GroupBy = 'category' | 'level' | 'unit' | 'month';
interface StatItem {
  key: string;
  label: string;
  count: number;
  previous: number;
}
interface EventStats {
  total: number;
  previous: number;
  summary: string;
  items: StatItem[];
}
interface UnitTimeliness {
  unitId: string;
  unitName: string;
  reports: number;
  onTime: number;
  late: number;
  missed: number;
  onTimeRate: number | null;
  medianSecondsToReport: number | null;
  p90SecondsToReport: number | null;
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

function useEventStats(groupBy: GroupBy, from: string, to: string) {
  return useQuery({
    queryKey: ['stats', 'events', groupBy, from, to],
    queryFn: () => api.get<EventStats>(`/api/stats/events${qs({ groupBy, from, to })}`),
  });
}

export default function StatsPage() {
  const { t } = useTranslation();
  const year = nowWall().year();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs(`${year}-01-01`), dayjs(`${year}-12-31`)]);
  const from = wallToIso(range[0].startOf('day'));
  const to = wallToIso(range[1].add(1, 'day').startOf('day'));
  const cat = useEventStats('category', from, to);
  const lvl = useEventStats('level', from, to);
  const unit = useEventStats('unit', from, to);
  const month = useEventStats('month', from, to);
  const tl = useQuery({
    queryKey: ['stats', 'timeliness', from, to],
    queryFn: () => api.get<{ units: UnitTimeliness[] }>(`/api/stats/timeliness${qs({ from, to })}`),
  });
  const units = tl.data?.units ?? [];

  const bar = (items: StatItem[], horizontal = false, colors?: (k: string) => string) => ({
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: horizontal ? 140 : 40, right: 20, top: 30, bottom: 30 },
    [horizontal ? 'yAxis' : 'xAxis']: {
      type: 'category',
      data: items.map((i) => i.label),
      inverse: horizontal,
    },
    [horizontal ? 'xAxis' : 'yAxis']: { type: 'value', minInterval: 1 },
    series: [
      {
        name: t('acc.thisPeriod'),
        type: 'bar',
        data: items.map((i) => (colors ? { value: i.count, itemStyle: { color: colors(i.key) } } : i.count)),
      },
      {
        name: t('acc.lastYear'),
        type: 'bar',
        data: items.map((i) => i.previous),
        itemStyle: { color: '#bfbfbf' },
      },
    ],
  });

  return (
    <>
      <PageHeader
        title={t('nav.stats')}
        extra={
          <Space wrap>
            <DatePicker.RangePicker
              allowClear={false}
              value={range}
              onChange={(v) => v?.[0] && v?.[1] && setRange([v[0], v[1]])}
            />
            <Button
              icon={<DownloadOutlined />}
              onClick={() => api.download(`/api/stats/events.xlsx${qs({ from, to })}`, '事件统计.xlsx')}
            >
              {t('acc.exportEvents')}
            </Button>
            <Button
              icon={<DownloadOutlined />}
              onClick={() =>
                api.download(`/api/stats/timeliness.xlsx${qs({ from, to })}`, '报送时效统计.xlsx')
              }
            >
              {t('acc.exportTimeliness')}
            </Button>
          </Space>
        }
      />
      {cat.data ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('acc.yoyTitle')}
          description={<span data-testid="yoy">{t('acc.yoyLead', { text: cat.data.summary })}</span>}
        />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('acc.byCategory')}>
            <QueryState loading={cat.isLoading} error={cat.error} empty={!cat.data?.items.length}>
              <ReactECharts
                style={{ height: 300 }}
                option={{
                  tooltip: { trigger: 'item' },
                  legend: { bottom: 0 },
                  series: [
                    {
                      type: 'pie',
                      radius: ['40%', '68%'],
                      center: ['50%', '45%'],
                      label: { formatter: '{b}\n{c} 起' },
                      data: (cat.data?.items ?? []).map((i) => ({ name: i.label, value: i.count })),
                    },
                  ],
                }}
              />
            </QueryState>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('acc.byLevel')}>
            <QueryState loading={lvl.isLoading} error={lvl.error} empty={!lvl.data?.items.length}>
              <ReactECharts
                style={{ height: 300 }}
                option={bar(
                  lvl.data?.items ?? [],
                  false,
                  (k) => LEVEL_COLORS[(k as 'I') ?? 'none']?.bg ?? '#8c8c8c',
                )}
              />
            </QueryState>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('acc.byUnit')}>
            <QueryState loading={unit.isLoading} error={unit.error} empty={!unit.data?.items.length}>
              <ReactECharts
                style={{ height: Math.max(300, (unit.data?.items.length ?? 0) * 28 + 60) }}
                option={bar(unit.data?.items ?? [], true)}
              />
            </QueryState>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('acc.byMonth')}>
            <QueryState loading={month.isLoading} error={month.error} empty={!month.data?.items.length}>
              <ReactECharts style={{ height: 300 }} option={bar(month.data?.items ?? [])} />
            </QueryState>
          </Card>
        </Col>
        <Col span={24}>
          <Card title={t('acc.timeliness')}>
            <QueryState loading={tl.isLoading} error={tl.error} empty={!units.length}>
              <ReactECharts
                style={{ height: 280 }}
                option={{
                  tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
                  grid: { left: 50, right: 20, top: 20, bottom: 70 },
                  xAxis: { type: 'category', data: units.map((u) => u.unitName), axisLabel: { rotate: 30 } },
                  yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
                  series: [
                    {
                      name: t('acc.onTimeRate'),
                      type: 'bar',
                      data: units.map((u) => {
                        const v = Math.round((u.onTimeRate ?? 0) * 1000) / 10;
                        return {
                          value: v,
                          itemStyle: { color: v >= 90 ? '#52c41a' : v >= 60 ? '#faad14' : '#f5222d' },
                        };
                      }),
                    },
                  ],
                }}
              />
              <ResponsiveTable<UnitTimeliness>
                rowKey="unitId"
                size="small"
                pagination={false}
                dataSource={units}
                columns={[
                  { title: t('acc.unit'), dataIndex: 'unitName' },
                  { title: t('acc.judged'), dataIndex: 'reports', align: 'right' },
                  { title: t('acc.onTime'), dataIndex: 'onTime', align: 'right' },
                  { title: t('acc.late'), dataIndex: 'late', align: 'right' },
                  { title: t('acc.missed'), dataIndex: 'missed', align: 'right' },
                  {
                    title: t('acc.onTimeRate'),
                    dataIndex: 'onTimeRate',
                    align: 'right',
                    render: (v) => pct(v),
                    sorter: (a, b) => (a.onTimeRate ?? 0) - (b.onTimeRate ?? 0),
                  },
                  {
                    title: t('acc.median'),
                    dataIndex: 'medianSecondsToReport',
                    render: (v) => fmtDuration(v),
                  },
                  { title: t('acc.p90'), dataIndex: 'p90SecondsToReport', render: (v) => fmtDuration(v) },
                ]}
              />
            </QueryState>
          </Card>
        </Col>
      </Row>
    </>
  );
}
