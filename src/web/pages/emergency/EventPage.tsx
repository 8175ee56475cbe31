import {
  AimOutlined,
  AuditOutlined,
  CameraOutlined,
  CheckOutlined,
  ClockCircleOutlined,
  EditOutlined,
  FileAddOutlined,
  FlagOutlined,
  FormOutlined,
  LinkOutlined,
  MoreOutlined,
  NotificationOutlined,
  PhoneOutlined,
  SafetyCertificateOutlined,
  SendOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Dropdown,
  Empty,
  Form,
  Input,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Tag,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { DeadlineStatusTag, LevelTag, ReportStatusTag, ROMAN } from '../../components/tags';
import { durationBetween, fmtDuration, fmtTime } from '../../format';
import { ui } from '../../notify';
import { useSession, useUnitName } from '../../session';
import type { Deadline, EventItem, Level, Report, ReportKind, TimelineItem } from '../../types';
import { LEVELS } from '../../types';
import { EventResourcesPanel } from '../resources/EventResourcesPanel';
import { AttachmentsPanel } from './AttachmentsPanel';
import { CallTags, ConfirmCallButtons, OutgoingCallModal } from './Calls';
import { FindingModal, FindingsCard, LinkModal, PublishModal, SiteContactModal } from './EventActions';
import { canInstruct, InstructionModal, InstructionsCard } from './InstructionsPanel';
import '../field/strings';
import { ObligationLine, useObligations } from './NextStep';
import { RecordCallModal } from './PhoneCall';
import { ReportActions } from './ReportActions';
import { type ComposerValues, composerToBody, ReportComposer } from './ReportComposer';
import { CasualtiesText, ElementsView, useCategories, useReportLabel } from './shared';
import { UpwardModal } from './UpwardReport';

function DeadlineRow({ d }: { d: Deadline }) {
  const { t } = useTranslation();
  const left = -durationBetween(d.dueAt);
  return (
    <span className={d.status === 'late' || d.status === 'missed' ? 'deadline-late' : undefined}>
      {d.metAt
        ? t('deadline.metAt', { time: fmtTime(d.metAt) })
        : left >= 0
          ? t('deadline.left', { d: fmtDuration(left) })
          : t('deadline.over', { d: fmtDuration(-left) })}
    </span>
  );
}

const ACTION_COLORS: Record<string, string> = {
  event_registered: 'blue',
  report_drafted: 'gray',
  report_submitted: 'blue',
  report_approved: 'green',
  report_returned: 'red',
  report_sent: 'green',
  report_arrived: 'blue',
  signed: 'green',
  report_countersigned: 'green',
  requested: 'orange',
  event_changed: 'orange',
  phone_recorded: 'cyan',
  instruction_given: 'red',
  instruction_acknowledged: 'green',
  instruction_feedback: 'green',
  finding_recorded: 'red',
  events_linked: 'orange',
  published: 'purple',
  site_contacted: 'cyan',
};

const HIDDEN_ACTIONS = new Set(['notify_skipped', 'notify_retry', 'notify_sent']);

function TimelineCard({ eventId }: { eventId: string }) {
  const { t } = useTranslation();
  const unitName = useUnitName();
  const q = useQuery({
    queryKey: ['timeline', eventId],
    queryFn: () => api.get<{ items: TimelineItem[] }>(`/api/events/${eventId}/timeline`),
  });
  // delivery internals of notifications (retries, channels without an endpoint) are not steps of the event
  const items = (q.data?.items ?? []).filter((it) => !HIDDEN_ACTIONS.has(it.action));
  return (
    <Card
      title={
        <>
          <ClockCircleOutlined /> {t('eventPage.timeline')}
        </>
      }
      className="section-gap"
      data-testid="event-timeline"
    >
      <QueryState
        loading={q.isLoading}
        error={q.error}
        empty={!items.length}
        emptyText={t('eventPage.noTimeline')}
      >
        <Timeline
          items={items.map((it, i) => {
            const prev = items[i - 1];
            const d = it.data ?? {};
            const detail =
              (it.action === 'site_contacted' && d.person
                ? `${d.person}${d.phone ? `（${d.phone}）` : ''}：${d.content ?? ''}`
                : null) ??
              d.reason ??
              d.comment ??
              d.message ??
              d.note ??
              d.text ??
              d.content ??
              (d.changes
                ? Object.keys(d.changes)
                    .map((k) => t(`eventField.${k}`, k))
                    .join('、')
                : null);
            return {
              color: ACTION_COLORS[it.action] ?? 'gray',
              title: (
                <span className="timeline-time">
                  {fmtTime(it.at, true)}
                  {prev ? (
                    <span className="muted"> (+{fmtDuration(durationBetween(prev.at, it.at))})</span>
                  ) : null}
                </span>
              ),
              content: (
                <div>
                  <strong>
                    {t(`action.${it.action}`, { defaultValue: t('action.other', { action: it.action }) })}
                  </strong>
                  {(it.toUnitId ?? d.toUnitId) && it.action === 'report_arrived' ? (
                    <span> → {unitName(it.toUnitId ?? d.toUnitId)}</span>
                  ) : null}
                  <span className="muted">
                    {' '}
                    · {it.userName ?? t('eventPage.system')}
                    {it.unitName
                      ? `（${it.unitName}${it.userName && it.asRole ? `${t('common.sep')}${t(`role.${it.asRole}`)}` : ''}）`
                      : ''}
                  </span>
                  {detail && typeof detail === 'string' ? (
                    <div className="timeline-card">{detail}</div>
                  ) : null}
                </div>
              ),
            };
          })}
        />
      </QueryState>
    </Card>
  );
}

function NewReportModal({
  event,
  kind,
  onClose,
}: {
  event: EventItem;
  kind: ReportKind | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<ComposerValues>();
  const [submitNow, setSubmitNow] = useState(true);
  const [fastTrack, setFastTrack] = useState(false);
  useEffect(() => {
    if (kind) {
      form.resetFields();
      setFastTrack(event.level === 'I' || event.level === 'II');
    }
  }, [kind, form, event.level]);
  const save = useMutation({
    mutationFn: async (v: ComposerValues) => {
      const body = composerToBody(kind!, v);
      let r = await api.post<Report>(`/api/events/${event.id}/reports`, { kind, ...body, fastTrack });
      if (submitNow) r = await api.post<Report>(`/api/reports/${r.id}/submit`, { fastTrack });
      return r;
    },
    onSuccess: (r) => {
      ui.message?.success(
        r.status === 'sent'
          ? t('report.sentOk')
          : r.status === 'awaiting_approval'
            ? t('report.submittedOk')
            : t('report.draftOk'),
      );
      void qc.invalidateQueries({ queryKey: ['event', event.id] });
      void qc.invalidateQueries({ queryKey: ['timeline', event.id] });
      void qc.invalidateQueries({ queryKey: ['reports'] });
      onClose();
    },
  });
  return (
    <Modal
      open={!!kind}
      title={kind ? t('compose.title', { kind: t(`reportKind.${kind}`), title: event.title }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={
        submitNow ? (fastTrack ? t('report.sendNow') : t('report.submitForApproval')) : t('report.saveDraft')
      }
      confirmLoading={save.isPending}
      width={820}
      destroyOnHidden
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        {kind ? <ReportComposer form={form} kind={kind} /> : null}
        <Space wrap>
          <Radio.Group value={submitNow} onChange={(e) => setSubmitNow(e.target.value)}>
            <Radio value={true}>{t('compose.submitNow')}</Radio>
            <Radio value={false}>{t('compose.keepDraft')}</Radio>
          </Radio.Group>
          <Radio.Group
            value={fastTrack}
            onChange={(e) => setFastTrack(e.target.value)}
            optionType="button"
            size="small"
          >
            <Radio.Button value={false}>{t('compose.normalPath')}</Radio.Button>
            <Radio.Button value={true}>{t('report.fastTrackShort')}</Radio.Button>
          </Radio.Group>
        </Space>
      </Form>
    </Modal>
  );
}

function ChangeLevelModal({
  event,
  open,
  onClose,
}: {
  event: EventItem;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ level: Level | 'none'; reason: string }>();
  useEffect(() => {
    if (open) form.setFieldsValue({ level: event.level ?? 'none', reason: '' });
  }, [open, event.level, form]);
  const save = useMutation({
    mutationFn: (v: { level: Level | 'none'; reason: string }) =>
      api.patch<EventItem>(`/api/events/${event.id}`, {
        level: v.level === 'none' ? null : v.level,
        reason: v.reason.trim(),
      }),
    onSuccess: () => {
      ui.message?.success(t('eventPage.levelChanged'));
      void qc.invalidateQueries({ queryKey: ['event', event.id] });
      void qc.invalidateQueries({ queryKey: ['timeline', event.id] });
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title={t('eventPage.changeLevel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="level" label={t('event.level')}>
          <Radio.Group optionType="button" buttonStyle="solid">
            {LEVELS.map((l) => (
              <Radio.Button key={l} value={l}>
                {ROMAN[l]} {t(`level.${l}`)}
              </Radio.Button>
            ))}
            <Radio.Button value="none">{t('level.none')}</Radio.Button>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('eventPage.reason')}
          rules={[{ required: true, whitespace: true, message: t('eventPage.reasonRequired') }]}
        >
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
        </Form.Item>
        <Alert type="info" showIcon title={t('eventPage.levelRecompute')} />
      </Form>
    </Modal>
  );
}

function RequestModal({ event, open, onClose }: { event: EventItem; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { units, byId } = useSessionUnits();
  const [form] = Form.useForm<{ toUnitId: string; message: string }>();
  const responsible = byId.get(event.responsibleUnitId);
  const options = units
    .filter(
      (u) =>
        u.id === event.responsibleUnitId ||
        (responsible && u.id === responsible.parentId) ||
        u.kind === 'area',
    )
    .map((u) => ({ value: u.id, label: u.name }));
  const save = useMutation({
    mutationFn: (v: { toUnitId: string; message: string }) => api.post(`/api/events/${event.id}/requests`, v),
    onSuccess: () => {
      ui.message?.success(t('eventPage.requestedOk'));
      void qc.invalidateQueries({ queryKey: ['event', event.id] });
      void qc.invalidateQueries({ queryKey: ['timeline', event.id] });
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title={t('eventPage.request')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
      forceRender
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        initialValues={{ toUnitId: event.responsibleUnitId }}
      >
        <Form.Item
          name="toUnitId"
          label={t('eventPage.requestTo')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Select showSearch={{ optionFilterProp: 'label' }} options={options} />
        </Form.Item>
        <Form.Item
          name="message"
          label={t('eventPage.requestMessage')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 3 }} maxLength={2000} placeholder={t('eventPage.requestPh')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

import { useUnits as useSessionUnits } from '../../session';

export default function EventPage() {
  const { id } = useParams<{ id: string }>();
  const { t } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const { me, hasRole, actingUnitId, seesIntake } = useSession();
  const unitName = useUnitName();
  const cats = useCategories();
  const label = useReportLabel();
  const [composing, setComposing] = useState<ReportKind | null>(null);
  const [levelOpen, setLevelOpen] = useState(false);
  const [upwardOpen, setUpwardOpen] = useState(false);
  const [requestOpen, setRequestOpen] = useState(false);
  const [open, setOpen] = useState<
    'call' | 'outgoing' | 'instr' | 'site' | 'publish' | 'link' | 'finding' | null
  >(null);
  const close = () => setOpen(null);
  const q = useQuery({
    queryKey: ['event', id],
    queryFn: () => api.get<EventItem>(`/api/events/${id}`),
    enabled: !!id,
  });
  const e = q.data;

  const sign = useMutation({
    mutationFn: (reportId: string) => api.post(`/api/reports/${reportId}/sign`, {}),
    onSuccess: () => {
      ui.message?.success(t('intake.signedOk', { title: e?.title ?? '' }));
      void qc.invalidateQueries({ queryKey: ['event', id] });
      void qc.invalidateQueries({ queryKey: ['timeline', id] });
      void qc.invalidateQueries({ queryKey: ['intake'] });
      void qc.invalidateQueries({ queryKey: ['obligations'] });
    },
  });

  // the next step: what this unit owes on this event, and the button that does it (here or from elsewhere, ?do=)
  const obligations = useObligations();
  const owed = obligations.items.filter((o) => o.eventId === id);
  const [params, setParams] = useSearchParams();
  const act = (verb: string, refId?: string) => {
    const scrollTo = (testId: string) =>
      setTimeout(
        () => document.querySelector(`[data-testid="${testId}"]`)?.scrollIntoView({ behavior: 'smooth' }),
        50,
      );
    const ownInitial = (e?.reports ?? []).some((r) => r.unitId === actingUnitId && r.kind === 'initial');
    if (verb === 'call') setOpen('outgoing');
    else if (verb === 'report') setComposing(ownInitial ? 'followup' : 'initial');
    else if (verb === 'followup') setComposing('followup');
    else if (verb === 'sign' && refId) sign.mutate(refId);
    else if (verb === 'feedback') scrollTo('instructions');
    else if (verb === 'answer') scrollTo('event-requests');
    else scrollTo('event-reports');
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: act once when the event has loaded
  useEffect(() => {
    const verb = params.get('do');
    if (!verb || !e) return;
    act(verb, params.get('ref') ?? undefined);
    setParams({}, { replace: true });
  }, [params, e]);

  if (q.isLoading || q.error || !e)
    return (
      <>
        <PageHeader title={t('nav.eventDetail')} />
        <Card>
          <QueryState loading={q.isLoading} error={q.error} empty={!e} />
        </Card>
      </>
    );

  const reports = [...(e.reports ?? [])].sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
  const toSign = reports.flatMap((r) =>
    (r.deliveries ?? [])
      .filter((d) => !d.signedAt && d.toUnitId === actingUnitId && d.via !== 'phone')
      .map((d) => ({ r, d })),
  );
  const canReport =
    hasRole('reporter', 'editor', 'duty_officer', 'duty_leader', 'approver', 'principal') &&
    e.status === 'open';
  const hasOwnInitial = reports.some((r) => r.unitId === actingUnitId && r.kind === 'initial');
  // 转报上级: reports of other units that reached this level (arrivals and phone records)
  const arrived = reports.filter(
    (r) =>
      r.unitId !== actingUnitId &&
      (r.status === 'sent' || r.status === 'recorded') &&
      (r.deliveries ?? []).some((d) => d.toUnitId === actingUnitId),
  );
  // the unit owes a report on this event: it may record the call it made (去电)
  const owesReport = (e.deadlines ?? []).some((d) => d.fromUnitId === actingUnitId);
  const mustReport = e.mustReport;
  const sortedDeadlines = [...(e.deadlines ?? [])].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const moreItems = [
    ...(hasRole('editor', 'duty_officer', 'duty_leader', 'leader', 'principal')
      ? [{ key: 'site', icon: <AimOutlined />, label: t('site.add') }]
      : []),
    ...(hasRole('reporter', 'editor', 'duty_officer', 'duty_leader', 'approver', 'principal', 'leader')
      ? [{ key: 'publish', icon: <NotificationOutlined />, label: t('publish.action') }]
      : []),
    ...(hasRole('editor', 'duty_officer', 'duty_leader', 'leader')
      ? [{ key: 'link', icon: <LinkOutlined />, label: t('link.action') }]
      : []),
    ...(hasRole('editor', 'leader')
      ? [{ key: 'finding', icon: <SafetyCertificateOutlined />, label: t('finding.add'), danger: true }]
      : []),
  ];
  const registeredDelay = e.registeredAt ? durationBetween(e.occurredAt, e.registeredAt) : null;

  return (
    <>
      <PageHeader
        title={
          <span className="event-title-row" data-testid="event-title">
            <LevelTag level={e.level} />
            {e.title}
            <Tag color={e.status === 'open' ? 'processing' : 'default'}>
              {t(`eventStatus.${e.status}`, e.status)}
            </Tag>
          </span>
        }
        subtitle={`${cats.fullName(e.categoryCode)} · ${t('element.occurredAt')} ${fmtTime(e.occurredAt)} · ${e.place?.address ?? ''}`}
        extra={
          <>
            {toSign.map(({ r }) => (
              <Button
                key={r.id}
                type="primary"
                icon={<CheckOutlined />}
                onClick={() => sign.mutate(r.id)}
                loading={sign.isPending}
                data-testid="event-sign"
              >
                {t('eventPage.signReport', { label: label(r) })}
              </Button>
            ))}
            {canReport && arrived.length ? (
              <Button
                type={toSign.length ? 'default' : 'primary'}
                icon={<SendOutlined />}
                onClick={() => setUpwardOpen(true)}
                data-testid="event-upward"
              >
                {t('upward.action')}
              </Button>
            ) : null}
            {canReport ? (
              <>
                {!hasOwnInitial ? (
                  <Button icon={<FileAddOutlined />} onClick={() => setComposing('initial')}>
                    {t('eventPage.addInitial')}
                  </Button>
                ) : null}
                <Button icon={<FileAddOutlined />} onClick={() => setComposing('followup')}>
                  {t('eventPage.addFollowup')}
                </Button>
                {e.categoryCode.startsWith('11') ? (
                  <Button onClick={() => setComposing('verification')}>
                    {t('eventPage.addVerification')}
                  </Button>
                ) : null}
                <Button onClick={() => setComposing('final')}>{t('eventPage.addFinal')}</Button>
              </>
            ) : null}
            <Button icon={<AuditOutlined />} onClick={() => nav(`/events/${e.id}/trace`)}>
              {t('eventPage.trace')}
            </Button>
            {hasRole('editor', 'duty_leader', 'leader', 'principal', 'approver') ? (
              <Button icon={<EditOutlined />} onClick={() => setLevelOpen(true)}>
                {t('eventPage.changeLevel')}
              </Button>
            ) : null}
            {seesIntake && hasRole('editor', 'duty_officer', 'duty_leader', 'leader') ? (
              <Button icon={<PhoneOutlined />} onClick={() => setRequestOpen(true)}>
                {t('eventPage.request')}
              </Button>
            ) : null}
            {canReport && owesReport ? (
              <Button
                icon={<PhoneOutlined />}
                onClick={() => setOpen('outgoing')}
                data-testid="record-outgoing-call"
              >
                {t('calls.record')}
              </Button>
            ) : null}
            {seesIntake && canReport ? (
              <Button icon={<PhoneOutlined />} onClick={() => setOpen('call')} data-testid="record-call">
                {t('phone.recordCall')}
              </Button>
            ) : null}
            {canInstruct(hasRole) ? (
              <Button icon={<FormOutlined />} onClick={() => setOpen('instr')} data-testid="give-instruction">
                {t('instr.give')}
              </Button>
            ) : null}
            {moreItems.length ? (
              <Dropdown
                menu={{ items: moreItems, onClick: ({ key }) => setOpen(key as typeof open) }}
                trigger={['click']}
              >
                <Button icon={<MoreOutlined />} data-testid="event-more">
                  {t('eventPage.more')}
                </Button>
              </Dropdown>
            ) : null}
          </>
        }
      />
      {e.flags?.invertedFlow?.length ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('eventPage.invertedFlow', { units: e.flags.invertedFlow.map(unitName).join('、') })}
        />
      ) : null}
      {e.pendingElements?.length ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('eventPage.pendingElements')}
          description={e.pendingElements.map((p) => `${t(`element.${p.element}`)}：${p.reason}`).join('；')}
        />
      ) : null}
      {owed.length ? (
        <Card
          size="small"
          className={`section-gap next-step${owed.some((o) => o.overdue) ? ' next-step-overdue' : ''}`}
          style={{ marginBottom: 16, borderColor: owed.some((o) => o.overdue) ? '#ff4d4f' : undefined }}
          title={t('next.label')}
          data-testid="event-obligations"
        >
          {owed.map((o) => (
            <ObligationLine
              key={`${o.kind}-${o.refId ?? ''}-${o.dueAt ?? ''}`}
              o={o}
              size="middle"
              onAct={(x) => act(x.action.verb, x.refId)}
            />
          ))}
        </Card>
      ) : null}
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card title={t('eventPage.overview')}>
            <Descriptions
              size="small"
              column={{ xs: 1, md: 2 }}
              items={[
                { key: 'cat', label: t('event.category'), children: cats.fullName(e.categoryCode) },
                {
                  key: 'lvl',
                  label: t('event.level'),
                  children: (
                    <span>
                      <LevelTag level={e.level} />
                      {e.proposedLevel && e.proposedLevel !== e.level ? (
                        <Tooltip title={t('eventPage.proposedHint')}>
                          <Tag icon={<FlagOutlined />} color="warning">
                            {t('eventPage.proposed', { level: `${ROMAN[e.proposedLevel]}` })}
                          </Tag>
                        </Tooltip>
                      ) : null}
                    </span>
                  ),
                },
                { key: 'occ', label: t('element.occurredAt'), children: fmtTime(e.occurredAt) },
                { key: 'learned', label: t('event.learnedAt'), children: fmtTime(e.learnedAt) },
                {
                  key: 'reg',
                  label: t('event.registeredAt'),
                  children: (
                    <span>
                      {fmtTime(e.registeredAt)}
                      {registeredDelay !== null && registeredDelay > 0 ? (
                        <span className="muted">
                          （{t('eventPage.afterOccurrence', { d: fmtDuration(registeredDelay) })}）
                        </span>
                      ) : null}
                    </span>
                  ),
                },
                {
                  key: 'src',
                  label: t('event.source'),
                  children: e.source ? t(`source.${e.source}`, e.source) : '—',
                },
                { key: 'place', label: t('element.place'), span: 2, children: e.place?.address ?? '—' },
                { key: 'resp', label: t('event.responsibleUnit'), children: unitName(e.responsibleUnitId) },
                { key: 'regu', label: t('event.registeredBy'), children: unitName(e.registeredByUnitId) },
                { key: 'cas', label: t('element.casualties'), children: <CasualtiesText c={e.casualties} /> },
                {
                  key: 'loss',
                  label: t('event.directLoss'),
                  children: e.directLossYuan
                    ? `${(Number(e.directLossYuan) / 10_000).toLocaleString()} ${t('common.wanYuan')}`
                    : '—',
                },
                {
                  key: 'must',
                  label: t('eventPage.mustReport'),
                  span: 2,
                  children: mustReport?.required ? (
                    <Space size={[4, 4]} wrap>
                      {mustReport.rules.map((r) => (
                        <Tag key={r} color="red">
                          {t(`mustRule.${r}`, r)}
                        </Tag>
                      ))}
                      <span className="muted" style={{ fontSize: 12 }}>
                        {t('eventPage.ruleVersion', { v: mustReport.ruleSetVersion ?? '—' })}
                      </span>
                    </Space>
                  ) : (
                    <span className="muted">{t('eventPage.notMustReport')}</span>
                  ),
                },
                ...(e.summary
                  ? [{ key: 'sum', label: t('event.summary'), span: 2, children: e.summary }]
                  : []),
              ]}
            />
          </Card>
          <Card title={t('eventPage.reports')} className="section-gap" data-testid="event-reports">
            {reports.length ? (
              reports.map((r) => {
                const mine = r.unitId === actingUnitId;
                const canApprove =
                  mine &&
                  r.status === 'awaiting_approval' &&
                  (r.approvals ?? []).some(
                    (a) =>
                      a.status === 'pending' &&
                      (me.roles.includes(a.step as any) || hasRole('principal', 'duty_leader')),
                  );
                const canCountersign =
                  mine &&
                  (r.countersignatures ?? []).some(
                    (c) =>
                      c.status === 'outstanding' &&
                      (me.roles.includes(c.step as any) || hasRole('principal')),
                  );
                return (
                  <Card
                    key={r.id}
                    size="small"
                    type="inner"
                    style={{ marginBottom: 12 }}
                    title={
                      <Space wrap>
                        <strong>{label(r)}</strong>
                        <span className="muted">{unitName(r.unitId)}</span>
                        <ReportStatusTag status={r.status} />
                        {r.fastTrack ? <Tag color="red">{t('report.fastTrackShort')}</Tag> : null}
                        {r.capturedAt ? (
                          <Tooltip title={t('field.capturedHint')}>
                            <Tag icon={<CameraOutlined />} data-testid={`captured-${r.id}`}>
                              {t('field.capturedAt', { time: fmtTime(r.capturedAt) })}
                            </Tag>
                          </Tooltip>
                        ) : null}
                      </Space>
                    }
                    extra={
                      <span className="timeline-time">
                        {fmtTime(r.sentAt ?? r.calledAt ?? r.submittedAt ?? r.createdAt)}
                      </span>
                    }
                  >
                    {r.kind === 'phone' ? (
                      <div style={{ marginBottom: 8 }} data-testid={`call-${r.id}`}>
                        <Space wrap>
                          <CallTags report={r} />
                          <ConfirmCallButtons reportId={r.id} eventId={e.id} can={r.can} />
                        </Space>
                        <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
                          <PhoneOutlined />{' '}
                          {r.direction === 'outgoing'
                            ? t('calls.line', { time: fmtTime(r.calledAt), who: r.answeredBy ?? '—' })
                            : t('eventPage.phoneFrom', {
                                name: r.callerName ?? '—',
                                phone: r.callerPhone ?? '—',
                                unit: unitName(r.callerUnitId),
                              })}
                        </Typography.Paragraph>
                      </div>
                    ) : null}
                    <ElementsView report={r} />
                    {r.contradictions?.length ? (
                      <Alert
                        style={{ marginTop: 8 }}
                        type="error"
                        showIcon
                        title={t('eventPage.contradictions')}
                        description={r.contradictions
                          .map((c) => (typeof c === 'string' ? c : (c.message ?? c.code)))
                          .join('；')}
                      />
                    ) : null}
                    {r.returnReason && r.status === 'returned' ? (
                      <Alert
                        style={{ marginTop: 8 }}
                        type="warning"
                        showIcon
                        title={t('inbox.returnedBecause', { reason: r.returnReason })}
                      />
                    ) : null}
                    {(r.approvals ?? []).length || (r.deliveries ?? []).length ? (
                      <div style={{ marginTop: 8, fontSize: 12 }}>
                        {(r.approvals ?? []).map((a) => (
                          <Tag
                            key={a.step}
                            color={
                              a.status === 'approved'
                                ? 'green'
                                : a.status === 'skipped'
                                  ? 'orange'
                                  : 'default'
                            }
                          >
                            {t(`approvalStep.${a.step}`, a.step)}：{t(`approvalStatus.${a.status}`, a.status)}
                            {a.at ? ` ${fmtTime(a.at)}` : ''}
                          </Tag>
                        ))}
                        {(r.countersignatures ?? []).map((c) => (
                          <Tag key={`cs-${c.step}`} color={c.status === 'done' ? 'green' : 'red'}>
                            {t('eventPage.countersign', { step: t(`approvalStep.${c.step}`, c.step) })}：
                            {t(`countersignStatus.${c.status}`, c.status)}
                          </Tag>
                        ))}
                        {(r.deliveries ?? []).map((d) => (
                          <Tag key={d.deliveryId} color={d.signedAt ? 'green' : 'gold'}>
                            → {unitName(d.toUnitId)}{' '}
                            {d.signedAt
                              ? t('eventPage.signedAt', { time: fmtTime(d.signedAt) })
                              : t('eventPage.notSigned')}
                            {d.ackedAt ? ` · ${t('eventPage.acked', { time: fmtTime(d.ackedAt) })}` : ''}
                          </Tag>
                        ))}
                      </div>
                    ) : null}
                    <AttachmentsPanel
                      reportId={r.id}
                      eventId={e.id}
                      canUpload={mine && (r.status === 'draft' || r.status === 'returned')}
                    />
                    {mine ? (
                      <div style={{ marginTop: 8 }}>
                        <ReportActions report={r} canApprove={canApprove} canCountersign={canCountersign} />
                      </div>
                    ) : null}
                  </Card>
                );
              })
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('eventPage.noReports')} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            title={
              <>
                <AimOutlined /> {t('eventPage.deadlines')}
              </>
            }
            data-testid="event-deadlines"
          >
            <ResponsiveTable<Deadline>
              size="small"
              rowKey={(d) => d.id ?? `${d.fromUnitId}-${d.channel}`}
              dataSource={sortedDeadlines}
              pagination={false}
              locale={{
                emptyText: (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('eventPage.noDeadlines')} />
                ),
              }}
              rowClassName={(d) => (d.status === 'late' || d.status === 'missed' ? 'deadline-row-late' : '')}
              columns={[
                {
                  title: t('deadline.who'),
                  key: 'who',
                  render: (_, d) => (
                    <div>
                      <div>{unitName(d.fromUnitId)}</div>
                      <div className="muted" style={{ fontSize: 12 }}>
                        → {unitName(d.toUnitId)}
                      </div>
                    </div>
                  ),
                },
                {
                  title: t('deadline.channel'),
                  dataIndex: 'channel',
                  width: 70,
                  render: (c) => t(`channel.${c}`),
                },
                {
                  title: t('deadline.due'),
                  dataIndex: 'dueAt',
                  width: 150,
                  render: (v, d) => (
                    <div>
                      <div className="timeline-time">{fmtTime(v)}</div>
                      <div style={{ fontSize: 12 }}>
                        <DeadlineRow d={d} />
                      </div>
                    </div>
                  ),
                },
                {
                  title: t('deadline.status'),
                  dataIndex: 'status',
                  width: 80,
                  render: (s) => <DeadlineStatusTag status={s} />,
                },
              ]}
            />
          </Card>
          {e.requests?.length ? (
            <Card
              title={t('eventPage.requests')}
              className="section-gap"
              size="small"
              data-testid="event-requests"
            >
              {e.requests.map((rq) => (
                <div key={rq.id} className="timeline-card" style={{ marginBottom: 8 }}>
                  <div>
                    <strong>{unitName(rq.fromUnitId)}</strong> → {unitName(rq.toUnitId)}
                    <span className="timeline-time"> {fmtTime(rq.at)}</span>
                  </div>
                  <div>{rq.message}</div>
                  <div>
                    {rq.answeredAt ? (
                      <Tag color="success">
                        {t('inbox.answered')} {fmtTime(rq.answeredAt)}
                      </Tag>
                    ) : (
                      <Tag color="error">{t('inbox.unanswered')}</Tag>
                    )}
                  </div>
                </div>
              ))}
            </Card>
          ) : null}
          {e.changes?.length ? (
            <Card title={t('eventPage.changes')} className="section-gap" size="small">
              {e.changes.map((c, i) => (
                <div key={i} className="timeline-card" style={{ marginBottom: 8 }}>
                  <div className="timeline-time">
                    {fmtTime(c.at)} · {unitName(c.unitId)}
                  </div>
                  <div>
                    {Object.entries(c.changes).map(([k, v]) => (
                      <div key={k}>
                        {t(`eventField.${k}`, k)}：{fmtChange(k, v.from, t)} → {fmtChange(k, v.to, t)}
                      </div>
                    ))}
                  </div>
                  <div className="muted">
                    {t('eventPage.reason')}：{c.reason}
                  </div>
                </div>
              ))}
            </Card>
          ) : null}
          <InstructionsCard event={e} onGive={canInstruct(hasRole) ? () => setOpen('instr') : undefined} />
          <EventResourcesPanel eventId={e.id} open={e.status === 'open'} />
          <FindingsCard
            event={e}
            onAdd={hasRole('editor', 'leader') ? () => setOpen('finding') : undefined}
          />
          <TimelineCard eventId={e.id} />
        </Col>
      </Row>
      <NewReportModal event={e} kind={composing} onClose={() => setComposing(null)} />
      <ChangeLevelModal event={e} open={levelOpen} onClose={() => setLevelOpen(false)} />
      {upwardOpen ? (
        <UpwardModal
          open
          eventId={e.id}
          eventTitle={e.title}
          sourceReportIds={null}
          onClose={() => setUpwardOpen(false)}
        />
      ) : null}
      <RequestModal event={e} open={requestOpen} onClose={() => setRequestOpen(false)} />
      <RecordCallModal event={e} open={open === 'call'} onClose={close} />
      <OutgoingCallModal event={e} open={open === 'outgoing'} onClose={close} />
      <InstructionModal event={e} open={open === 'instr'} onClose={close} />
      <SiteContactModal event={e} open={open === 'site'} onClose={close} />
      <PublishModal event={e} open={open === 'publish'} onClose={close} />
      <LinkModal event={e} open={open === 'link'} onClose={close} />
      <FindingModal event={e} open={open === 'finding'} onClose={close} />
      <Button type="link" onClick={() => nav('/events')} style={{ marginTop: 12, paddingLeft: 0 }}>
        ← {t('eventPage.back')}
      </Button>
    </>
  );
}

function fmtChange(field: string, v: unknown, t: (k: string, o?: any) => string): string {
  if (v === null || v === undefined) return field === 'level' ? t('level.none') : '—';
  if (field === 'level' && typeof v === 'string') return `${ROMAN[v as Level] ?? v}${t('level.suffix')}`;
  if (field === 'occurredAt' && typeof v === 'string') return fmtTime(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
