import {
  AimOutlined,
  CameraOutlined,
  CloudUploadOutlined,
  DeleteOutlined,
  SendOutlined,
  WifiOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  List,
  Popconfirm,
  Radio,
  Space,
  Tag,
  Tooltip,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api';
import { PageHeader } from '../../components/page';
import { ROMAN } from '../../components/tags';
import { fmtTime, isoToWall, nowWall, wallToIso } from '../../format';
import { showError, ui } from '../../notify';
import { useSession } from '../../session';
import type { Casualties, Level, Me } from '../../types';
import { LEVELS } from '../../types';
import { CategoryPicker } from '../emergency/CategoryPicker';
import { CasualtyInputs } from '../emergency/ReportForm';
import '../emergency/strings';
import {
  type Classification,
  type FieldDraft,
  type FieldPhoto,
  type FieldValues,
  isClassified,
  isOffline,
  listDrafts,
  preparePhoto,
  removeDraft,
  saveDraft,
  sendDraft,
} from './drafts';
import './strings';

interface FormValues {
  title?: string;
  category?: string[];
  level?: Level | 'none';
  occurredAt?: Dayjs;
  address?: string;
  scope?: string;
  cause?: string;
  measures?: string;
  casualties?: Partial<Casualties>;
  contact?: string;
  classification?: Classification;
  fastTrack?: boolean;
}

const ZERO: Casualties = { dead: 0, missing: 0, seriouslyInjured: 0, lightlyInjured: 0, trapped: 0 };

function useOnline() {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

function toValues(v: FormValues, loc: { lat?: number; lng?: number }): FieldValues {
  return {
    title: v.title?.trim() ?? '',
    categoryCode: v.category?.[v.category.length - 1] ?? '',
    category: v.category ?? [],
    level: v.level ?? 'none',
    occurredAt: v.occurredAt ? wallToIso(v.occurredAt) : '',
    address: v.address?.trim() ?? '',
    ...(loc.lat !== undefined && loc.lng !== undefined ? { lat: loc.lat, lng: loc.lng } : {}),
    scope: v.scope?.trim() ?? '',
    cause: v.cause,
    measures: v.measures,
    casualties: { ...ZERO, ...(v.casualties ?? {}) },
    contact: v.contact?.trim() ?? '',
    classification: v.classification ?? 'public',
    fastTrack: !!v.fastTrack,
  };
}

function fromValues(v: FieldValues): FormValues {
  return {
    title: v.title,
    category: v.category.length ? v.category : undefined,
    level: v.level,
    occurredAt: v.occurredAt ? isoToWall(v.occurredAt) : undefined,
    address: v.address,
    scope: v.scope,
    cause: v.cause,
    measures: v.measures,
    casualties: v.casualties,
    contact: v.contact,
    classification: v.classification,
    fastTrack: v.fastTrack,
  };
}

function Thumb({ photo, onRemove }: { photo: FieldPhoto; onRemove?: () => void }) {
  const { t } = useTranslation();
  const url = useMemo(() => URL.createObjectURL(photo.blob), [photo.blob]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <div className="field-thumb" data-testid="field-photo">
      <img src={url} alt={photo.name} />
      {onRemove ? (
        <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={onRemove}>
          {t('field.removePhoto')}
        </Button>
      ) : null}
    </div>
  );
}

/**
 * 现场报告: a report from the scene on a phone — photos from the camera, the location from the browser or the
 * photo's EXIF, kept on the device while offline and sent as idempotent steps when the network returns.
 * `me` is absent when the page is opened while the server cannot be reached (drafts shown, nothing sent).
 */
function FieldReport({ me }: { me: Me | null }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const online = useOnline();
  const [form] = Form.useForm<FormValues>();
  const [draftId, setDraftId] = useState<string>(() => crypto.randomUUID());
  const [capturedAt, setCapturedAt] = useState<string>(() => new Date().toISOString());
  const [photos, setPhotos] = useState<FieldPhoto[]>([]);
  const [loc, setLoc] = useState<{ lat?: number; lng?: number; fromPhoto?: boolean }>({});
  const [queue, setQueue] = useState<FieldDraft[]>([]);
  const [sending, setSending] = useState<string | null>(null);
  const [restored, setRestored] = useState(false);
  const [kept, setKept] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const owner = me?.id ?? '';
  const classification = Form.useWatch('classification', form) ?? 'public';

  const refresh = useCallback(async () => {
    const all = await listDrafts(owner || undefined);
    setQueue(all.filter((d) => d.queued));
    return all;
  }, [owner]);

  // restore the draft being written (not yet sent) and the queue
  useEffect(() => {
    void refresh().then((all) => {
      const open = all.find((d) => !d.queued);
      if (open) {
        setDraftId(open.id);
        setCapturedAt(open.capturedAt);
        setPhotos(open.photos);
        setLoc({ lat: open.values.lat, lng: open.values.lng });
        form.setFieldsValue(fromValues(open.values));
        setKept(true);
      } else if (me) {
        form.setFieldsValue({ contact: `${me.actingUnit?.name ?? me.unit?.name ?? ''} ${me.name}`.trim() });
      }
      setRestored(true);
    });
  }, [refresh, form, me]);

  // the draft as it stands, read when needed (the form's values are not React state)
  const state = useRef({ draftId, capturedAt, photos, loc, owner, restored });
  state.current = { draftId, capturedAt, photos, loc, owner, restored };
  const current = useCallback(
    (queued: boolean): FieldDraft => ({
      id: state.current.draftId,
      owner: state.current.owner,
      capturedAt: state.current.capturedAt,
      values: toValues(form.getFieldsValue(true), state.current.loc),
      photos: state.current.photos,
      queued,
      steps: { photos: {} },
    }),
    [form],
  );

  // every change is kept on the device at once (a closed tab or a reload loses nothing) — never a classified one
  const keep = useCallback(async () => {
    if (!state.current.restored) return;
    const d = current(false);
    const v = d.values;
    if (!v.title && !v.scope && !v.address && !v.categoryCode && !d.photos.length) return;
    setKept(await saveDraft(d));
  }, [current]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: keep the draft whenever photos or location change
  useEffect(() => {
    void keep();
  }, [keep, photos, loc, restored]);

  const sendAll = useCallback(async () => {
    if (!owner) return;
    for (const d of await listDrafts(owner)) {
      if (!d.queued) continue;
      setSending(d.id);
      try {
        await sendDraft(d, t('field.pendingReason'), () => void refresh());
        ui.message?.success(
          t(d.values.fastTrack ? 'field.sentOk' : 'field.submittedOk', { title: d.values.title }),
        );
        void qc.invalidateQueries({ queryKey: ['obligations'] });
        void qc.invalidateQueries({ queryKey: ['events'] });
      } catch (e) {
        if (!isOffline(e)) {
          d.lastError = e instanceof ApiError ? e.message : String(e);
          await saveDraft(d);
          showError(e);
        }
      } finally {
        setSending(null);
      }
    }
    await refresh();
  }, [owner, refresh, t, qc]);

  // sent when the network returns: on load, when the browser says it is back, and every 10 s while waiting
  useEffect(() => {
    if (!owner || !online) return;
    void sendAll();
    const i = setInterval(() => void sendAll(), 10_000);
    return () => clearInterval(i);
  }, [owner, online, sendAll]);

  const addPhotos = async (files: FileList | null) => {
    if (!files?.length) return;
    const prepared = await Promise.all([...files].map(preparePhoto));
    setPhotos((p) => [...p, ...prepared]);
    const located = prepared.find((p) => p.lat !== undefined);
    if (located && loc.lat === undefined) setLoc({ lat: located.lat, lng: located.lng, fromPhoto: true });
  };

  const locate = () => {
    if (!navigator.geolocation) {
      ui.message?.warning(t('field.locateFailed'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (pos) => setLoc({ lat: pos.coords.latitude, lng: pos.coords.longitude }),
      () => ui.message?.warning(t('field.locateFailed')),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  const reset = () => {
    form.resetFields();
    if (me)
      form.setFieldsValue({ contact: `${me.actingUnit?.name ?? me.unit?.name ?? ''} ${me.name}`.trim() });
    setDraftId(crypto.randomUUID());
    setCapturedAt(new Date().toISOString());
    setPhotos([]);
    setLoc({});
    setKept(false);
  };

  const submit = async () => {
    await form.validateFields();
    const d = current(true);
    if (isClassified(d.values) && !online) {
      ui.message?.error(t('field.classifiedOffline'));
      return;
    }
    if (isClassified(d.values)) {
      // never on the device: sent straight away, or not at all
      setSending(d.id);
      try {
        await sendDraft(d, t('field.pendingReason'));
        ui.message?.success(t('field.sentOk', { title: d.values.title }));
        reset();
      } finally {
        setSending(null);
      }
      return;
    }
    await saveDraft(d);
    reset();
    await refresh();
    if (online && owner) void sendAll();
    else ui.message?.info(t('field.queued'));
  };

  const stepText = (d: FieldDraft) => {
    const parts: string[] = [];
    if (d.steps.eventId) parts.push(t('field.step.event'));
    if (d.steps.reportId) parts.push(t('field.step.report'));
    if (d.photos.length)
      parts.push(t('field.step.photos', { done: Object.keys(d.steps.photos).length, n: d.photos.length }));
    return parts.join(' · ');
  };

  return (
    <>
      <PageHeader
        title={t('nav.field')}
        subtitle={t('field.hint')}
        extra={
          <Tag
            color={online && me ? 'success' : 'warning'}
            icon={<WifiOutlined />}
            data-testid="field-network"
            data-online={online && !!me}
          >
            {online && me ? t('field.online') : t('field.offline')}
          </Tag>
        }
      />
      {!me ? (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('field.serverDown')} />
      ) : null}
      {queue.length ? (
        <Card
          size="small"
          title={t('field.queue')}
          className="section-gap"
          style={{ marginBottom: 16 }}
          data-testid="field-queue"
        >
          <List
            itemLayout="vertical"
            dataSource={queue}
            renderItem={(d) => (
              <List.Item
                data-testid="field-queued"
                actions={[
                  <Button
                    key="retry"
                    size="small"
                    icon={<CloudUploadOutlined />}
                    disabled={!online || !me || sending === d.id}
                    onClick={() => void sendAll()}
                  >
                    {t('field.retry')}
                  </Button>,
                  <Popconfirm
                    key="del"
                    title={t('field.discardConfirm')}
                    onConfirm={async () => {
                      await removeDraft(d.id);
                      await refresh();
                    }}
                  >
                    <Button size="small" danger icon={<DeleteOutlined />}>
                      {t('field.discard')}
                    </Button>
                  </Popconfirm>,
                ]}
              >
                <List.Item.Meta
                  title={d.values.title}
                  description={
                    <Space size={[4, 4]} wrap>
                      <Tag color={sending === d.id ? 'processing' : d.lastError ? 'error' : 'warning'}>
                        {sending === d.id
                          ? t('field.state.sending')
                          : d.lastError
                            ? t('field.state.failed')
                            : t('field.state.waiting')}
                      </Tag>
                      <Tooltip title={t('field.capturedHint')}>
                        <span className="muted" data-testid="field-captured">
                          {t('field.capturedAt', { time: fmtTime(d.capturedAt) })}
                        </span>
                      </Tooltip>
                      <span className="muted">{t('field.photoCount', { n: d.photos.length })}</span>
                      {stepText(d) ? <span className="muted">{stepText(d)}</span> : null}
                      {d.steps.eventId && me ? (
                        <Link to={`/events/${d.steps.eventId}`}>{t('field.view')}</Link>
                      ) : null}
                      {d.lastError ? <span className="deadline-late">{d.lastError}</span> : null}
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
        </Card>
      ) : null}
      <Card
        title={t('field.form')}
        extra={
          kept ? (
            <span className="muted" data-testid="field-kept">
              {t('field.draftKept')}
            </span>
          ) : null
        }
      >
        <Form
          form={form}
          name="field"
          layout="vertical"
          initialValues={{ classification: 'public', fastTrack: false, casualties: ZERO }}
          onValuesChange={() => void keep()}
          data-testid="field-form"
          className="field-form"
        >
          <Form.Item
            name="title"
            label={t('field.title')}
            rules={[
              { required: true, whitespace: true, message: t('field.required', { what: t('field.title') }) },
            ]}
          >
            <Input maxLength={200} placeholder={t('field.titlePh')} />
          </Form.Item>
          <Form.Item
            name="category"
            label={t('event.category')}
            rules={[{ required: true, message: t('field.required', { what: t('event.category') }) }]}
          >
            <CategoryPicker />
          </Form.Item>
          <Form.Item
            name="level"
            label={t('event.level')}
            rules={[{ required: true, message: t('field.required', { what: t('event.level') }) }]}
          >
            <Radio.Group optionType="button" className="level-picker" buttonStyle="solid">
              {[...LEVELS, 'none' as const].map((l) => (
                <Radio.Button key={l} value={l} data-testid={`field-level-${l}`}>
                  {l === 'none' ? t('level.none') : ROMAN[l]}
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item
            name="occurredAt"
            label={t('element.occurredAt')}
            rules={[{ required: true, message: t('field.required', { what: t('element.occurredAt') }) }]}
          >
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              style={{ width: '100%' }}
              disabledDate={(d) => d.isAfter(nowWall(), 'day')}
            />
          </Form.Item>
          <Form.Item
            label={t('field.address')}
            required
            extra={
              loc.lat !== undefined && loc.lng !== undefined ? (
                <span data-testid="field-located">
                  {t('field.located', { lat: loc.lat.toFixed(5), lng: loc.lng.toFixed(5) })}
                  {loc.fromPhoto ? t('field.fromPhoto') : ''}
                </span>
              ) : null
            }
          >
            <div className="field-address">
              <Form.Item
                name="address"
                noStyle
                rules={[
                  {
                    required: true,
                    whitespace: true,
                    message: t('field.required', { what: t('field.address') }),
                  },
                ]}
              >
                <Input maxLength={300} placeholder={t('field.addressPh')} />
              </Form.Item>
              <Button icon={<AimOutlined />} onClick={locate} data-testid="field-locate">
                {t('field.locate')}
              </Button>
            </div>
          </Form.Item>
          <Form.Item
            name="scope"
            label={t('field.scope')}
            rules={[
              { required: true, whitespace: true, message: t('field.required', { what: t('field.scope') }) },
            ]}
          >
            <Input.TextArea autoSize={{ minRows: 3 }} maxLength={4000} placeholder={t('field.scopePh')} />
          </Form.Item>
          <CasualtyInputs />
          <Form.Item name="cause" label={t('field.cause')}>
            <Input.TextArea autoSize={{ minRows: 1 }} maxLength={4000} />
          </Form.Item>
          <Form.Item name="measures" label={t('field.measures')}>
            <Input.TextArea autoSize={{ minRows: 1 }} maxLength={4000} />
          </Form.Item>
          <Form.Item label={t('field.photos')}>
            <input
              ref={fileInput}
              type="file"
              accept="image/*"
              capture="environment"
              multiple
              style={{ display: 'none' }}
              data-testid="field-photo-input"
              onChange={(e) => {
                void addPhotos(e.target.files).catch(showError);
                e.target.value = '';
              }}
            />
            <div className="field-photos">
              {photos.map((p) => (
                <Thumb
                  key={p.id}
                  photo={p}
                  onRemove={() => setPhotos((all) => all.filter((x) => x.id !== p.id))}
                />
              ))}
            </div>
            <Button icon={<CameraOutlined />} onClick={() => fileInput.current?.click()}>
              {t('field.addPhoto')}
            </Button>
          </Form.Item>
          <Form.Item
            name="contact"
            label={t('field.contact')}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('field.required', { what: t('field.contact') }),
              },
            ]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item
            name="classification"
            label={t('field.classification')}
            extra={classification !== 'public' ? t('field.classifiedHint') : null}
          >
            <Radio.Group>
              {(['public', 'internal', 'secret'] as const).map((c) => (
                <Radio key={c} value={c}>
                  {t(`field.cls.${c}`)}
                </Radio>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item name="fastTrack" valuePropName="checked">
            <Checkbox>{t('field.fastTrack')}</Checkbox>
          </Form.Item>
          <div className="field-capture muted">
            <Tooltip title={t('field.capturedHint')}>
              {t('field.capturedAt', { time: fmtTime(capturedAt) })}
            </Tooltip>
          </div>
          <Space wrap>
            <Button
              type="primary"
              icon={<SendOutlined />}
              onClick={() => void submit().catch((e) => (e instanceof ApiError ? showError(e) : undefined))}
              loading={!!sending && sending === draftId}
              data-testid="field-send"
            >
              {t('field.send')}
            </Button>
            <Button
              onClick={async () => {
                await removeDraft(draftId);
                reset();
              }}
            >
              {t('field.clear')}
            </Button>
          </Space>
        </Form>
      </Card>
      <p className="muted" style={{ marginTop: 12, fontSize: 12 }}>
        {t('field.noWorker')}
      </p>
    </>
  );
}

function SignedIn() {
  const { me } = useSession();
  return <FieldReport me={me} />;
}

/** The route: inside the app for a signed-in person; `me={null}` when opened while the server is out of reach. */
export default function FieldReportPage({ me }: { me?: null }) {
  return me === null ? <FieldReport me={null} /> : <SignedIn />;
}
