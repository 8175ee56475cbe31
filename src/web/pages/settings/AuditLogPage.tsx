import { CheckCircleOutlined, CloseCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type List, qs } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { fmtTime } from '../../format';
import './strings';

interface Verify {
  ok: boolean;
  checked: number;
  firstBrokenId: number | null;
}
interface StreamRow {
  stream: string;
  entries: number;
  lastSeq: number;
  lastAt: string;
}
interface Entry {
  id: number;
  seq: number;
  at: string;
  actorId: string | null;
  unitId: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  data: unknown;
  hash: string;
}

const PAGE = 50;

/** 登记日志 (auditor, administrators): the integrity check, the streams, and the entries of one stream. */
export default function AuditLogPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState('');
  const [stream, setStream] = useState<string | null>(null);
  const verify = useQuery({
    queryKey: ['audit', 'verify'],
    queryFn: () => api.get<Verify>('/api/audit/verify'),
  });
  const streams = useQuery({
    queryKey: ['audit', 'streams', filter],
    queryFn: () => api.get<List<StreamRow>>(`/api/audit/streams${qs({ prefix: filter || undefined })}`),
  });
  const entries = useInfiniteQuery({
    queryKey: ['audit', 'log', stream],
    enabled: !!stream,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      api.get<List<Entry>>(`/api/audit/log${qs({ stream: stream ?? '', limit: PAGE, before: pageParam })}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const v = verify.data;
  const rows = entries.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader title={t('settings.log.title')} subtitle={t('settings.log.sub')} />
      <Card
        title={t('settings.log.verify')}
        style={{ marginBottom: 16 }}
        extra={
          <Button
            size="small"
            icon={<ReloadOutlined />}
            loading={verify.isFetching}
            onClick={() => void verify.refetch()}
          >
            {t('settings.log.verifyAgain')}
          </Button>
        }
      >
        <QueryState loading={verify.isLoading} error={verify.error}>
          {v ? (
            <Space wrap data-testid="audit-verify">
              {v.ok ? (
                <Tag color="success" icon={<CheckCircleOutlined />}>
                  {t('settings.log.intact')}
                </Tag>
              ) : (
                <Tag color="error" icon={<CloseCircleOutlined />}>
                  {t('settings.log.broken')}
                </Tag>
              )}
              <span>{t('settings.log.checked', { n: v.checked })}</span>
              {v.firstBrokenId ? (
                <Typography.Text type="danger">
                  {t('settings.log.firstBroken', { id: v.firstBrokenId })}
                </Typography.Text>
              ) : null}
            </Space>
          ) : null}
        </QueryState>
      </Card>
      <Card title={t('settings.log.streams')} style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('settings.log.filter')}
          onSearch={(s) => setFilter(s.trim())}
          style={{ maxWidth: 320, marginBottom: 12 }}
        />
        <QueryState loading={streams.isLoading} error={streams.error}>
          <ResponsiveTable<StreamRow>
            rowKey="stream"
            size="small"
            dataSource={streams.data?.items ?? []}
            pagination={{ pageSize: 20, showSizeChanger: false }}
            data-testid="audit-streams"
            columns={[
              {
                title: t('settings.log.stream'),
                dataIndex: 'stream',
                render: (s: string) => <span style={{ wordBreak: 'break-all' }}>{s}</span>,
              },
              { title: t('settings.log.entries'), dataIndex: 'entries' },
              { title: t('settings.log.lastAt'), dataIndex: 'lastAt', render: (x: string) => fmtTime(x) },
              {
                title: t('settings.log.view'),
                key: 'view',
                render: (_: unknown, r) => (
                  <Button
                    size="small"
                    type={r.stream === stream ? 'primary' : 'default'}
                    onClick={() => setStream(r.stream)}
                  >
                    {t('settings.log.view')}
                  </Button>
                ),
              },
            ]}
          />
        </QueryState>
      </Card>
      <Card
        title={stream ? t('settings.log.entriesTitle') : t('settings.log.none')}
        styles={{ title: { whiteSpace: 'normal' } }}
      >
        {stream ? (
          <div style={{ marginBottom: 12, wordBreak: 'break-all' }} data-testid="audit-stream">
            {t('settings.log.stream')}: <Typography.Text code>{stream}</Typography.Text>
          </div>
        ) : null}
        {stream ? (
          <QueryState loading={entries.isLoading} error={entries.error}>
            <ResponsiveTable<Entry>
              rowKey="id"
              size="small"
              dataSource={rows}
              pagination={false}
              data-testid="audit-entries"
              columns={[
                { title: t('settings.log.seq'), dataIndex: 'seq' },
                { title: t('settings.log.at'), dataIndex: 'at', render: (x: string) => fmtTime(x, true) },
                { title: t('settings.log.action'), dataIndex: 'action' },
                {
                  title: t('settings.log.actor'),
                  dataIndex: 'actorId',
                  render: (x: string | null) => (x ? <code>{x.slice(0, 8)}</code> : t('settings.log.system')),
                },
                {
                  title: t('settings.log.entity'),
                  key: 'entity',
                  render: (_: unknown, e) =>
                    e.entityType ? (
                      <span style={{ wordBreak: 'break-all' }}>
                        {e.entityType} {e.entityId ? <code>{String(e.entityId).slice(0, 8)}</code> : null}
                      </span>
                    ) : null,
                },
                {
                  title: t('settings.log.data'),
                  dataIndex: 'data',
                  render: (d: unknown) => (
                    <code style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', fontSize: 12 }}>
                      {JSON.stringify(d ?? {}).slice(0, 300)}
                    </code>
                  ),
                },
                {
                  title: t('settings.log.hash'),
                  dataIndex: 'hash',
                  render: (h: string) => <code title={h}>{h?.slice(0, 12)}</code>,
                },
              ]}
            />
            {entries.hasNextPage ? (
              <Button
                style={{ marginTop: 12 }}
                loading={entries.isFetchingNextPage}
                onClick={() => void entries.fetchNextPage()}
              >
                {t('settings.log.more')}
              </Button>
            ) : null}
          </QueryState>
        ) : null}
      </Card>
    </>
  );
}
