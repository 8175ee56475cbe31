import { BellFilled, CheckOutlined, SendOutlined, SoundOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Card, Empty, Segmented, Space, Switch, Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, type List } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { LevelTag } from '../../components/tags';
import { durationBetween, fmtDuration, fmtShort, fmtTime } from '../../format';
import { playAlert, useLive, useLiveMessages } from '../../live';
import { ui } from '../../notify';
import { useSession, useUnitName } from '../../session';
import type { IntakeItem, Level } from '../../types';
import { ConfirmationTag, ConfirmCallButtons } from './Calls';
import { ObligationLine, obligationHref, useObligations } from './NextStep';
import { useReportLabel } from './shared';
import { UpwardModal } from './UpwardReport';
import './strings';

const SOUND_KEY = 'jibao.intake.sound';

export default function IntakePage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const unitName = useUnitName();
  const label = useReportLabel();
  const { connected } = useLive();
  const [filter, setFilter] = useState<'all' | 'no' | 'yes'>('all');
  const [sound, setSound] = useState(() => localStorage.getItem(SOUND_KEY) !== 'off');
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [banner, setBanner] = useState<{ title: string; level: Level | null; from: string } | null>(null);
  const [, tick] = useState(0);
  const { hasRole } = useSession();
  const canUpward = hasRole('reporter', 'editor', 'duty_officer', 'duty_leader', 'approver', 'principal');
  const [upward, setUpward] = useState<IntakeItem | null>(null);
  // what this unit owes next on each row's event (the arrival's own signature has its button already)
  const obligations = useObligations();
  const nextFor = (eventId: string) =>
    obligations.items.find((o) => o.eventId === eventId && o.kind !== 'unsigned') ?? null;

  useEffect(() => {
    const i = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(i);
  }, []);

  const q = useQuery({
    queryKey: ['intake', filter],
    queryFn: () => api.get<List<IntakeItem>>(`/api/intake${filter === 'all' ? '' : `?signed=${filter}`}`),
    refetchInterval: connected ? 120_000 : 15_000,
  });

  useLiveMessages(
    (m) => {
      const d = m.data ?? {};
      if (d.reportId) setFresh((s) => new Set(s).add(d.reportId));
      setBanner({
        title: d.title ?? t('intake.newReport'),
        level: d.level ?? null,
        from: d.fromUnitName ?? '',
      });
      if (sound) playAlert();
      setTimeout(() => setBanner(null), 15_000);
    },
    ['report.arrived'],
  );

  const sign = useMutation({
    mutationFn: (it: IntakeItem) => api.post(`/api/reports/${it.reportId}/sign`, {}),
    onSuccess: (_r, it) => {
      ui.message?.success(t('intake.signedOk', { title: it.title ?? '' }));
      void qc.invalidateQueries({ queryKey: ['intake'] });
      void qc.invalidateQueries({ queryKey: ['event', it.eventId] });
    },
  });
  const ack = useMutation({
    mutationFn: (it: IntakeItem) => api.post(`/api/reports/${it.reportId}/ack`, {}),
    onSuccess: () => {
      ui.message?.success(t('intake.ackedOk'));
      void qc.invalidateQueries({ queryKey: ['intake'] });
    },
  });

  const verify = useMutation({
    mutationFn: (it: IntakeItem) => api.post(`/api/reports/${it.reportId}/verify`, {}),
    onSuccess: (_r, it) => {
      ui.message?.success(t('intake.verifiedOk'));
      void qc.invalidateQueries({ queryKey: ['intake'] });
      void qc.invalidateQueries({ queryKey: ['timeline', it.eventId] });
    },
  });

  const items = q.data?.items ?? [];
  const unsigned = items.filter((i) => !i.signedAt).length;

  return (
    <>
      <PageHeader
        title={
          <>
            {t('nav.intake')}
            {unsigned ? (
              <Badge count={unsigned} style={{ marginLeft: 4 }} data-testid="intake-unsigned-count" />
            ) : null}
          </>
        }
        subtitle={t('intake.hint')}
        extra={
          <Space>
            <span
              className={connected ? 'live-dot on intake-live' : 'live-dot intake-live'}
              style={{ color: connected ? '#389e0d' : '#8a93a3' }}
            >
              {connected ? t('intake.live') : t('intake.polling')}
            </span>
            <Tooltip title={t('intake.soundHint')}>
              <span>
                <SoundOutlined />{' '}
                <Switch
                  size="small"
                  checked={sound}
                  onChange={(v) => {
                    setSound(v);
                    localStorage.setItem(SOUND_KEY, v ? 'on' : 'off');
                    if (v) playAlert();
                  }}
                />
              </span>
            </Tooltip>
          </Space>
        }
      />
      {banner ? (
        <div className="alert-banner" role="alert" data-testid="intake-alert">
          <BellFilled />
          <span>{t('intake.arrived')}</span>
          <LevelTag level={banner.level} short />
          <span style={{ flex: 1 }}>
            {banner.from ? `${banner.from}：` : ''}
            {banner.title}
          </span>
          <Button size="small" ghost onClick={() => setBanner(null)}>
            {t('common.close')}
          </Button>
        </div>
      ) : null}
      <Card>
        <Segmented
          style={{ marginBottom: 12 }}
          value={filter}
          onChange={(v) => setFilter(v as typeof filter)}
          options={[
            { value: 'all', label: t('intake.all') },
            { value: 'no', label: t('intake.unsigned') },
            { value: 'yes', label: t('intake.signed') },
          ]}
        />
        <QueryState loading={q.isLoading} error={q.error}>
          <ResponsiveTable<IntakeItem>
            rowKey={(r) => r.deliveryId ?? r.reportId}
            dataSource={items}
            data-testid="intake-table"
            pagination={items.length > 50 ? { pageSize: 50 } : false}
            locale={{
              emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('intake.empty')} />,
            }}
            rowClassName={(r) =>
              [
                `row-level-${r.level ?? 'none'}`,
                r.signedAt ? '' : 'row-unsigned',
                fresh.has(r.reportId) ? 'row-fresh' : '',
                'clickable',
              ].join(' ')
            }
            onRow={(r) => ({ onClick: () => nav(`/events/${r.eventId}`) })}
            columns={[
              {
                title: t('event.level'),
                dataIndex: 'level',
                width: 100,
                render: (l) => <LevelTag level={l} short />,
              },
              {
                title: t('event.title'),
                dataIndex: 'title',
                render: (title, r) => (
                  <div>
                    <strong>{title ?? '—'}</strong>
                    <div className="muted" style={{ fontSize: 12 }}>
                      {r.label ?? (r.kind ? label({ kind: r.kind, seq: 0 }) : '')}
                      {r.offHours ? (
                        <Tag color="purple" style={{ marginLeft: 6 }}>
                          {t('intake.offHours')}
                        </Tag>
                      ) : null}
                      {r.via && r.via !== 'chain' ? (
                        <Tag style={{ marginLeft: 6 }}>{t(`via.${r.via}`, r.via)}</Tag>
                      ) : null}
                    </div>
                    {(() => {
                      const o = nextFor(r.eventId);
                      return o ? <ObligationLine o={o} onAct={(x) => nav(obligationHref(x))} /> : null;
                    })()}
                  </div>
                ),
              },
              {
                title: t('intake.from'),
                dataIndex: 'fromUnitId',
                width: 200,
                render: (id, r) => r.fromUnitName ?? unitName(id),
              },
              {
                title: t('intake.arrivedAt'),
                dataIndex: 'arrivedAt',
                width: 150,
                render: (v, r) => (
                  <Tooltip title={fmtTime(v, true)}>
                    <div>{fmtShort(v)}</div>
                    {!r.signedAt ? (
                      <div
                        className={durationBetween(v) > 600 ? 'deadline-late' : 'muted'}
                        style={{ fontSize: 12 }}
                      >
                        {t('intake.waitingFor', { d: fmtDuration(durationBetween(v)) })}
                      </div>
                    ) : null}
                  </Tooltip>
                ),
              },
              {
                title: t('intake.status'),
                dataIndex: 'signedAt',
                width: 150,
                render: (v, r) => (
                  <div>
                    {r.call ? (
                      <ConfirmationTag
                        confirmation={r.call.confirmation}
                        mine={false}
                        reason={r.call.disputeReason}
                      />
                    ) : v ? (
                      <Tag color="success">{t('intake.signedAt', { time: fmtShort(v) })}</Tag>
                    ) : (
                      <Tag color="error">{t('intake.unsignedTag')}</Tag>
                    )}
                    {r.offHours && r.ackedAt ? (
                      <Tag color="purple" style={{ marginTop: 4 }}>
                        {t('intake.ackedAt', { time: fmtShort(r.ackedAt) })}
                      </Tag>
                    ) : null}
                    {r.verifiedAt ? (
                      <Tag color="blue" style={{ marginTop: 4 }}>
                        {t('intake.verifiedTag')}
                      </Tag>
                    ) : null}
                    {r.overdueDeadlines ? (
                      <div style={{ marginTop: 4 }}>
                        <Tag color="red">{t('intake.overdue', { n: r.overdueDeadlines })}</Tag>
                      </div>
                    ) : null}
                  </div>
                ),
              },
              {
                title: t('common.actions'),
                key: 'a',
                width: 190,
                render: (_, r) => (
                  <Space size={4} onClick={(e) => e.stopPropagation()} wrap>
                    {r.call ? (
                      <ConfirmCallButtons reportId={r.reportId} eventId={r.eventId} can={r.call.can} />
                    ) : null}
                    {!r.signedAt ? (
                      <Button
                        type="primary"
                        size="small"
                        icon={<CheckOutlined />}
                        loading={sign.isPending && sign.variables?.reportId === r.reportId}
                        onClick={() => sign.mutate(r)}
                        data-testid={`sign-${r.reportId}`}
                      >
                        {t('intake.sign')}
                      </Button>
                    ) : null}
                    {r.offHours && !r.ackedAt ? (
                      <Button
                        size="small"
                        loading={ack.isPending && ack.variables?.reportId === r.reportId}
                        onClick={() => ack.mutate(r)}
                        data-testid={`ack-${r.reportId}`}
                      >
                        {t('intake.ack')}
                      </Button>
                    ) : null}
                    {r.signedAt && !r.verifiedAt && !r.call ? (
                      <Button
                        size="small"
                        loading={verify.isPending && verify.variables?.reportId === r.reportId}
                        onClick={() => verify.mutate(r)}
                      >
                        {t('intake.verify')}
                      </Button>
                    ) : null}
                    {r.signedAt && canUpward && r.eventStatus !== 'closed' ? (
                      <Button
                        size="small"
                        icon={<SendOutlined />}
                        onClick={() => setUpward(r)}
                        data-testid={`upward-${r.reportId}`}
                      >
                        {t('upward.action')}
                      </Button>
                    ) : null}
                    <Button size="small" type="link" onClick={() => nav(`/events/${r.eventId}`)}>
                      {t('common.view')}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        </QueryState>
      </Card>
      {upward ? (
        <UpwardModal
          open
          eventId={upward.eventId}
          eventTitle={upward.title ?? ''}
          sourceReportIds={[upward.reportId]}
          onClose={() => setUpward(null)}
        />
      ) : null}
    </>
  );
}
