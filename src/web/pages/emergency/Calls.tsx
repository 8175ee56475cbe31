import { CheckOutlined, ExclamationCircleOutlined, PhoneOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Form, Input, Modal, Select, Space, Tag, Tooltip } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { fmtTime, nowWall, wallToIso } from '../../format';
import { ui } from '../../notify';
import { useSession, useUnitName, useUnits } from '../../session';
import type { CallConfirmation, EventItem, Report } from '../../types';
import './calls.strings';

const OFFICE_KINDS = ['party_office', 'gov_office', 'duty_room', 'confidential_bureau'];

function useRefreshCalls(eventId: string) {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ['event', eventId] });
    void qc.invalidateQueries({ queryKey: ['timeline', eventId] });
    void qc.invalidateQueries({ queryKey: ['intake'] });
  };
}

/** The state of a call as its caller and its receiver read it: 对方未确认 / 对方已确认 / 有异议, 补记. */
export function CallTags({
  report,
}: {
  report: Pick<
    Report,
    'unitId' | 'direction' | 'confirmation' | 'disputeReason' | 'recordedLate' | 'answeredBy'
  >;
}) {
  const { t } = useTranslation();
  const { actingUnitId } = useSession();
  const mine = report.unitId === actingUnitId;
  const c = report.confirmation;
  return (
    <Space size={4} wrap>
      <Tag icon={<PhoneOutlined />}>
        {report.direction === 'outgoing' ? t('calls.outgoing') : t('calls.incoming')}
      </Tag>
      {report.direction === 'outgoing' && c ? (
        <ConfirmationTag confirmation={c} mine={mine} reason={report.disputeReason ?? null} />
      ) : null}
      {report.recordedLate ? (
        <Tooltip title={t('calls.recordedLateHint')}>
          <Tag color="orange">{t('calls.recordedLate')}</Tag>
        </Tooltip>
      ) : null}
    </Space>
  );
}

export function ConfirmationTag({
  confirmation,
  mine,
  reason,
}: {
  confirmation: CallConfirmation;
  mine: boolean;
  reason: string | null;
}) {
  const { t } = useTranslation();
  if (confirmation === 'pending')
    return (
      <Tag color="gold" data-testid="call-pending">
        {mine ? t('calls.pendingMine') : t('calls.pending')}
      </Tag>
    );
  if (confirmation === 'confirmed')
    return (
      <Tag color="green" data-testid="call-confirmed">
        {mine ? t('calls.confirmedMine') : t('calls.confirmed')}
      </Tag>
    );
  return (
    <Tag color="red" data-testid="call-disputed">
      {t('calls.disputed')}
      {reason ? `：${reason}` : ''}
    </Tag>
  );
}

