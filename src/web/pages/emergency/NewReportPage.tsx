import {
  ClockCircleOutlined,
  DeleteOutlined,
  SaveOutlined,
  SendOutlined,
  ThunderboltOutlined,
} from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Divider,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError, api } from '../../api';
import { PageHeader } from '../../components/page';
import { LEVEL_COLORS, LevelTag, ROMAN } from '../../components/tags';
import { fmtDuration, nowWall, wallToIso } from '../../format';
import { ui } from '../../notify';
import { useSession, useUnits } from '../../session';
import type { Casualties, ElementKey, EventItem, Flags, Level, Report } from '../../types';
import { ELEMENT_KEYS, LEVELS } from '../../types';
import { CategoryPicker } from './CategoryPicker';
import {
  CasualtyInputs,
  type CheckState,
  ElementChecklist,
  ElementField,
  PendingReason,
  type PendingState,
  PendingToggle,
  pendingOf,
} from './ReportForm';
import { defaultLimits, estimateMustReport, proposeAccidentLevel } from './shared';

const DRAFT_KEY = 'jibao.newReport.draft';
const SPECIAL_PERSONS = ['foreigner', 'military', 'student', 'minor', 'woman', 'ethnic_religious', 'notable'];
const FLAG_KEYS = [
  'massIncident',
  'mayEscalate',
  'sensitivePlace',
  'sensitiveTime',
  'publicOpinion',
] as const;

interface FormValues {
  title?: string;
  category?: string[];
  level?: Level | 'none';
  occurredAt?: Dayjs;
  learnedAt?: Dayjs | null;
  address?: string;
  casualties?: Partial<Casualties>;
  lossWan?: number | null;
  flags?: string[];
  specialPersons?: string[];
  elements?: Partial<
    Record<'place' | 'cause' | 'scope' | 'loss' | 'measures' | 'nextSteps' | 'contact', string>
  >;
  pending?: PendingState;
  fastTrack?: boolean;
}

function loadDraft(): FormValues | null {
  try {
    const raw = localStorage.getItem(DRAFT_KEY);
    if (!raw) return null;
    const v = JSON.parse(raw);
    if (v.occurredAt) v.occurredAt = dayjs(v.occurredAt);
    if (v.learnedAt) v.learnedAt = dayjs(v.learnedAt);
    return v;
  } catch {
    return null;
  }
}

function elementStates(v: FormValues): Record<ElementKey, CheckState> {
  const p = v.pending ?? {};
  const out = {} as Record<ElementKey, CheckState>;
  for (const k of ELEMENT_KEYS) {
    let filled: boolean;
    if (k === 'occurredAt') filled = !!v.occurredAt;
    else if (k === 'place') filled = !!v.address?.trim();
    else if (k === 'casualties') filled = true;
    else filled = !!v.elements?.[k]?.trim();
    out[k] = p[k]?.on ? 'pending' : filled ? 'ok' : 'missing';
  }
  return out;
}

