import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type List } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { showError, ui } from '../../notify';
import { useSession } from '../../session';
import './strings';

const CHANNELS = ['in_app', 'email', 'sms', 'voice', 'webhook', 'wecom', 'dingtalk', 'feishu', 'deputy'];
interface Step {
  afterMinutes: number;
  channel: string;
  endpointId?: string | null;
  urgentOnly?: boolean;
}
interface Prefs {
  email: string | null;
  phone: string | null;
  deputyUserId: string | null;
  steps: Step[];
  isDefault: boolean;
  defaultSteps: Step[];
  endpoints: { id: string; kind: string; name: string }[];
}

/** 通知设置: which channels, after how long, and the deputy. */
export default function NotificationPreferencesPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { me } = useSession();
  const q = useQuery({
    queryKey: ['notifications', 'prefs'],
    queryFn: () => api.get<Prefs>('/api/notifications/preferences'),
  });
  const people = useQuery({
    queryKey: ['users', 'unit', me.unitId],
    queryFn: () => api.get<List<{ id: string; name: string }>>(`/api/users?unitId=${me.unitId}`),
  });
  const [steps, setSteps] = useState<Step[]>([]);
  const [form] = Form.useForm();
  useEffect(() => {
    if (!q.data) return;
    setSteps(q.data.steps);
    form.setFieldsValue({ email: q.data.email, phone: q.data.phone, deputyUserId: q.data.deputyUserId });
  }, [q.data, form]);
  const save = useMutation({
    mutationFn: (v: any) =>
      api.put<Prefs>('/api/notifications/preferences', {
        email: v.email || null,
        phone: v.phone || null,
        deputyUserId: v.deputyUserId || null,
        steps,
      }),
    onSuccess: () => {
      ui.message?.success(t('notif.prefs.saved'));
      void qc.invalidateQueries({ queryKey: ['notifications', 'prefs'] });
    },
    onError: showError,
  });
  const test = useMutation({
    mutationFn: () => api.post('/api/notifications/test', { urgent: true }),
    onError: showError,
  });
  const set = (i: number, patch: Partial<Step>) =>
    setSteps((s) => s.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const eps = q.data?.endpoints ?? [];
  return (
    <>
      <PageHeader title={t('notif.prefs.title')} subtitle={t('notif.prefs.sub')} />
      <Card>
        <QueryState loading={q.isLoading} error={q.error}>
          <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} style={{ maxWidth: 720 }}>
            <Form.Item name="email" label={t('notif.prefs.email')} rules={[{ type: 'email' }]}>
              <Input />
            </Form.Item>
            <Form.Item name="phone" label={t('notif.prefs.phone')}>
              <Input />
            </Form.Item>
            <Form.Item name="deputyUserId" label={t('notif.prefs.deputy')}>
              <Select
                allowClear
                options={(people.data?.items ?? [])
                  .filter((p) => p.id !== me.id)
                  .map((p) => ({ value: p.id, label: p.name }))}
              />
            </Form.Item>
            <Typography.Title level={5}>{t('notif.prefs.steps')}</Typography.Title>
            <Space direction="vertical" style={{ width: '100%' }}>
              {steps.map((s, i) => (
                <Space key={i} wrap>
                  <InputNumber
                    min={0}
                    max={1440}
                    value={s.afterMinutes}
                    onChange={(v) => set(i, { afterMinutes: Number(v ?? 0) })}
                    addonAfter={t('notif.prefs.after')}
                  />
                  <Select
                    style={{ width: 160 }}
                    value={s.channel}
                    onChange={(v) => set(i, { channel: v, endpointId: null })}
                    options={CHANNELS.map((c) => ({ value: c, label: t(`notif.channel.${c}`) }))}
                  />
                  {['webhook', 'wecom', 'dingtalk', 'feishu'].includes(s.channel) ? (
                    <Select
                      style={{ width: 200 }}
                      placeholder={t('notif.prefs.endpoint')}
                      value={s.endpointId ?? undefined}
                      onChange={(v) => set(i, { endpointId: v })}
                      options={eps
                        .filter((e) => e.kind === s.channel)
                        .map((e) => ({ value: e.id, label: e.name }))}
                    />
                  ) : null}
                  <Checkbox
                    checked={!!s.urgentOnly}
                    onChange={(e) => set(i, { urgentOnly: e.target.checked })}
                  >
                    {t('notif.prefs.urgentOnly')}
                  </Checkbox>
                  <Button
                    icon={<DeleteOutlined />}
                    onClick={() => setSteps((x) => x.filter((_, j) => j !== i))}
                  />
                </Space>
              ))}
              <Space>
                <Button
                  icon={<PlusOutlined />}
                  onClick={() =>
                    setSteps((x) => [...x, { afterMinutes: 5, channel: 'sms', urgentOnly: true }])
                  }
                >
                  {t('notif.prefs.addStep')}
                </Button>
                <Button onClick={() => q.data && setSteps(q.data.defaultSteps)}>
                  {t('notif.prefs.reset')}
                </Button>
              </Space>
            </Space>
            <Space style={{ marginTop: 24 }}>
              <Button type="primary" htmlType="submit" loading={save.isPending}>
                {t('duty.save', { defaultValue: '保存' })}
              </Button>
              <Button onClick={() => test.mutate()} loading={test.isPending}>
                {t('notif.prefs.test')}
              </Button>
            </Space>
          </Form>
        </QueryState>
      </Card>
    </>
  );
}