/** 确认 / 有异议: one click for the called area's offices (intake row, event page). */
export function ConfirmCallButtons({
  reportId,
  eventId,
  can,
  size = 'small',
}: {
  reportId: string;
  eventId: string;
  can: { confirm?: boolean; dispute?: boolean } | undefined;
  size?: 'small' | 'middle';
}) {
  const { t } = useTranslation();
  const refresh = useRefreshCalls(eventId);
  const [disputing, setDisputing] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const confirm = useMutation({
    mutationFn: () => api.post<Report>(`/api/reports/${reportId}/confirm`, {}),
    onSuccess: () => {
      ui.message?.success(t('calls.confirmedOk'));
      refresh();
    },
  });
  const dispute = useMutation({
    mutationFn: (reason: string) => api.post<Report>(`/api/reports/${reportId}/dispute`, { reason }),
    onSuccess: () => {
      ui.message?.success(t('calls.disputedOk'));
      setDisputing(false);
      refresh();
    },
  });
  if (!can?.confirm && !can?.dispute) return null;
  return (
    <Space size={4} wrap onClick={(e) => e.stopPropagation()}>
      {can.confirm ? (
        <Button
          type="primary"
          size={size}
          icon={<CheckOutlined />}
          loading={confirm.isPending}
          onClick={() => confirm.mutate()}
          data-testid={`confirm-call-${reportId}`}
        >
          {t('calls.confirm')}
        </Button>
      ) : null}
      {can.dispute ? (
        <Button
          size={size}
          danger
          icon={<ExclamationCircleOutlined />}
          onClick={() => setDisputing(true)}
          data-testid={`dispute-call-${reportId}`}
        >
          {t('calls.dispute')}
        </Button>
      ) : null}
      <Modal
        open={disputing}
        title={t('calls.disputeTitle')}
        okText={t('calls.disputeOk')}
        okButtonProps={{ danger: true }}
        onCancel={() => setDisputing(false)}
        onOk={() => form.submit()}
        confirmLoading={dispute.isPending}
        destroyOnHidden
        forceRender
      >
        <p className="muted">{t('calls.disputeHint')}</p>
        <Form form={form} layout="vertical" onFinish={(v) => dispute.mutate(v.reason.trim())}>
          <Form.Item
            name="reason"
            label={t('calls.disputeReason')}
            rules={[{ required: true, whitespace: true, message: t('calls.disputeReasonRequired') }]}
          >
            <Input.TextArea autoSize={{ minRows: 3 }} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

interface OutgoingForm {
  toUnitId: string;
  calledAt: Dayjs;
  answeredBy: string;
  said: string;
  measures?: string;
}

/** 记录去电: the calling unit records its own phone report to the unit its deadline goes to. */
export function OutgoingCallModal({
  event,
  open,
  onClose,
}: {
  event: EventItem;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { actingUnitId } = useSession();
  const { units } = useUnits();
  const unitName = useUnitName();
  const refresh = useRefreshCalls(event.id);
  const [form] = Form.useForm<OutgoingForm>();
  const own = (event.deadlines ?? []).filter((d) => d.fromUnitId === actingUnitId);
  const target = (own.find((d) => d.channel === 'phone') ?? own[0])?.toUnitId;
  const options = target
    ? [
        { value: target, label: unitName(target) === '—' ? t('calls.targetArea') : unitName(target) },
        ...units
          .filter((u) => u.parentId === target && OFFICE_KINDS.includes(u.kind))
          .map((u) => ({ value: u.id, label: u.name })),
      ]
    : [];
  const save = useMutation({
    mutationFn: (v: OutgoingForm) =>
      api.post<Report>(`/api/events/${event.id}/reports`, {
        kind: 'phone',
        direction: 'outgoing',
        toUnitId: v.toUnitId,
        calledAt: wallToIso(v.calledAt),
        answeredBy: v.answeredBy.trim(),
        elements: { cause: v.said.trim(), ...(v.measures?.trim() ? { measures: v.measures.trim() } : {}) },
      }),
    onSuccess: () => {
      ui.message?.success(t('calls.recordedOk'));
      form.resetFields();
      onClose();
      refresh();
    },
  });
  return (
    <Modal
      open={open}
      title={t('calls.recordTitle')}
      okText={t('calls.recordOk')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
      forceRender
    >
      <p className="muted">{t('calls.recordHint')}</p>
      <Form<OutgoingForm>
        form={form}
        layout="vertical"
        initialValues={{ toUnitId: target, calledAt: nowWall() }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item
          name="toUnitId"
          label={t('calls.to')}
          rules={[{ required: true, message: t('calls.toRequired') }]}
        >
          <Select options={options} data-testid="call-to" />
        </Form.Item>
        <Form.Item
          name="calledAt"
          label={t('calls.calledAt')}
          rules={[{ required: true, message: t('calls.calledAtRequired') }]}
        >
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="answeredBy"
          label={t('calls.answeredBy')}
          rules={[{ required: true, whitespace: true, message: t('calls.answeredByRequired') }]}
        >
          <Input maxLength={60} placeholder={t('calls.answeredByPh')} data-testid="call-answered-by" />
        </Form.Item>
        <Form.Item
          name="said"
          label={t('calls.said')}
          rules={[{ required: true, whitespace: true, message: t('calls.saidRequired') }]}
        >
          <Input.TextArea autoSize={{ minRows: 3 }} maxLength={4000} data-testid="call-said" />
        </Form.Item>
        <Form.Item name="measures" label={t('calls.measures')}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={4000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A short line for a call: when, who answered. */
export function callLine(r: Pick<Report, 'calledAt' | 'answeredBy'>, t: (k: string, o?: any) => string) {
  return t('calls.line', { time: fmtTime(r.calledAt ?? null), who: r.answeredBy ?? '—' });
}