export default function NewReportPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const { me } = useSession();
  const { byId } = useUnits();
  const [form] = Form.useForm<FormValues>();
  const restored = useRef(loadDraft());
  const [values, setValues] = useState<FormValues>({});
  const [fastTouched, setFastTouched] = useState(false);
  const [serverMissing, setServerMissing] = useState<string[]>([]);
  // Keys and the created event survive retries: a second click never makes a second event.
  const keys = useRef({ event: api.newKey(), report: api.newKey(), submit: api.newKey() });
  const [created, setCreated] = useState<{ event?: EventItem; report?: Report }>({});
  const [, tick] = useState(0);

  useEffect(() => {
    const i = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(i);
  }, []);

  const initial: FormValues = useMemo(
    () =>
      // no risky defaults: the time of occurrence and the level start empty and must be chosen
      restored.current ?? {
        casualties: { dead: 0, missing: 0, seriouslyInjured: 0, lightlyInjured: 0, trapped: 0 },
        flags: [],
        specialPersons: [],
        elements: { contact: `${me.unit?.name ?? ''} ${me.name}` },
        fastTrack: false,
      },
    [me],
  );
  useEffect(() => setValues(form.getFieldsValue(true)), [form]);

  const level = values.level && values.level !== 'none' ? values.level : null;
  const categoryCode = values.category?.[values.category.length - 1];
  const flags: Flags = {
    specialPersons: values.specialPersons ?? [],
    ...Object.fromEntries(FLAG_KEYS.map((k) => [k, (values.flags ?? []).includes(k)])),
  };
  const rules = estimateMustReport({ level, categoryCode, casualties: values.casualties ?? {}, flags });
  const proposed = proposeAccidentLevel(
    categoryCode,
    values.casualties ?? {},
    values.lossWan ? values.lossWan * 10_000 : null,
  );
  // "no rule fired" is said only once the form says enough to judge: a level (未分级 counts) and a category
  const saysSomething = !!values.level && !!categoryCode;
  const states = elementStates(values);
  const missingCount = ELEMENT_KEYS.filter((k) => states[k] === 'missing').length;
  const acting = me.actingUnit ?? (me.actingUnitId ? byId.get(me.actingUnitId) : undefined) ?? me.unit;
  const limits = defaultLimits(acting, level);
  const sinceOccurred = values.occurredAt
    ? (Date.now() - dayjs(wallToIso(values.occurredAt)).valueOf()) / 1000
    : 0;

  const onValuesChange = (changed: Partial<FormValues>, all: FormValues) => {
    if ('level' in changed && !fastTouched) {
      const fast = changed.level === 'I' || changed.level === 'II';
      form.setFieldValue('fastTrack', fast);
      all = { ...all, fastTrack: fast };
    }
    if ('fastTrack' in changed) setFastTouched(true);
    setValues(all);
    setServerMissing([]);
    try {
      localStorage.setItem(DRAFT_KEY, JSON.stringify(all));
    } catch {
      /* full storage: the form still works */
    }
  };

  const save = useMutation({
    meta: { silent: true },
    mutationFn: async (mode: 'draft' | 'submit') => {
      const v = form.getFieldsValue(true) as FormValues;
      const occurredAt = wallToIso(v.occurredAt!);
      const casualties = {
        dead: 0,
        missing: 0,
        seriouslyInjured: 0,
        lightlyInjured: 0,
        trapped: 0,
        ...v.casualties,
      };
      let event = created.event;
      if (!event) {
        event = await api.post<EventItem>(
          '/api/events',
          {
            title: v.title!.trim(),
            categoryCode: v.category![v.category!.length - 1],
            level: v.level === 'none' ? null : v.level,
            occurredAt,
            learnedAt: v.learnedAt ? wallToIso(v.learnedAt) : undefined,
            place: { address: v.address!.trim() },
            source: 'self',
            summary: v.elements?.cause?.trim() || undefined,
            casualties,
            directLossYuan: v.lossWan ? Math.round(v.lossWan * 10_000) : undefined,
            flags: {
              specialPersons: v.specialPersons ?? [],
              ...Object.fromEntries(FLAG_KEYS.map((k) => [k, (v.flags ?? []).includes(k)])),
            },
          },
          { idempotencyKey: keys.current.event },
        );
        setCreated((c) => ({ ...c, event }));
      }
      let report = created.report;
      if (!report) {
        const el = v.elements ?? {};
        const elements: Record<string, unknown> = {
          occurredAt,
          place: v.address!.trim(),
          casualties,
        };
        for (const k of ['cause', 'scope', 'loss', 'measures', 'nextSteps', 'contact'] as const)
          if (el[k]?.trim()) elements[k] = el[k]!.trim();
        report = await api.post<Report>(
          `/api/events/${event.id}/reports`,
          { kind: 'initial', elements, pendingElements: pendingOf(v.pending), fastTrack: !!v.fastTrack },
          { idempotencyKey: keys.current.report },
        );
        setCreated((c) => ({ ...c, report }));
      }
      if (mode === 'submit')
        report = await api.post<Report>(
          `/api/reports/${report.id}/submit`,
          { fastTrack: !!v.fastTrack },
          { idempotencyKey: keys.current.submit },
        );
      return { event, report };
    },
    onSuccess: ({ event, report }) => {
      localStorage.removeItem(DRAFT_KEY);
      void qc.invalidateQueries({ queryKey: ['events'] });
      void qc.invalidateQueries({ queryKey: ['reports'] });
      const msg =
        report.status === 'sent'
          ? t('report.sentOk')
          : report.status === 'awaiting_approval'
            ? t('report.submittedOk')
            : t('report.draftOk');
      ui.message?.success(msg);
      nav(`/events/${event.id}`);
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'missing_elements') setServerMissing(e.details?.missing ?? []);
      ui.message?.error(e.message);
    },
  });

  const run = async (mode: 'draft' | 'submit') => {
    try {
      await form.validateFields();
    } catch {
      ui.message?.warning(t('report.fixForm'));
      return;
    }
    save.mutate(mode);
  };

  const clearDraft = () => {
    localStorage.removeItem(DRAFT_KEY);
    restored.current = null;
    form.resetFields();
    form.setFieldsValue({ ...initial, occurredAt: undefined, level: undefined });
    setValues(form.getFieldsValue(true));
    setFastTouched(false);
  };

  const levelOptions: Array<Level | 'none'> = [...LEVELS, 'none'];
  const fastTrack = !!values.fastTrack;

  return (
    <>
      <PageHeader title={t('nav.newReport')} subtitle={t('report.newHint')} />
      {restored.current && !created.event ? (
        <Alert
          type="info"
          showIcon
          title={t('report.restored')}
          action={
            <Button size="small" icon={<DeleteOutlined />} onClick={clearDraft}>
              {t('report.clear')}
            </Button>
          }
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {created.event && !created.report ? (
        <Alert type="warning" showIcon title={t('report.eventCreatedRetry')} style={{ marginBottom: 16 }} />
      ) : null}
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        onValuesChange={onValuesChange}
        scrollToFirstError
        requiredMark
        data-testid="report-form"
      >
        <Row gutter={16}>
          <Col xs={24} xl={16}>
            <Card>
              <div className="form-section-title">{t('report.sectionEvent')}</div>
              <Form.Item
                name="title"
                label={t('event.title')}
                rules={[{ required: true, whitespace: true, message: t('report.titleRequired') }]}
              >
                <Input maxLength={120} placeholder={t('report.titlePh')} showCount />
              </Form.Item>
              <Row gutter={12}>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="category"
                    label={t('event.category')}
                    rules={[{ required: true, message: t('report.categoryRequired') }]}
                  >
                    <CategoryPicker />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="level"
                    label={t('event.level')}
                    rules={[{ required: true, message: t('report.levelRequired') }]}
                  >
                    <Radio.Group optionType="button" className="level-picker" buttonStyle="solid">
                      {levelOptions.map((l) => {
                        const c = LEVEL_COLORS[l];
                        const on = values.level === l;
                        return (
                          <Radio.Button
                            key={l}
                            value={l}
                            data-testid={`level-${l}`}
                            style={
                              on
                                ? { background: c.bg, borderColor: c.border, color: c.fg }
                                : { color: c.border === '#d4b106' ? '#8a6d00' : c.bg }
                            }
                          >
                            {l === 'none' ? t('level.none') : `${ROMAN[l]} ${t(`level.${l}`)}`}
                          </Radio.Button>
                        );
                      })}
                    </Radio.Group>
                  </Form.Item>
                </Col>
              </Row>
              {proposed && proposed !== level ? (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginTop: -8, marginBottom: 16 }}
                  title={
                    <span>
                      {t('report.proposedLevel')} <LevelTag level={proposed} />
                      <Button
                        size="small"
                        type="link"
                        onClick={() => {
                          form.setFieldValue('level', proposed);
                          onValuesChange(
                            { level: proposed },
                            { ...form.getFieldsValue(true), level: proposed },
                          );
                        }}
                      >
                        {t('report.applyLevel')}
                      </Button>
                    </span>
                  }
                />
              ) : null}
              <Row gutter={12}>
                <Col xs={24} md={12}>
                  <div className="element-row">
                    <div className="element-main">
                      <Form.Item
                        name="occurredAt"
                        label={t('element.occurredAt')}
                        rules={[{ required: true, message: t('report.occurredRequired') }]}
                      >
                        <DatePicker
                          showTime={{ format: 'HH:mm' }}
                          format="YYYY-MM-DD HH:mm"
                          style={{ width: '100%' }}
                          disabledDate={(d) => d.isAfter(nowWall(), 'day')}
                          placeholder={t('report.occurredPh')}
                        />
                      </Form.Item>
                    </div>
                    <PendingToggle name="occurredAt" />
                  </div>
                  <PendingReason name="occurredAt" form={form} />
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name="learnedAt" label={t('event.learnedAt')} tooltip={t('report.learnedHint')}>
                    <DatePicker
                      showTime={{ format: 'HH:mm' }}
                      format="YYYY-MM-DD HH:mm"
                      style={{ width: '100%' }}
                      disabledDate={(d) => d.isAfter(nowWall(), 'day')}
                    />
                  </Form.Item>
                </Col>
              </Row>
              <div className="element-row">
                <div className="element-main">
                  <Form.Item
                    name="address"
                    label={t('element.place')}
                    rules={[
                      {
                        required: !values.pending?.place?.on,
                        whitespace: true,
                        message: t('report.placeRequired'),
                      },
                    ]}
                  >
                    <Input maxLength={200} placeholder={t('elementPh.place')} />
                  </Form.Item>
                </div>
                <PendingToggle name="place" />
              </div>
              <PendingReason name="place" form={form} />

              <Divider />
              <div className="form-section-title">{t('report.sectionCasualties')}</div>
              <div className="element-row">
                <div className="element-main">
                  <CasualtyInputs />
                </div>
                <PendingToggle name="casualties" />
              </div>
              <PendingReason name="casualties" form={form} />
              <Row gutter={12}>
                <Col xs={24} md={8}>
                  <Form.Item name="lossWan" label={t('event.directLoss')}>
                    <InputNumber
                      min={0}
                      precision={1}
                      style={{ width: '100%' }}
                      suffix={t('common.wanYuan')}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={16}>
                  <ElementField name="loss" form={form} rows={1} requiredAll />
                </Col>
              </Row>

              <Divider />
              <div className="form-section-title">{t('report.sectionElements')}</div>
              <ElementField name="cause" form={form} rows={3} requiredAll />
              <ElementField name="scope" form={form} rows={1} requiredAll />
              <ElementField name="measures" form={form} rows={3} requiredAll />
              <ElementField name="nextSteps" form={form} rows={2} requiredAll />
              <ElementField name="contact" form={form} rows={1} requiredAll />

              <Divider />
              <div className="form-section-title">{t('report.sectionFlags')}</div>
              <Form.Item name="flags" label={t('report.flagsLabel')}>
                <Checkbox.Group options={FLAG_KEYS.map((k) => ({ value: k, label: t(`flag.${k}`) }))} />
              </Form.Item>
              <Form.Item name="specialPersons" label={t('flag.specialPersons')}>
                <Select
                  mode="multiple"
                  allowClear
                  placeholder={t('report.specialPersonsPh')}
                  options={SPECIAL_PERSONS.map((p) => ({ value: p, label: t(`specialPerson.${p}`) }))}
                />
              </Form.Item>
            </Card>
          </Col>
          <Col xs={24} xl={8}>
            <div className="sticky-side">
              <Card size="small" title={t('report.mustReportTitle')} className="must-report-hint">
                {rules.length ? (
                  <Alert
                    type="error"
                    showIcon
                    data-testid="must-report-hint"
                    data-state="yes"
                    title={t('report.mustReportYes')}
                    description={
                      <Space size={[4, 4]} wrap>
                        {rules.map((r) => (
                          <Tag key={r} color="red">
                            {t(`mustRule.${r}`)}
                          </Tag>
                        ))}
                      </Space>
                    }
                  />
                ) : !saysSomething ? (
                  <div className="muted" data-testid="must-report-hint" data-state="waiting">
                    {t('report.mustReportWaiting')}
                  </div>
                ) : (
                  <Alert
                    type="info"
                    showIcon
                    data-testid="must-report-hint"
                    data-state="no"
                    title={t('report.mustReportNo')}
                  />
                )}
                {limits && values.level ? (
                  <div style={{ marginTop: 12 }}>
                    <Typography.Text strong>
                      <ClockCircleOutlined /> {t('report.limitTitle')}
                    </Typography.Text>
                    <div className="muted" style={{ fontSize: 13, marginTop: 4 }}>
                      {limits.phone ? (
                        <div>{t('report.limitPhone', { d: fmtDuration(limits.phone * 60) })}</div>
                      ) : null}
                      {limits.written ? (
                        <div>{t('report.limitWritten', { d: fmtDuration(limits.written * 60) })}</div>
                      ) : null}
                      {values.occurredAt && sinceOccurred > 0 ? (
                        <div
                          className={
                            limits.written && sinceOccurred > limits.written * 60
                              ? 'deadline-late'
                              : undefined
                          }
                        >
                          {t('report.sinceOccurred', { d: fmtDuration(sinceOccurred) })}
                        </div>
                      ) : null}
                    </div>
                  </div>
                ) : null}
                <div className="muted" style={{ fontSize: 12, marginTop: 8 }}>
                  {t('report.estimateNote')}
                </div>
              </Card>
              <Card
                size="small"
                title={t('report.checklistTitle')}
                className="section-gap"
                extra={
                  missingCount ? (
                    <Tag color="red">{t('report.missingN', { n: missingCount })}</Tag>
                  ) : (
                    <Tag color="green">{t('report.complete')}</Tag>
                  )
                }
              >
                <ElementChecklist states={states} />
                {serverMissing.length ? (
                  <Alert
                    style={{ marginTop: 8 }}
                    type="error"
                    showIcon
                    title={t('report.serverMissing', {
                      list: serverMissing.map((k) => t(`element.${k}`)).join('、'),
                    })}
                  />
                ) : null}
              </Card>
              <Card size="small" className="section-gap">
                <Form.Item name="fastTrack" valuePropName="checked" style={{ marginBottom: 8 }}>
                  <Checkbox data-testid="fast-track">
                    <ThunderboltOutlined style={{ color: '#d4000f' }} />{' '}
                    <strong>{t('report.fastTrack')}</strong>
                  </Checkbox>
                </Form.Item>
                <div className="muted" style={{ fontSize: 12, marginBottom: 12 }}>
                  {fastTrack ? t('report.fastTrackOn') : t('report.fastTrackOff')}
                </div>
                <Space orientation="vertical" style={{ width: '100%' }}>
                  <Button
                    type="primary"
                    danger={fastTrack}
                    size="large"
                    block
                    icon={<SendOutlined />}
                    loading={save.isPending && save.variables === 'submit'}
                    disabled={save.isPending}
                    onClick={() => run('submit')}
                    data-testid="report-submit"
                  >
                    {fastTrack ? t('report.sendNow') : t('report.submitForApproval')}
                  </Button>
                  <Button
                    block
                    icon={<SaveOutlined />}
                    loading={save.isPending && save.variables === 'draft'}
                    disabled={save.isPending}
                    onClick={() => run('draft')}
                    data-testid="report-save-draft"
                  >
                    {t('report.saveDraft')}
                  </Button>
                </Space>
              </Card>
            </div>
          </Col>
        </Row>
      </Form>
    </>
  );
}
