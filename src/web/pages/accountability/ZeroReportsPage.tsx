import { CheckCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Tag,
  TimePicker,
  TreeSelect,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type List, qs } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { fmtTime, nowWall } from '../../format';
import { showError, ui } from '../../notify';
import { useUnits } from '../../session';
import './strings';

type ZStatus = 'pending' | 'met' | 'late' | 'missed';
const COLORS: Record<ZStatus, string> = {
  pending: 'processing',
  met: 'success',
  late: 'warning',
  missed: 'error',
};

interface Period {
  id: string;
  name: string;
  fromDate: string;
  toDate: string;
  dueTime: string;
  days: string[];
  unitCount: number;
}
interface Mine {
  today: string;
  items: Array<{
    periodId: string;
    periodName: string;
    day: string;
    dueAt: string;
    sentAt: string | null;
    status: ZStatus;
    content: string | null;
  }>;
}
interface Detail extends Period {
  totals: Record<ZStatus, number>;
  units: Array<{
    unitId: string;
    unitName: string;
    days: Array<{ day: string; status: ZStatus; sentAt: string | null; content: string | null }>;
  }>;
}

function StatusTag({ s }: { s: ZStatus }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[s]}>{t(`acc.zr.status.${s}`)}</Tag>;
}

function DeclareModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { units } = useUnits();
  const [form] = Form.useForm();
  const [key] = useState(api.newKey());
  const year = nowWall().year();
  const hol = useQuery({
    queryKey: ['zr-holidays', year],
    queryFn: async () => [
      ...(
        await api.get<List<{ name: string; fromDate: string; toDate: string }>>(
          `/api/zero-report-periods/holidays${qs({ year })}`,
        )
      ).items,
      ...(
        await api.get<List<{ name: string; fromDate: string; toDate: string }>>(
          `/api/zero-report-periods/holidays${qs({ year: year + 1 })}`,
        )
      ).items,
    ],
    enabled: open,
  });
  const m = useMutation({
    mutationFn: (v: { name: string; rootUnitId: string; dates: [Dayjs, Dayjs]; dueTime: Dayjs }) =>
      api.post<Period>(
        '/api/zero-report-periods',
        {
          name: v.name,
          rootUnitId: v.rootUnitId,
          fromDate: v.dates[0].format('YYYY-MM-DD'),
          toDate: v.dates[1].format('YYYY-MM-DD'),
          dueTime: v.dueTime.format('HH:mm'),
        },
        { idempotencyKey: key },
      ),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['zr-periods'] });
      onClose();
    },
    onError: showError,
  });
  const areas = units.filter((u) => u.kind === 'area');
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t('acc.zr.declare')}
      onOk={() => form.submit()}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ dueTime: dayjs('09:00', 'HH:mm') }}
        onFinish={(v) => m.mutate(v)}
      >
        <Form.Item label={t('acc.zr.holiday')}>
          <Select
            allowClear
            options={(hol.data ?? []).map((h) => ({
              value: `${h.fromDate}|${h.toDate}|${h.name}`,
              label: `${h.name} ${h.fromDate} ~ ${h.toDate}`,
            }))}
            onChange={(v?: string) => {
              if (!v) return;
              const [a, b, name] = v.split('|');
              form.setFieldsValue({ dates: [dayjs(a), dayjs(b)], name: `${a.slice(0, 4)}年${name}零报告` });
            }}
          />
        </Form.Item>
        <Form.Item name="name" label={t('acc.zr.name')} rules={[{ required: true }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="rootUnitId" label={t('acc.zr.root')} rules={[{ required: true }]}>
          <TreeSelect
            showSearch
            treeNodeFilterProp="title"
            treeDataSimpleMode={{ id: 'id', pId: 'pId' }}
            treeData={areas.map((u) => ({ id: u.id, pId: u.parentId, value: u.id, title: u.name }))}
          />
        </Form.Item>
        <Form.Item name="dates" label={t('acc.zr.dates')} rules={[{ required: true }]}>
          <DatePicker.RangePicker />
        </Form.Item>
        <Form.Item name="dueTime" label={t('acc.zr.dueTime')} rules={[{ required: true }]}>
          <TimePicker format="HH:mm" minuteStep={5} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function ZeroReportsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [declaring, setDeclaring] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [content, setContent] = useState(t('acc.zr.defaultContent'));
  const mine = useQuery({ queryKey: ['zr-mine'], queryFn: () => api.get<Mine>('/api/zero-reports/mine') });
  const periods = useQuery({
    queryKey: ['zr-periods'],
    queryFn: () =>
      api.get<List<Period> & { can?: { declare: boolean; send: boolean } }>('/api/zero-report-periods'),
  });
  const current = selected ?? periods.data?.items[0]?.id ?? null;
  const detail = useQuery({
    queryKey: ['zr-period', current],
    queryFn: () => api.get<Detail>(`/api/zero-report-periods/${current}`),
    enabled: !!current,
  });
  const send = useMutation({
    mutationFn: (p: { periodId: string; day: string }) => api.post('/api/zero-reports', { ...p, content }),
    onSuccess: () => {
      ui.message?.success(t('acc.zr.sent'));
      void qc.invalidateQueries({ queryKey: ['zr-mine'] });
      void qc.invalidateQueries({ queryKey: ['zr-period'] });
    },
    onError: showError,
  });
  const today = (mine.data?.items ?? []).filter((i) => i.day === mine.data?.today);
  const days = detail.data?.days ?? [];

  return (
    <>
      <PageHeader
        title={t('acc.zr.title')}
        extra={
          periods.data?.can?.declare ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDeclaring(true)}>
              {t('acc.zr.declare')}
            </Button>
          ) : null
        }
      />
      <Card title={t('acc.zr.today')} style={{ marginBottom: 16 }}>
        <QueryState
          loading={mine.isLoading}
          error={mine.error}
          empty={today.length === 0}
          emptyText={t('acc.zr.none')}
        >
          {today.map((i) => (
            <Space key={i.periodId} wrap style={{ marginBottom: 8 }}>
              <strong>{i.periodName}</strong>
              <span>{fmtTime(i.dueAt)}</span>
              <StatusTag s={i.status} />
              {i.sentAt ? (
                <span>
                  <CheckCircleOutlined style={{ color: '#52c41a' }} /> {fmtTime(i.sentAt)} {i.content}
                </span>
              ) : (
                <>
                  <Input
                    value={content}
                    onChange={(e) => setContent(e.target.value)}
                    style={{ width: 360 }}
                    maxLength={2000}
                  />
                  <Button
                    type="primary"
                    loading={send.isPending}
                    onClick={() => send.mutate({ periodId: i.periodId, day: i.day })}
                  >
                    {t('acc.zr.send')}
                  </Button>
                </>
              )}
            </Space>
          ))}
        </QueryState>
      </Card>
      <Card
        title={t('acc.zr.periods')}
        extra={
          <Select
            value={current ?? undefined}
            onChange={setSelected}
            style={{ width: 320 }}
            options={(periods.data?.items ?? []).map((p) => ({
              value: p.id,
              label: `${p.name}（${p.fromDate} ~ ${p.toDate}，${p.dueTime}）`,
            }))}
          />
        }
      >
        <QueryState
          loading={periods.isLoading || detail.isLoading}
          error={periods.error ?? detail.error}
          empty={!current}
        >
          {detail.data ? (
            <>
              <Space style={{ marginBottom: 12 }}>
                {(['met', 'late', 'missed', 'pending'] as ZStatus[]).map((s) => (
                  <Tag key={s} color={COLORS[s]}>
                    {t(`acc.zr.status.${s}`)} {detail.data.totals[s]}
                  </Tag>
                ))}
              </Space>
              <ResponsiveTable
                size="small"
                rowKey="unitId"
                scroll={{ x: true }}
                pagination={false}
                dataSource={detail.data.units}
                columns={[
                  { title: t('acc.unit'), dataIndex: 'unitName', fixed: 'left', width: 200 },
                  ...days.map((d) => ({
                    title: dayjs(d).format('MM-DD'),
                    key: d,
                    render: (_: unknown, u: Detail['units'][number]) => {
                      const x = u.days.find((y) => y.day === d);
                      return x ? <StatusTag s={x.status} /> : '—';
                    },
                  })),
                ]}
              />
            </>
          ) : null}
        </QueryState>
      </Card>
      <DeclareModal open={declaring} onClose={() => setDeclaring(false)} />
    </>
  );
}
