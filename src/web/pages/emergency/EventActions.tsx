import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Modal, Radio, Select, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, type List } from '../../api';
import { QueryState } from '../../components/page';
import { fmtTime } from '../../format';
import { ui } from '../../notify';
import { useUnitName } from '../../session';
import type { EventItem } from '../../types';
import './strings';

interface ModalProps {
  event: EventItem;
  open: boolean;
  onClose: () => void;
}

function useRefresh(eventId: string) {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ['event', eventId] });
    void qc.invalidateQueries({ queryKey: ['timeline', eventId] });
  };
}

/** 一竿子插到底: what the office learned directly from a person on site; it goes on the timeline. */
export function SiteContactModal({ event, open, onClose }: ModalProps) {
  const { t } = useTranslation();
  const refresh = useRefresh(event.id);
  const [form] = Form.useForm<{ person: string; phone?: string; content: string }>();
  const save = useMutation({
    mutationFn: (v: { person: string; phone?: string; content: string }) =>
      api.post(`/api/events/${event.id}/site-contacts`, {
        person: v.person.trim(),
        phone: v.phone?.trim() || null,
        content: v.content.trim(),
      }),
    onSuccess: () => {
      ui.message?.success(t('site.savedOk'));
      refresh();
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title={t('site.modalTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
      forceRender
    >
      <Alert type="info" showIcon title={t('site.hint')} style={{ marginBottom: 12 }} />
      <Form
        form={form}
        name="site"
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        data-testid="site-form"
      >
        <Form.Item
          name="person"
          label={t('site.person')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }]}
        >
          <Input maxLength={60} placeholder={t('site.personPh')} />
        </Form.Item>
        <Form.Item name="phone" label={t('site.phone')}>
          <Input maxLength={40} inputMode="tel" />
        </Form.Item>
        <Form.Item
          name="content"
          label={t('site.content')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 4 }} maxLength={4000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 对外发布: blocked (409) until the party office has a report of the event; the message says so. */
export function PublishModal({ event, open, onClose }: ModalProps) {
  const { t } = useTranslation();
  const refresh = useRefresh(event.id);
  const [form] = Form.useForm<{ text: string }>();
  const [blocked, setBlocked] = useState<string | null>(null);
  useEffect(() => {
    if (open) setBlocked(null);
  }, [open]);
  const save = useMutation({
    meta: { silent: true },
    mutationFn: (v: { text: string }) => api.post(`/api/events/${event.id}/publish`, { text: v.text.trim() }),
    onSuccess: () => {
      ui.message?.success(t('publish.ok'));
      refresh();
      onClose();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 409) setBlocked(e.message);
      else ui.message?.error((e as Error).message);
    },
  });
  return (
    <Modal
      open={open}
      title={t('publish.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('publish.action')}
      confirmLoading={save.isPending}
      width={680}
      destroyOnHidden
      forceRender
    >
      {blocked ? (
        <Alert
          type="error"
          showIcon
          title={t('publish.blocked')}
          description={blocked}
          style={{ marginBottom: 12 }}
          data-testid="publish-blocked"
        />
      ) : (
        <Alert type="info" showIcon title={t('publish.hint')} style={{ marginBottom: 12 }} />
      )}
      <Form form={form} name="publish" layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item
          name="text"
          label={t('publish.text')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 5 }} maxLength={10_000} placeholder={t('publish.textPh')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 并案: a duplicate registration of the same occurrence is linked into this event. */
export function LinkModal({ event, open, onClose }: ModalProps) {
  const { t } = useTranslation();
  const refresh = useRefresh(event.id);
  const qc = useQueryClient();
  const [search, setSearch] = useState('');
  const [form] = Form.useForm<{ duplicateEventId: string; reason: string }>();
  const q = useQuery({
    queryKey: ['events', 'link-search', search],
    queryFn: () =>
      api.get<List<EventItem>>(`/api/events?limit=30${search ? `&q=${encodeURIComponent(search)}` : ''}`),
    enabled: open,
  });
  const options = (q.data?.items ?? [])
    .filter((e) => e.id !== event.id)
    .map((e) => ({ value: e.id, label: `${e.title}（${fmtTime(e.occurredAt)}）` }));
  const save = useMutation({
    mutationFn: (v: { duplicateEventId: string; reason: string }) =>
      api.post(`/api/events/${event.id}/link`, { ...v, reason: v.reason.trim() }),
    onSuccess: () => {
      ui.message?.success(t('link.ok'));
      refresh();
      void qc.invalidateQueries({ queryKey: ['events'] });
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title={t('link.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('link.action')}
      confirmLoading={save.isPending}
      width={680}
      destroyOnHidden
      forceRender
    >
      <Alert type="info" showIcon title={t('link.hint')} style={{ marginBottom: 12 }} />
      <Form form={form} name="link" layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item
          name="duplicateEventId"
          label={t('link.dup')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Select
            showSearch={{ filterOption: false, onSearch: setSearch }}
            placeholder={t('link.dupPh')}
            loading={q.isFetching}
            options={options}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('link.reason')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} placeholder={t('link.reasonPh')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface Finding {
  id: string;
  unitId: string;
  kind: 'concealed' | 'false' | 'missed';
  reason: string;
  at: string;
}

/** The units an editor may record a finding against: those that had a part in the event. */
function eventUnitIds(e: EventItem): string[] {
  return [
    ...new Set([
      e.responsibleUnitId,
      ...(e.reports ?? []).map((r) => r.unitId),
      ...(e.deadlines ?? []).map((d) => d.fromUnitId),
      ...(e.flags?.invertedFlow ?? []),
    ]),
  ].filter(Boolean);
}

export function FindingModal({ event, open, onClose }: ModalProps) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const unitName = useUnitName();
  const [form] = Form.useForm<{ unitId: string; kind: Finding['kind']; reason: string }>();
  useEffect(() => {
    if (open) form.setFieldsValue({ unitId: event.responsibleUnitId, kind: 'missed', reason: '' });
  }, [open, form, event.responsibleUnitId]);
  const save = useMutation({
    mutationFn: (v: { unitId: string; kind: Finding['kind']; reason: string }) =>
      api.post(`/api/events/${event.id}/findings`, { ...v, reason: v.reason.trim() }),
    onSuccess: () => {
      ui.message?.success(t('finding.ok'));
      void qc.invalidateQueries({ queryKey: ['findings', event.id] });
      void qc.invalidateQueries({ queryKey: ['timeline', event.id] });
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title={t('finding.modalTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('finding.add')}
      okButtonProps={{ danger: true }}
      confirmLoading={save.isPending}
      destroyOnHidden
      forceRender
    >
      <Form
        form={form}
        name="finding"
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        data-testid="finding-form"
      >
        <Form.Item name="unitId" label={t('finding.unit')} rules={[{ required: true }]}>
          <Select options={eventUnitIds(event).map((id) => ({ value: id, label: unitName(id) }))} />
        </Form.Item>
        <Form.Item name="kind" label={t('finding.kind')} rules={[{ required: true }]}>
          <Radio.Group optionType="button" buttonStyle="solid">
            {(['concealed', 'false', 'missed'] as const).map((k) => (
              <Radio.Button key={k} value={k}>
                {t(`finding.kinds.${k}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('finding.reason')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 3 }} maxLength={2000} placeholder={t('finding.reasonPh')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const FINDING_COLORS: Record<string, string> = { concealed: 'magenta', false: 'volcano', missed: 'red' };

/** Findings of concealed, false or missed reporting on the event. Shown when there are any or the user may add. */
export function FindingsCard({ event, onAdd }: { event: EventItem; onAdd?: () => void }) {
  const { t } = useTranslation();
  const unitName = useUnitName();
  const q = useQuery({
    queryKey: ['findings', event.id],
    queryFn: () => api.get<List<Finding>>(`/api/events/${event.id}/findings`),
  });
  const items = q.data?.items ?? [];
  // nothing to show yet: the action sits in the page header
  if (!items.length && !q.error) return null;
  return (
    <Card
      size="small"
      className="section-gap"
      data-testid="findings"
      title={
        <>
          <SafetyCertificateOutlined /> {t('finding.title')}
        </>
      }
      extra={
        onAdd ? (
          <Button size="small" type="link" danger onClick={onAdd}>
            {t('finding.add')}
          </Button>
        ) : null
      }
    >
      <QueryState loading={q.isLoading} error={q.error} empty={!items.length} emptyText={t('finding.empty')}>
        {items.map((f) => (
          <div key={f.id} className="timeline-card" style={{ marginBottom: 8 }}>
            <div>
              <Tag color={FINDING_COLORS[f.kind]}>{t(`finding.kinds.${f.kind}`)}</Tag>
              <strong>{unitName(f.unitId)}</strong>
              <span className="timeline-time"> {fmtTime(f.at)}</span>
            </div>
            <div>{f.reason}</div>
          </div>
        ))}
      </QueryState>
    </Card>
  );
}
