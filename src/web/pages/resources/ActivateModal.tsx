import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Form, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, type List, qs } from '../../api';
import { ROMAN } from '../../components/tags';
import { ui } from '../../notify';
import type { EventItem } from '../../types';
import type { Activation } from './shared';

/** Activate a plan on an open event at a response level (which may differ from the event's level). */
export function ActivateModal({
  plan,
  eventId,
  onClose,
}: {
  plan: { id: string; title: string; levels: string[] };
  eventId?: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ eventId: string; level: string }>();
  const [key] = useState(api.newKey());
  const events = useQuery({
    queryKey: ['events', 'open-for-plans'],
    queryFn: () => api.get<List<EventItem>>(`/api/events${qs({ status: 'open', limit: 100 })}`),
    enabled: !eventId,
  });
  const m = useMutation({
    mutationFn: (v: { eventId: string; level: string }) =>
      api.post<Activation>(`/api/plans/${plan.id}/activate`, v, { idempotencyKey: key }),
    onSuccess: (a) => {
      if (a.warningText) ui.message?.warning(a.warningText);
      else ui.message?.success(t('res.plans.activated'));
      void qc.invalidateQueries({ queryKey: ['activations'] });
      void qc.invalidateQueries({ queryKey: ['suggestions'] });
      onClose();
      if (!eventId) nav(`/events/${a.eventId}`);
    },
  });
  return (
    <Modal
      open
      title={t('res.plans.activateTitle', { title: plan.title })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={m.isPending}
      okButtonProps={{ danger: true, 'data-testid': 'activate-ok' } as never}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ eventId, level: plan.levels[plan.levels.length - 1] }}
        onFinish={(v) => m.mutate({ eventId: v.eventId ?? eventId, level: v.level })}
        data-testid="activate-form"
      >
        {eventId ? null : (
          <Form.Item name="eventId" label={t('res.plans.event')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={events.isLoading}
              options={(events.data?.items ?? []).map((e) => ({ value: e.id, label: e.title }))}
            />
          </Form.Item>
        )}
        <Form.Item name="level" label={t('res.plans.level')} rules={[{ required: true }]}>
          <Select
            options={plan.levels.map((l) => ({ value: l, label: `${ROMAN[l as keyof typeof ROMAN]}级` }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
