import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { fmtTime } from '../../format';
import { useLiveMessages } from '../../live';
import { type Collection, TaskStatusTag } from './shared';

type Row = Collection['units'][number];

/** 汇总催报: per addressed unit, filed / not filed / overdue. */
export default function CollectionPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const { id } = useParams<{ id: string }>();
  const q = useQuery({
    queryKey: ['tasks', 'collection', id],
    queryFn: () => api.get<Collection>(`/api/tasks/collections/${id}`),
  });
  useLiveMessages(() => void q.refetch(), ['task.changed']);
  const c = q.data;
  return (
    <>
      <PageHeader
        title={c?.title ?? t('tasks.collection.title')}
        subtitle={c ? `${c.issuerUnitName} · ${t('tasks.col.due')} ${fmtTime(c.dueAt)}` : undefined}
      />
      <QueryState loading={q.isLoading} error={q.error}>
        {c ? (
          <Card data-testid="task-collection">
            <p data-testid="task-collection-counts">{t('tasks.collection.counts', c.counts)}</p>
            {c.notFiled.length ? (
              <Alert
                type={c.counts.overdue ? 'error' : 'warning'}
                showIcon
                style={{ marginBottom: 12 }}
                title={t('tasks.collection.notFiledList', {
                  names: c.notFiled.map((u) => u.unitName).join(t('tasks.collection.sep')),
                })}
                data-testid="task-not-filed"
              />
            ) : (
              <Alert
                type="success"
                showIcon
                style={{ marginBottom: 12 }}
                title={t('tasks.collection.allFiled')}
              />
            )}
            <ResponsiveTable<Row>
              rowKey="taskId"
              dataSource={c.units}
              pagination={false}
              onRow={(r) => ({ onClick: () => nav(`/tasks/${r.taskId}`), style: { cursor: 'pointer' } })}
              columns={[
                {
                  key: 'unit',
                  title: t('tasks.col.unit'),
                  render: (_: unknown, r: Row) => <Link to={`/tasks/${r.taskId}`}>{r.unitName}</Link>,
                },
                {
                  key: 'filed',
                  title: t('tasks.col.filed'),
                  render: (_: unknown, r: Row) =>
                    r.filed ? (
                      <Tag color="success">{t('tasks.collection.filedYes')}</Tag>
                    ) : (
                      <Tag>{t('tasks.collection.filedNo')}</Tag>
                    ),
                },
                {
                  key: 'status',
                  title: t('tasks.col.status'),
                  render: (_: unknown, r: Row) => (
                    <TaskStatusTag task={{ status: r.status, progressMissed: false, completedLate: false }} />
                  ),
                },
                {
                  key: 'completedAt',
                  title: t('tasks.col.completedAt'),
                  render: (_: unknown, r: Row) => fmtTime(r.completedAt),
                },
                {
                  key: 'lastProgress',
                  title: t('tasks.col.lastProgress'),
                  render: (_: unknown, r: Row) => fmtTime(r.lastProgressAt),
                },
              ]}
            />
          </Card>
        ) : null}
      </QueryState>
    </>
  );
}
