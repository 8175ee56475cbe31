import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Empty,
  Form,
  Input,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { fmtTime } from '../../format';
import { showError, ui } from '../../notify';
import { useSession } from '../../session';
import { type Shift, shiftLabel } from './shared';
import './strings';

const KINDS = ['call_in', 'call_out', 'visitor', 'instruction', 'event', 'other'];
interface Entry {
  id: string;
  kind: string;
  at: string;
  counterpart: string;
  phone: string | null;
  content: string;
  open: boolean;
  closedAt: string | null;
}
interface Handover {
  id: string;
  fromUserId: string;
  toUserId: string | null;
  notes: string;
  openItemIds: string[];
  createdAt: string;
  confirmedAt: string | null;
}
interface Detail {
  shift: Shift;
  unit: { id: string; name: string };
  log: Entry[];
  openItems: Entry[];
  handoverOut: Handover | null;
  handoverIn: Handover | null;
}

/** 值班日志与交接: check in, keep the log, hand over the open items, confirm the incoming handover. */
export default function ShiftPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { me } = useSession();
  const mine = useQuery({
    queryKey: ['duty', 'my-shifts'],
    queryFn: () => api.get<{ items: (Shift & { unitName: string })[] }>('/api/duty/my-shifts'),
  });
  const [shiftId, setShiftId] = useState<string>();
  useEffect(() => {
    if (!shiftId && mine.data?.items[0]?.id) setShiftId(mine.data.items[0].id);
  }, [mine.data, shiftId]);
  const d = useQuery({
    queryKey: ['duty', 'shift', shiftId],
    queryFn: () => api.get<Detail>(`/api/duty/shifts/${shiftId}`),
    enabled: !!shiftId,
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['duty'] });
  const ok = () => {
    ui.message?.success('OK');
    refresh();
  };
  const checkIn = useMutation({
    mutationFn: () => api.post(`/api/duty/shifts/${shiftId}/check-in`),
    onSuccess: ok,
    onError: showError,
  });
  const [form] = Form.useForm();
  const add = useMutation({
    mutationFn: (v: any) => api.post(`/api/duty/shifts/${shiftId}/log`, v),
    onSuccess: () => {
      form.resetFields();
      ok();
    },
    onError: showError,
  });
  const close = useMutation({
    mutationFn: (id: string) => api.post(`/api/duty/log/${id}/close`, {}),
    onSuccess: ok,
    onError: showError,
  });
  const [notes, setNotes] = useState('');
  const handover = useMutation({
    mutationFn: () => api.post(`/api/duty/shifts/${shiftId}/handover`, { notes }),
    onSuccess: ok,
    onError: showError,
  });
  const confirm = useMutation({
    mutationFn: (id: string) => api.post(`/api/duty/handovers/${id}/confirm`),
    onSuccess: ok,
    onError: showError,
  });
  const s = d.data?.shift;
  const items = mine.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('duty.nav.shift')}
        extra={
          items.length ? (
            <Select
              style={{ minWidth: 320 }}
              value={shiftId}
              onChange={setShiftId}
              options={items.map((x) => ({
                value: x.id!,
                label: `${x.unitName} ${x.day} ${shiftLabel(x.shiftName)}`,
              }))}
            />
          ) : null
        }
      />
      {!mine.isLoading && !items.length ? (
        <Card>
          <Empty description={t('duty.noShift')} />
        </Card>
      ) : null}
      {shiftId ? (
        <QueryState loading={d.isLoading} error={d.error}>
          {s ? (
            <Row gutter={16}>
              <Col xs={24} lg={16}>
                <Card
                  title={`${d.data!.unit.name} · ${s.day} ${shiftLabel(s.shiftName)} ${t('duty.shiftSpan', { from: fmtTime(s.startsAt), to: fmtTime(s.endsAt) })}`}
                  extra={
                    s.checkedInAt ? (
                      <Tag color="green">{t('duty.checkedIn', { at: fmtTime(s.checkedInAt) })}</Tag>
                    ) : (
                      <Button type="primary" onClick={() => checkIn.mutate()} loading={checkIn.isPending}>
                        {t('duty.checkIn')}
                      </Button>
                    )
                  }
                >
                  <Form
                    form={form}
                    layout="inline"
                    initialValues={{ kind: 'call_in' }}
                    onFinish={(v) => add.mutate(v)}
                  >
                    <Form.Item name="kind">
                      <Select
                        style={{ width: 100 }}
                        options={KINDS.map((k) => ({ value: k, label: t(`duty.kinds.${k}`) }))}
                      />
                    </Form.Item>
                    <Form.Item name="counterpart">
                      <Input placeholder={t('duty.counterpart')} style={{ width: 140 }} />
                    </Form.Item>
                    <Form.Item name="phone">
                      <Input placeholder={t('duty.phone')} style={{ width: 120 }} />
                    </Form.Item>
                    <Form.Item name="content" rules={[{ required: true }]}>
                      <Input placeholder={t('duty.content')} style={{ width: 260 }} />
                    </Form.Item>
                    <Form.Item name="open" valuePropName="checked">
                      <Checkbox>{t('duty.openItem')}</Checkbox>
                    </Form.Item>
                    <Button htmlType="submit" type="primary" loading={add.isPending}>
                      {t('duty.addLog')}
                    </Button>
                  </Form>
                  <ResponsiveTable
                    style={{ marginTop: 16 }}
                    size="small"
                    rowKey="id"
                    pagination={false}
                    dataSource={d.data!.log}
                    columns={[
                      { title: t('duty.at'), dataIndex: 'at', render: (v) => fmtTime(v), width: 140 },
                      {
                        title: t('duty.kind'),
                        dataIndex: 'kind',
                        render: (k) => t(`duty.kinds.${k}`),
                        width: 70,
                      },
                      {
                        title: t('duty.counterpart'),
                        render: (_, e) => `${e.counterpart}${e.phone ? ` ${e.phone}` : ''}`,
                      },
                      { title: t('duty.content'), dataIndex: 'content' },
                      {
                        title: t('common.status'),
                        render: (_, e) =>
                          e.open && !e.closedAt ? <Tag color="orange">{t('duty.openItem')}</Tag> : null,
                      },
                    ]}
                  />
                </Card>
              </Col>
              <Col xs={24} lg={8}>
                {d.data!.handoverIn ? (
                  <Card title={t('duty.handoverIn')} style={{ marginBottom: 16 }}>
                    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>
                      {d.data!.handoverIn.notes}
                    </Typography.Paragraph>
                    {d.data!.handoverIn.confirmedAt ? (
                      <Tag color="green">{t('duty.confirmed')}</Tag>
                    ) : (
                      <Button type="primary" onClick={() => confirm.mutate(d.data!.handoverIn!.id)}>
                        {t('duty.confirm')}
                      </Button>
                    )}
                  </Card>
                ) : null}
                <Card title={t('duty.openItems')} style={{ marginBottom: 16 }}>
                  {d.data!.openItems.length ? (
                    d.data!.openItems.map((e) => (
                      <div key={e.id} style={{ marginBottom: 8 }}>
                        <Typography.Text type="secondary">{fmtTime(e.at)}</Typography.Text> {e.content}{' '}
                        <Button size="small" type="link" onClick={() => close.mutate(e.id)}>
                          {t('duty.close')}
                        </Button>
                      </div>
                    ))
                  ) : (
                    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
                  )}
                </Card>
                <Card title={t('duty.handover')}>
                  {d.data!.handoverOut ? (
                    <Alert
                      type={d.data!.handoverOut.confirmedAt ? 'success' : 'info'}
                      title={d.data!.handoverOut.confirmedAt ? t('duty.confirmed') : t('duty.handoverDone')}
                    />
                  ) : s.officer?.id === me.id ? (
                    <Space direction="vertical" style={{ width: '100%' }}>
                      <Input.TextArea
                        rows={3}
                        placeholder={t('duty.handoverNotes')}
                        value={notes}
                        onChange={(e) => setNotes(e.target.value)}
                      />
                      <Button type="primary" onClick={() => handover.mutate()} loading={handover.isPending}>
                        {t('duty.handover')}
                      </Button>
                    </Space>
                  ) : null}
                </Card>
              </Col>
            </Row>
          ) : null}
        </QueryState>
      ) : null}
    </>
  );
}
