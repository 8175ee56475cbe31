import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Card, Empty, Tabs, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { LevelTag, ReportStatusTag } from '../../components/tags';
import { durationBetween, fmtDuration, fmtTime } from '../../format';
import { ui } from '../../notify';
import { useUnitName } from '../../session';
import { ApproveDialog } from './ApproveDialog';
import type { Inbox, InboxReport, InboxRequest } from './inbox';
import { ReportActions } from './ReportActions';
import { useReportLabel } from './shared';

export default function InboxPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const unitName = useUnitName();
  const label = useReportLabel();
  const q = useQuery({
    queryKey: ['reports', 'inbox'],
    queryFn: () => api.get<Inbox>('/api/inbox'),
    refetchInterval: 30_000,
  });
  const b = q.data;
  const toApprove = b?.awaitingApproval ?? [];
  const mine = toApprove.filter((r) => r.canApprove);
  const [tab, setTab] = useState<string | null>(null);
  const [approving, setApproving] = useState<InboxReport | null>(null);
  const qc = useQueryClient();
  const active =
    tab ??
    (mine.length
      ? 'approve'
      : b?.countersign.some((r) => r.canCountersign)
        ? 'countersign'
        : b?.requests.some((r) => !r.answeredReportId)
          ? 'requests'
          : 'drafts');
  // the tab chosen on arrival stays put: approving the last report of a list does not jump to another list
  useEffect(() => {
    if (tab === null && b) setTab(active);
  }, [tab, b, active]);

  const reportColumns = (kind: 'approve' | 'countersign' | 'drafts') => [
    {
      title: t('event.level'),
      dataIndex: 'eventLevel',
      width: 110,
      render: (l: InboxReport['eventLevel']) => <LevelTag level={l} short />,
    },
    {
      title: t('event.title'),
      dataIndex: 'eventTitle',
      render: (title: string, r: InboxReport) => (
        <div>
          <Link to={`/events/${r.eventId}`} onClick={(e) => e.stopPropagation()}>
            {title}
          </Link>
          <div className="muted" style={{ fontSize: 12 }}>
            {label(r)}
            {r.fastTrack ? (
              <Tag color="red" style={{ marginLeft: 6 }}>
                {t('report.fastTrackShort')}
              </Tag>
            ) : null}
            {r.returnReason && r.status === 'returned' ? (
              <Typography.Text type="danger" style={{ marginLeft: 6 }}>
                {t('inbox.returnedBecause', { reason: r.returnReason })}
              </Typography.Text>
            ) : null}
          </div>
        </div>
      ),
    },
    {
      title: t('report.status'),
      dataIndex: 'status',
      width: 100,
      render: (s: string) => <ReportStatusTag status={s} />,
    },
    kind === 'approve'
      ? {
          title: t('inbox.waiting'),
          dataIndex: 'submittedAt',
          width: 130,
          render: (v: string | null) =>
            v ? (
              <span className={durationBetween(v) > 300 ? 'deadline-late' : undefined}>
                {fmtDuration(durationBetween(v))}
              </span>
            ) : (
              '—'
            ),
        }
      : {
          title: t('report.createdAt'),
          dataIndex: 'createdAt',
          width: 150,
          render: (v: string) => fmtTime(v),
        },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 230,
      render: (_: unknown, r: InboxReport) => (
        <div onClick={(e) => e.stopPropagation()}>
          <ReportActions
            report={r}
            canApprove={r.canApprove}
            canCountersign={r.canCountersign}
            onApprove={() => setApproving(r)}
          />
          {kind === 'approve' && !r.canApprove ? (
            <span className="muted">{t('inbox.waitingOthers')}</span>
          ) : null}
        </div>
      ),
    },
  ];

  const table = (rows: InboxReport[], kind: 'approve' | 'countersign' | 'drafts', empty: string) => (
    <ResponsiveTable<InboxReport>
      rowKey="id"
      dataSource={rows}
      columns={reportColumns(kind) as any}
      pagination={rows.length > 20 ? { pageSize: 20 } : false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      onRow={(r) => ({
        onClick: () => nav(`/events/${r.eventId}`),
        className: `clickable row-level-${r.eventLevel ?? 'none'}`,
      })}
      data-testid={`inbox-${kind}`}
    />
  );

  const tabLabel = (text: string, n: number) => (
    <span>
      {text} {n ? <Badge count={n} size="small" style={{ marginLeft: 4 }} /> : null}
    </span>
  );

  return (
    <>
      <PageHeader title={t('nav.inbox')} subtitle={t('inbox.hint')} />
      <Card>
        <QueryState loading={q.isLoading} error={q.error}>
          {b ? (
            <Tabs
              activeKey={active}
              onChange={setTab}
              items={[
                {
                  key: 'approve',
                  label: tabLabel(t('inbox.tabApprove'), mine.length),
                  children: table(toApprove, 'approve', t('inbox.emptyApprove')),
                },
                {
                  key: 'countersign',
                  label: tabLabel(
                    t('inbox.tabCountersign'),
                    b.countersign.filter((r) => r.canCountersign).length,
                  ),
                  children: table(b.countersign, 'countersign', t('inbox.emptyCountersign')),
                },
                {
                  key: 'drafts',
                  label: tabLabel(
                    t('inbox.tabDrafts'),
                    b.drafts.filter((r) => r.status === 'returned').length,
                  ),
                  children: table(b.drafts, 'drafts', t('inbox.emptyDrafts')),
                },
                {
                  key: 'requests',
                  label: tabLabel(
                    t('inbox.tabRequests'),
                    b.requests.filter((r) => !r.answeredReportId).length,
                  ),
                  children: (
                    <ResponsiveTable<InboxRequest>
                      rowKey="id"
                      dataSource={b.requests}
                      pagination={false}
                      locale={{
                        emptyText: (
                          <Empty
                            image={Empty.PRESENTED_IMAGE_SIMPLE}
                            description={t('inbox.emptyRequests')}
                          />
                        ),
                      }}
                      onRow={(r) => ({ onClick: () => nav(`/events/${r.eventId}`), className: 'clickable' })}
                      columns={[
                        {
                          title: t('event.level'),
                          dataIndex: 'eventLevel',
                          width: 110,
                          render: (l) => <LevelTag level={l} short />,
                        },
                        { title: t('event.title'), dataIndex: 'eventTitle' },
                        {
                          title: t('inbox.requestFrom'),
                          dataIndex: 'fromUnitId',
                          render: (id) => unitName(id),
                        },
                        { title: t('inbox.requestMessage'), dataIndex: 'message' },
                        {
                          title: t('inbox.requestAt'),
                          dataIndex: 'at',
                          width: 150,
                          render: (v) => fmtTime(v),
                        },
                        {
                          title: t('report.status'),
                          dataIndex: 'answeredAt',
                          width: 110,
                          render: (v) =>
                            v ? (
                              <Tag color="success">{t('inbox.answered')}</Tag>
                            ) : (
                              <Tag color="error">{t('inbox.unanswered')}</Tag>
                            ),
                        },
                      ]}
                    />
                  ),
                },
              ]}
            />
          ) : null}
        </QueryState>
      </Card>
      {approving ? (
        <ApproveDialog
          report={approving}
          open
          onClose={() => setApproving(null)}
          onApproved={(r) => {
            ui.message?.success(r.status === 'sent' ? t('inbox.approvedSent') : t('inbox.approvedNext'));
            setApproving(null);
            void qc.invalidateQueries({ queryKey: ['reports'] });
            void qc.invalidateQueries({ queryKey: ['events'] });
            void qc.invalidateQueries({ queryKey: ['event', approving.eventId] });
            void qc.invalidateQueries({ queryKey: ['timeline', approving.eventId] });
          }}
        />
      ) : null}
    </>
  );
}
