import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, InputNumber, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, type List } from '../../api';
import { PageHeader } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { fmtDuration, fmtTime } from '../../format';
import { useLiveMessages } from '../../live';
import { showError, ui } from '../../notify';
import { useSession } from '../../session';
import { DutyUnitSelect } from './shared';
import './strings';

interface Check {
  id: string;
  targetUnitName: string | null;
  startedAt: string;
  dueAt: string;
  message: string;
  status: 'pending' | 'answered' | 'missed';
  answeredAt: string | null;
  responseSeconds: number | null;
}
interface Stat {
  unitId: string;
  name: string;
  total: number;
  answered: number;
  missed: number;
  answerRate: number | null;
  avgSeconds: number | null;
}
const COLOR = { pending: 'blue', answered: 'green', missed: 'red' } as const;

/** 查岗: start a check of a lower duty room, answer checks of mine, and the counts per unit. */
export default function SpotCheckPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { me, actingUnitId, hasRole } = useSession();
  const out = useQuery({
    queryKey: ['duty', 'spot', 'outgoing'],
    queryFn: () => api.get<List<Check>>('/api/duty/spot-checks?direction=outgoing'),
    refetchInterval: (q) => (q.state.data?.items.some((c) => c.status === 'pending') ? 5000 : 60_000),
  });
  const inc = useQuery({
    queryKey: ['duty', 'spot', 'incoming'],
    queryFn: () => api.get<List<Check>>('/api/duty/spot-checks?direction=incoming'),
    refetchInterval: 30_000,
  });
  const stats = useQuery({
    queryKey: ['duty', 'spot', 'stats'],
    queryFn: () => api.get<{ items: Stat[] }>('/api/duty/spot-checks/stats'),
  });
  useLiveMessages(() => void qc.invalidateQueries({ queryKey: ['duty', 'spot'] }), ['notification']);
  const [form] = Form.useForm();
  const start = useMutation({
    mutationFn: (v: any) => api.post('/api/duty/spot-checks', v),
    onSuccess: () => {
      ui.message?.success(t('duty.spot.start'));
      void qc.invalidateQueries({ queryKey: ['duty', 'spot'] });
    },
    onError: showError,
  });
  const answer = useMutation({
    mutationFn: (id: string) => api.post(`/api/duty/spot-checks/${id}/answer`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['duty', 'spot'] }),
    onError: showError,
  });
  const cols = (incoming: boolean) => [
    { title: t('duty.spot.target'), dataIndex: 'targetUnitName' },
    { title: t('duty.at'), dataIndex: 'startedAt', render: (v: string) => fmtTime(v, true) },
    { title: t('duty.dueAt'), dataIndex: 'dueAt', render: (v: string) => fmtTime(v, true) },
    { title: t('duty.spot.message'), dataIndex: 'message' },
    {
      title: t('common.status'),
      render: (_: unknown, c: Check) => (
        <Space>
          <Tag color={COLOR[c.status]}>{t(`duty.spot.status.${c.status}`)}</Tag>
          {c.responseSeconds !== null ? `${t('duty.spot.seconds')} ${fmtDuration(c.responseSeconds)}` : null}
          {incoming && !c.answeredAt ? (
            <Button type="primary" danger size="small" onClick={() => answer.mutate(c.id)}>
              {t('duty.spot.answer')}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];
  const canStart = hasRole('duty_officer', 'duty_leader', 'leader', 'admin');
  return (
    <>
      <PageHeader title={t('duty.spot.title')} />
      {inc.data?.items.length ? (
        <Card title={t('duty.spot.incoming')} style={{ marginBottom: 16 }}>
          <ResponsiveTable
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={inc.data.items}
            columns={cols(true)}
          />
        </Card>
      ) : null}
      {canStart ? (
        <Card title={t('duty.spot.start')} style={{ marginBottom: 16 }}>
          <Form form={form} layout="inline" onFinish={(v) => start.mutate(v)}>
            <Form.Item name="targetUnitId" label={t('duty.spot.target')} rules={[{ required: true }]}>
              <DutyUnitSelect
                onChange={(v) => form.setFieldValue('targetUnitId', v)}
                exclude={(u) => u.id === me.unitId || u.parentId === actingUnitId}
              />
            </Form.Item>
            <Form.Item name="message" label={t('duty.spot.message')}>
              <Input style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name="minutes" label={t('duty.spot.minutes')}>
              <InputNumber min={1} max={60} placeholder="3" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={start.isPending}>
              {t('duty.spot.start')}
            </Button>
          </Form>
        </Card>
      ) : null}
      <Card title={t('duty.spot.outgoing')} style={{ marginBottom: 16 }}>
        <ResponsiveTable size="small" rowKey="id" dataSource={out.data?.items ?? []} columns={cols(false)} />
      </Card>
      <Card title={t('duty.spot.stats')}>
        <ResponsiveTable
          size="small"
          rowKey="unitId"
          pagination={false}
          dataSource={stats.data?.items ?? []}
          columns={[
            { title: t('duty.unit'), dataIndex: 'name' },
            { title: t('duty.spot.total'), dataIndex: 'total' },
            { title: t('duty.spot.answered'), dataIndex: 'answered' },
            { title: t('duty.spot.missed'), dataIndex: 'missed' },
            {
              title: t('duty.spot.rate'),
              dataIndex: 'answerRate',
              render: (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`),
            },
            {
              title: t('duty.spot.avg'),
              dataIndex: 'avgSeconds',
              render: (v: number | null) => fmtDuration(v),
            },
          ]}
        />
      </Card>
    </>
  );
}
