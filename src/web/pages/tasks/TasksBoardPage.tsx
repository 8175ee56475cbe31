import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Button, Card, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api, type List, qs } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { fmtTime } from '../../format';
import { useLiveMessages } from '../../live';
import { type Task, type TaskList, TaskStatusTag, useOwnerUnits } from './shared';

interface CollectionItem {
  id: string;
  title: string;
  dueAt: string;
  total: number;
  filed: number;
}

/** 督办 board: the leader sees the area's tasks, a unit its own; overdue first. */
export default function TasksBoardPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const [status, setStatus] = useState<string>('');
  const [owner, setOwner] = useState<string>('');
  const owners = useOwnerUnits();
  const q = useInfiniteQuery({
    queryKey: ['tasks', 'list', status, owner],
    queryFn: ({ pageParam }) =>
      api.get<TaskList>(
        `/api/tasks${qs({ status: status || undefined, ownerUnitId: owner || undefined, cursor: pageParam || undefined })}`,
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const collections = useQuery({
    queryKey: ['tasks', 'collections'],
    queryFn: () => api.get<List<CollectionItem>>('/api/tasks/collections'),
  });
  useLiveMessages(() => void q.refetch(), ['task.changed']);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const canIssue = q.data?.pages[0]?.can.issue ?? false;

  return (
    <>
      <PageHeader
        title={t('tasks.board.title')}
        subtitle={owners.length ? t('tasks.board.subtitleArea') : t('tasks.board.subtitleUnit')}
        extra={
          canIssue ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => nav('/tasks/new')}
              data-testid="task-issue"
            >
              {t('tasks.board.issue')}
            </Button>
          ) : null
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            style={{ width: 140 }}
            value={status}
            onChange={setStatus}
            aria-label={t('tasks.col.status')}
            options={[
              { value: '', label: t('tasks.board.allStatus') },
              { value: 'overdue', label: t('tasks.status.overdue') },
              { value: 'open', label: t('tasks.status.open') },
              { value: 'done', label: t('tasks.status.done') },
            ]}
          />
          {owners.length ? (
            <Select
              style={{ width: 200, maxWidth: '100%' }}
              value={owner}
              onChange={setOwner}
              showSearch
              optionFilterProp="label"
              aria-label={t('tasks.col.owner')}
              options={[
                { value: '', label: t('tasks.board.allUnits') },
                ...owners.map((u) => ({ value: u.id, label: u.name })),
              ]}
            />
          ) : null}
        </Space>
        <QueryState loading={q.isLoading} error={q.error}>
          <ResponsiveTable<Task>
            data-testid="tasks-table"
            rowKey="id"
            dataSource={items}
            pagination={false}
            locale={{ emptyText: t('tasks.board.empty') }}
            onRow={(r) => ({ onClick: () => nav(`/tasks/${r.id}`), style: { cursor: 'pointer' } })}
            columns={[
              {
                key: 'title',
                title: t('tasks.col.title'),
                render: (_: unknown, r: Task) => <Link to={`/tasks/${r.id}`}>{r.title}</Link>,
              },
              { key: 'owner', title: t('tasks.col.owner'), dataIndex: 'ownerUnitName' },
              {
                key: 'source',
                title: t('tasks.col.source'),
                render: (_: unknown, r: Task) => t(`tasks.source.${r.source}`),
              },
              { key: 'due', title: t('tasks.col.due'), render: (_: unknown, r: Task) => fmtTime(r.dueAt) },
              {
                key: 'status',
                title: t('tasks.col.status'),
                render: (_: unknown, r: Task) => <TaskStatusTag task={r} />,
              },
              {
                key: 'completedAt',
                title: t('tasks.col.completedAt'),
                render: (_: unknown, r: Task) => (r.completedAt ? fmtTime(r.completedAt) : '—'),
              },
            ]}
          />
          {q.hasNextPage ? (
            <Button
              style={{ marginTop: 12 }}
              onClick={() => void q.fetchNextPage()}
              loading={q.isFetchingNextPage}
            >
              {t('tasks.board.more')}
            </Button>
          ) : null}
        </QueryState>
      </Card>
      {collections.data?.items.length ? (
        <Card title={t('tasks.board.collections')} style={{ marginTop: 16 }} data-testid="task-collections">
          <Space direction="vertical" style={{ width: '100%' }}>
            {collections.data.items.map((c) => (
              <div key={c.id} className="task-collection-line">
                <Link to={`/tasks/collections/${c.id}`}>{c.title}</Link>{' '}
                <Tag color={c.filed === c.total ? 'success' : 'processing'}>
                  {t('tasks.col.filed')} {c.filed}/{c.total}
                </Tag>
                <span className="task-muted">{fmtTime(c.dueAt)}</span>
              </div>
            ))}
          </Space>
        </Card>
      ) : null}
    </>
  );
}
