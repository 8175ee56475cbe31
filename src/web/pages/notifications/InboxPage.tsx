import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { List as AList, Badge, Button, Card, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, type List } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { fmtTime } from '../../format';
import { useLiveMessages } from '../../live';
import { showError } from '../../notify';
import './strings';

export interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  data: Record<string, any>;
  urgent: boolean;
  eventId: string | null;
  createdAt: string;
  readAt: string | null;
  ackedAt: string | null;
  ackNote: string | null;
  needsAck: boolean;
}
interface Delivery {
  step: number;
  channel: string;
  status: string;
  dueAt: string;
  attempts: number;
  sentAt: string | null;
  lastError: string | null;
}

function Deliveries({ id }: { id: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['notifications', 'detail', id],
    queryFn: () => api.get<{ deliveries: Delivery[] }>(`/api/notifications/${id}`),
  });
  const ds = q.data?.deliveries ?? [];
  if (!ds.length) return null;
  return (
    <Space wrap size={4}>
      {ds.map((d) => (
        <Tag key={d.step} color={d.status === 'sent' ? 'green' : d.status === 'failed' ? 'red' : undefined}>
          {t(`notif.channel.${d.channel}`)} · {t(`notif.dstatus.${d.status}`)}
          {d.sentAt ? ` ${fmtTime(d.sentAt)}` : d.status === 'pending' ? ` ${fmtTime(d.dueAt)}` : ''}
        </Tag>
      ))}
    </Space>
  );
}

/** 我的通知: the personal inbox; urgent ones carry an acknowledge button. */
export default function NotificationsInboxPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [filter, setFilter] = useState<'all' | 'unread' | 'unacked'>('all');
  const [open, setOpen] = useState<string | null>(null);
  const nav = useNavigate();
  const q = useInfiniteQuery({
    queryKey: ['notifications', 'list', filter],
    initialPageParam: '' as string,
    queryFn: ({ pageParam }) =>
      api.get<List<Notification>>(
        `/api/notifications?filter=${filter}&limit=50${pageParam ? `&cursor=${pageParam}` : ''}`,
      ),
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  useLiveMessages(() => void qc.invalidateQueries({ queryKey: ['notifications'] }), ['notification']);
  const refresh = () => void qc.invalidateQueries({ queryKey: ['notifications'] });
  const ack = useMutation({
    mutationFn: (id: string) => api.post<Notification>(`/api/notifications/${id}/ack`, {}),
    onSuccess: refresh,
    onError: showError,
  });
  const read = useMutation({
    mutationFn: (id: string) => api.post<Notification>(`/api/notifications/${id}/read`, {}),
    onSuccess: refresh,
    onError: showError,
  });
  const readAll = useMutation({
    mutationFn: () => api.post('/api/notifications/read-all', {}),
    onSuccess: refresh,
    onError: showError,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader
        title={t('notif.title')}
        extra={
          <Space wrap>
            <Segmented
              value={filter}
              onChange={(v) => setFilter(v as typeof filter)}
              options={(['all', 'unread', 'unacked'] as const).map((v) => ({
                value: v,
                label: t(`notif.filter.${v}`),
              }))}
            />
            <Button onClick={() => readAll.mutate()}>{t('notif.readAll')}</Button>
            <Button onClick={() => nav('/notifications/settings')}>{t('notif.nav.prefs')}</Button>
          </Space>
        }
      />
      <Card>
        <QueryState loading={q.isLoading} error={q.error} empty={!items.length}>
          <AList
            dataSource={items}
            renderItem={(n) => (
              <AList.Item
                key={n.id}
                data-testid={`notification-${n.id}`}
                actions={[
                  n.needsAck ? (
                    <Button
                      key="ack"
                      type="primary"
                      danger
                      loading={ack.isPending}
                      onClick={() => ack.mutate(n.id)}
                    >
                      {t('notif.ack')}
                    </Button>
                  ) : n.ackedAt ? (
                    <Typography.Text key="acked" type="success">
                      {t('notif.acked', { at: fmtTime(n.ackedAt) })}
                    </Typography.Text>
                  ) : null,
                  // the record the message is about (a hazard, a hazard source …), when it names its page
                  typeof n.data?.path === 'string' && n.data.path.startsWith('/') ? (
                    <Button key="open" size="small" onClick={() => nav(n.data.path)}>
                      {t('notif.open')}
                    </Button>
                  ) : null,
                  !n.readAt ? (
                    <Button key="read" size="small" onClick={() => read.mutate(n.id)}>
                      {t('notif.markRead')}
                    </Button>
                  ) : null,
                ].filter(Boolean)}
              >
                <AList.Item.Meta
                  title={
                    <Space wrap>
                      {!n.readAt ? <Badge status="processing" /> : null}
                      <Button
                        type="link"
                        className="btn-wrap"
                        style={{ padding: 0 }}
                        // the message is written by the server in Chinese for every reader: it is content, not interface text
                        lang="zh-CN"
                        data-content=""
                        onClick={() => setOpen(open === n.id ? null : n.id)}
                      >
                        {n.title}
                      </Button>
                      {n.needsAck ? <Tag color="red">{t('notif.needsAck')}</Tag> : null}
                    </Space>
                  }
                  description={
                    <Space direction="vertical" size={2}>
                      <span style={{ whiteSpace: 'pre-wrap' }}>{n.body}</span>
                      <Typography.Text type="secondary">
                        {fmtTime(n.createdAt)}
                        {n.ackNote ? ` · ${n.ackNote}` : ''}
                      </Typography.Text>
                      {open === n.id ? <Deliveries id={n.id} /> : null}
                    </Space>
                  }
                />
              </AList.Item>
            )}
          />
          {q.hasNextPage ? (
            <Button block onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
              {t('notif.more')}
            </Button>
          ) : null}
        </QueryState>
      </Card>
    </>
  );
}
