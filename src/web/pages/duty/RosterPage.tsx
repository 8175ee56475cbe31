import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type List } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { fmtTime } from '../../format';
import { showError, ui } from '../../notify';
import { useSession } from '../../session';
import { DutyUnitSelect, type Shift, shiftLabel, useDutyUnits } from './shared';
import './strings';

interface Month {
  unit: { id: string; name: string };
  gaps: number;
  /** what the API allows the caller on this roster */
  can: { edit: boolean; publish: boolean; decideSwap: boolean };
  settings: { shifts: { code: string; name: string; start: string; end: string }[] };
  days: { day: string; weekday: number; holiday: { name: string; work: boolean } | null; shifts: Shift[] }[];
}
interface Holiday {
  key: string;
  name: string;
  from: string;
  to: string;
  dueAt: string;
  published: { at: string; late: boolean } | null;
  overdue: boolean;
  gaps: number;
}
interface Swap {
  id: string;
  shiftId: string;
  role: 'officer' | 'leader';
  fromUserId: string | null;
  toUserId: string;
  reason: string;
  status: 'requested' | 'approved' | 'rejected';
  requestedBy: string;
  requestedAt: string;
}

/** 排班表: month view with gaps, assignment, holiday roster publication and swaps. */
export default function RosterPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { me } = useSession();
  const units = useDutyUnits();
  const [unitId, setUnitId] = useState<string>();
  const [month, setMonth] = useState(dayjs().format('YYYY-MM'));
  const [editing, setEditing] = useState<Shift | null>(null);
  const [swapFor, setSwapFor] = useState<Shift | null>(null);
  const [form] = Form.useForm();
  const [swapForm] = Form.useForm();
  useEffect(() => {
    if (!unitId && units.data?.items[0]) setUnitId(units.data.items[0].id);
  }, [units.data, unitId]);
  const q = useQuery({
    queryKey: ['duty', 'roster', unitId, month],
    queryFn: () => api.get<Month>(`/api/duty/roster?unitId=${unitId}&month=${month}`),
    enabled: !!unitId,
  });
  const people = useQuery({
    queryKey: ['users', 'unit', unitId],
    queryFn: () => api.get<List<{ id: string; name: string }>>(`/api/users?unitId=${unitId}`),
    enabled: !!unitId,
  });
  const holidays = useQuery({
    queryKey: ['duty', 'holidays', unitId, month.slice(0, 4)],
    queryFn: () => api.get<List<Holiday>>(`/api/duty/holidays?unitId=${unitId}&year=${month.slice(0, 4)}`),
    enabled: !!unitId,
  });
  const swaps = useQuery({
    queryKey: ['duty', 'swaps', unitId],
    queryFn: () => api.get<List<Swap>>(`/api/duty/swaps?unitId=${unitId}`),
    enabled: !!unitId,
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['duty'] });
  const assign = useMutation({
    mutationFn: (v: any) =>
      api.post('/api/duty/shifts', {
        unitId,
        day: editing!.day,
        shiftCode: editing!.shiftCode,
        officerId: v.officerId ?? null,
        leaderId: v.leaderId ?? null,
      }),
    onSuccess: () => {
      setEditing(null);
      refresh();
    },
    onError: showError,
  });
  const publish = useMutation({
    mutationFn: (key: string) =>
      api.post(`/api/duty/holidays/${encodeURIComponent(key)}/publish`, { unitId }),
    onSuccess: () => {
      ui.message?.success(t('duty.published'));
      refresh();
    },
    onError: showError,
  });
  const requestSwap = useMutation({
    mutationFn: (v: any) =>
      api.post('/api/duty/swaps', {
        shiftId: swapFor!.id,
        role: v.role,
        toUserId: v.toUserId,
        reason: v.reason,
      }),
    onSuccess: () => {
      setSwapFor(null);
      refresh();
    },
    onError: showError,
  });
  const decide = useMutation({
    mutationFn: ({ id, ok }: { id: string; ok: boolean }) =>
      api.post(`/api/duty/swaps/${id}/${ok ? 'approve' : 'reject'}`, {}),
    onSuccess: refresh,
    onError: showError,
  });
  const name = (id: string | null) => people.data?.items.find((p) => p.id === id)?.name ?? '—';
  const can = q.data?.can ?? { edit: false, publish: false, decideSwap: false };
  const templates = q.data?.settings.shifts ?? [];
  const personOpts = (people.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }));

  return (
    <>
      <PageHeader
        title={t('duty.nav.roster')}
        subtitle={q.data ? t('duty.gaps', { n: q.data.gaps }) : undefined}
        extra={
          <Space>
            <DutyUnitSelect value={unitId} onChange={setUnitId} />
            <DatePicker
              picker="month"
              allowClear={false}
              value={dayjs(`${month}-01`)}
              onChange={(d) => d && setMonth(d.format('YYYY-MM'))}
            />
          </Space>
        }
      />
      <Card>
        <QueryState loading={q.isLoading} error={q.error}>
          <ResponsiveTable
            size="small"
            rowKey="day"
            pagination={false}
            dataSource={q.data?.days ?? []}
            columns={[
              {
                title: t('common.date'),
                dataIndex: 'day',
                width: 150,
                render: (d: string, r) => (
                  <Space>
                    <span>{d.slice(5)}</span>
                    <Typography.Text type="secondary">{t(`common.weekday${r.weekday}`)}</Typography.Text>
                    {r.holiday && !r.holiday.work ? <Tag color="red">{r.holiday.name}</Tag> : null}
                  </Space>
                ),
              },
              ...templates.map((tpl, i) => ({
                title: `${shiftLabel(tpl.name)} ${tpl.start}–${tpl.end}`,
                key: tpl.code,
                render: (_: unknown, r: Month['days'][number]) => {
                  const s = r.shifts.find((x) => x.shiftCode === tpl.code) ?? r.shifts[i];
                  if (!s) return null;
                  const mine = s.officer?.id === me.id || s.leader?.id === me.id;
                  return (
                    <Space size={4} wrap>
                      <Tag color={s.officer ? 'blue' : 'orange'}>
                        {t('duty.officer')}：{s.officer?.name ?? t('duty.nobody')}
                      </Tag>
                      <Tag color={s.leader ? 'geekblue' : 'orange'}>
                        {t('duty.leader')}：{s.leader?.name ?? t('duty.nobody')}
                      </Tag>
                      {can.edit ? (
                        <Button
                          size="small"
                          type="link"
                          onClick={() => {
                            setEditing(s);
                            form.setFieldsValue({ officerId: s.officer?.id, leaderId: s.leader?.id });
                          }}
                        >
                          {t('duty.assign')}
                        </Button>
                      ) : null}
                      {s.id && (mine || can.decideSwap) ? (
                        <Button size="small" type="link" onClick={() => setSwapFor(s)}>
                          {t('duty.requestSwap')}
                        </Button>
                      ) : null}
                    </Space>
                  );
                },
              })),
            ]}
          />
        </QueryState>
      </Card>

      <Card title={t('duty.holidays')} style={{ marginTop: 16 }}>
        <ResponsiveTable
          size="small"
          rowKey="key"
          pagination={false}
          dataSource={holidays.data?.items ?? []}
          columns={[
            { title: t('duty.holiday'), dataIndex: 'name' },
            { title: t('common.period'), render: (_, h) => `${h.from} — ${h.to}` },
            { title: t('duty.dueAt'), dataIndex: 'dueAt', render: (v) => fmtTime(v) },
            {
              title: t('common.status'),
              render: (_, h) =>
                h.published ? (
                  <Tag color={h.published.late ? 'orange' : 'green'}>
                    {h.published.late ? t('duty.publishedLate') : t('duty.published')}{' '}
                    {fmtTime(h.published.at)}
                  </Tag>
                ) : (
                  <Space>
                    <Tag color={h.overdue ? 'red' : undefined}>
                      {h.overdue ? t('duty.overdue') : t('duty.notPublished')}
                    </Tag>
                    {h.gaps ? <Tag color="orange">{t('duty.gaps', { n: h.gaps })}</Tag> : null}
                    {can.publish ? (
                      <Button size="small" onClick={() => publish.mutate(h.key)} loading={publish.isPending}>
                        {t('duty.publish')}
                      </Button>
                    ) : null}
                  </Space>
                ),
            },
          ]}
        />
      </Card>

      <Card title={t('duty.swaps')} style={{ marginTop: 16 }}>
        <ResponsiveTable
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={swaps.data?.items ?? []}
          columns={[
            { title: t('common.requestedAt'), dataIndex: 'requestedAt', render: (v) => fmtTime(v) },
            { title: t('common.post'), dataIndex: 'role', render: (r) => t(`duty.${r}`) },
            { title: t('common.swap'), render: (_, s) => `${name(s.fromUserId)} → ${name(s.toUserId)}` },
            { title: t('duty.reason'), dataIndex: 'reason' },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (s) => <Tag>{t(`duty.status.${s}`)}</Tag>,
            },
            {
              title: t('common.actions'),
              render: (_, s) =>
                s.status === 'requested' &&
                can.decideSwap &&
                (s.requestedBy !== me.id || me.roles.includes('admin')) ? (
                  <Space>
                    <Button size="small" type="primary" onClick={() => decide.mutate({ id: s.id, ok: true })}>
                      {t('duty.approve')}
                    </Button>
                    <Button size="small" onClick={() => decide.mutate({ id: s.id, ok: false })}>
                      {t('duty.reject')}
                    </Button>
                  </Space>
                ) : null,
            },
          ]}
        />
      </Card>

      <Modal
        open={!!editing}
        title={editing ? `${editing.day} ${shiftLabel(editing.shiftName)}` : ''}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={assign.isPending}
        destroyOnHidden
      >
        {assign.error ? <Alert type="error" title={(assign.error as Error).message} /> : null}
        <Form form={form} layout="vertical" onFinish={(v) => assign.mutate(v)}>
          <Form.Item name="officerId" label={t('duty.officer')}>
            <Select allowClear options={personOpts} />
          </Form.Item>
          <Form.Item name="leaderId" label={t('duty.leader')}>
            <Select allowClear options={personOpts} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!swapFor}
        title={t('duty.requestSwap')}
        onCancel={() => setSwapFor(null)}
        onOk={() => swapForm.submit()}
        confirmLoading={requestSwap.isPending}
        destroyOnHidden
      >
        <Form
          form={swapForm}
          layout="vertical"
          initialValues={{ role: 'officer' }}
          onFinish={(v) => requestSwap.mutate(v)}
        >
          <Form.Item name="role" label={t('duty.shift')}>
            <Select
              options={[
                { value: 'officer', label: t('duty.officer') },
                { value: 'leader', label: t('duty.leader') },
              ]}
            />
          </Form.Item>
          <Form.Item name="toUserId" label={t('duty.swapTo')} rules={[{ required: true }]}>
            <Select options={personOpts} />
          </Form.Item>
          <Form.Item name="reason" label={t('duty.reason')}>
            <Input maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
