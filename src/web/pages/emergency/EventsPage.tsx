import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Empty, Input, Select, Space, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, type List, qs } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { LevelTag } from '../../components/tags';
import { fmtTime, wallToIso } from '../../format';
import { useSession, useUnitName } from '../../session';
import type { EventItem } from '../../types';
import { LEVELS } from '../../types';
import { useCategories } from './shared';

export default function EventsPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const unitName = useUnitName();
  const cats = useCategories();
  const { hasRole } = useSession();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<string | undefined>();
  const [level, setLevel] = useState<string | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);

  const params = {
    q: search,
    status,
    level,
    from: range?.[0] ? wallToIso(range[0].startOf('day')) : undefined,
    to: range?.[1] ? wallToIso(range[1].add(1, 'day').startOf('day')) : undefined,
  };
  const list = useInfiniteQuery({
    queryKey: ['events', params],
    queryFn: ({ pageParam }) =>
      api.get<List<EventItem>>(`/api/events${qs({ ...params, cursor: pageParam, limit: 50 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader
        title={t('nav.events')}
        subtitle={t('events.hint')}
        extra={
          hasRole('reporter', 'editor', 'duty_officer', 'duty_leader') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => nav('/reports/new')}>
              {t('nav.newReport')}
            </Button>
          ) : null
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('events.searchPh')}
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              if (!e.target.value) setSearch('');
            }}
            onSearch={(v) => setSearch(v.trim())}
            style={{ width: 260 }}
          />
          <Select
            allowClear
            placeholder={t('event.level')}
            value={level}
            onChange={setLevel}
            style={{ width: 150 }}
            options={[
              ...LEVELS.map((l) => ({ value: l, label: <LevelTag level={l} short /> })),
              { value: 'none', label: <LevelTag level={null} /> },
            ]}
          />
          <Select
            allowClear
            placeholder={t('event.status')}
            value={status}
            onChange={setStatus}
            style={{ width: 130 }}
            options={[
              { value: 'open', label: t('eventStatus.open') },
              { value: 'closed', label: t('eventStatus.closed') },
            ]}
          />
          <DatePicker.RangePicker
            value={range}
            onChange={(v) => setRange(v as any)}
            placeholder={[t('events.from'), t('events.to')]}
          />
        </Space>
        <QueryState loading={list.isLoading} error={list.error}>
          <ResponsiveTable<EventItem>
            rowKey="id"
            dataSource={items}
            pagination={false}
            data-testid="events-table"
            locale={{
              emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('events.empty')} />,
            }}
            rowClassName={(r) => `clickable row-level-${r.level ?? 'none'}`}
            onRow={(r) => ({ onClick: () => nav(`/events/${r.id}`) })}
            scroll={{ x: 980 }}
            columns={[
              {
                title: t('event.level'),
                dataIndex: 'level',
                width: 110,
                render: (l) => <LevelTag level={l} short />,
              },
              {
                title: t('event.title'),
                dataIndex: 'title',
                render: (v, r) => (
                  <div>
                    <strong>{v}</strong>
                    <div className="muted" style={{ fontSize: 12 }}>
                      {cats.fullName(r.categoryCode)}
                    </div>
                  </div>
                ),
              },
              {
                title: t('event.responsibleUnit'),
                dataIndex: 'responsibleUnitId',
                width: 180,
                render: (id) => unitName(id),
              },
              {
                title: t('element.occurredAt'),
                dataIndex: 'occurredAt',
                width: 150,
                render: (v) => fmtTime(v),
              },
              {
                title: t('events.reports'),
                dataIndex: 'reportsCount',
                width: 80,
                align: 'center',
                render: (n) => n ?? '—',
              },
              {
                title: t('events.timeliness'),
                dataIndex: 'overdueDeadlines',
                width: 120,
                render: (n) =>
                  n ? (
                    <Tag color="red">{t('events.overdue', { n })}</Tag>
                  ) : (
                    <Tag color="success">{t('events.onTrack')}</Tag>
                  ),
              },
              {
                title: t('event.status'),
                dataIndex: 'status',
                width: 90,
                render: (s) => (
                  <Tag color={s === 'open' ? 'processing' : 'default'}>
                    {t(`eventStatus.${s}`, { defaultValue: s })}
                  </Tag>
                ),
              },
            ]}
          />
          {list.hasNextPage ? (
            <div style={{ textAlign: 'center', marginTop: 12 }}>
              <Button onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
                {t('common.loadMore')}
              </Button>
            </div>
          ) : null}
        </QueryState>
      </Card>
    </>
  );
}
