import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Form, Input, Modal, Select, Space, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { wallToIso } from '../../format';
import { ui } from '../../notify';
import { useSession } from '../../session';
import './strings';

interface Topic {
  id: string;
  title: string;
  summary: string | null;
  priority: string | null;
  unitId: string;
  unitName: string;
  status: string;
  reason: string | null;
  scheduleOrder: number | null;
  can: { screen: boolean };
}
interface Priority {
  id: string;
  year: number;
  title: string;
}

const COLORS: Record<string, string> = {
  proposed: 'processing',
  accepted: 'cyan',
  merged: 'default',
  declined: 'default',
  scheduled: 'blue',
  commissioned: 'success',
};

function useDone() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return () => {
    ui.message?.success(t('affairs.detail.done'));
    void qc.invalidateQueries({ queryKey: ['affairs'] });
  };
}

function ProposeButton({ priorities }: { priorities: Priority[] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ title: string; summary?: string; priority?: string }>();
  const done = useDone();
  const m = useMutation({
    mutationFn: (v: { title: string; summary?: string; priority?: string }) =>
      api.post('/api/affairs/topics', v, { idempotencyKey: api.newKey() }),
    onSuccess: () => {
      done();
      setOpen(false);
      form.resetFields();
    },
  });
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)} data-testid="topic-propose">
        {t('affairs.topics.propose')}
      </Button>
      <Modal
        open={open}
        title={t('affairs.topics.propose')}
        onCancel={() => setOpen(false)}
        confirmLoading={m.isPending}
        onOk={() => form.validateFields().then((v) => m.mutate(v))}
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="title"
            label={t('affairs.topics.tTitle')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={300} />
          </Form.Item>
          <Form.Item name="priority" label={t('affairs.topics.priority')}>
            <Select
              allowClear
              options={priorities.map((p) => ({ value: p.id, label: `${p.year} ${p.title}` }))}
            />
          </Form.Item>
          <Form.Item name="summary" label={t('affairs.topics.summary')}>
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function ScreenButtons({ topic, others }: { topic: Topic; others: Topic[] }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'merge' | 'decline' | null>(null);
  const [form] = Form.useForm<{ reason: string; mergeIntoId?: string }>();
  const done = useDone();
  const m = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api.post(`/api/affairs/topics/${topic.id}/screen`, body, { idempotencyKey: api.newKey() }),
    onSuccess: () => {
      done();
      setMode(null);
    },
  });
  return (
    <Space wrap>
      <Button
        size="small"
        type="primary"
        onClick={() => m.mutate({ decision: 'accept' })}
        data-testid="topic-accept"
      >
        {t('affairs.topics.accept')}
      </Button>
      <Button size="small" onClick={() => setMode('merge')}>
        {t('affairs.topics.merge')}
      </Button>
      <Button size="small" danger onClick={() => setMode('decline')}>
        {t('affairs.topics.decline')}
      </Button>
      <Modal
        open={!!mode}
        title={mode ? t(`affairs.topics.${mode}`) : ''}
        onCancel={() => setMode(null)}
        confirmLoading={m.isPending}
        onOk={() => form.validateFields().then((v) => m.mutate({ decision: mode, ...v }))}
      >
        <Form form={form} layout="vertical">
          {mode === 'merge' ? (
            <Form.Item name="mergeIntoId" label={t('affairs.topics.mergeInto')} rules={[{ required: true }]}>
              <Select options={others.map((o) => ({ value: o.id, label: o.title }))} />
            </Form.Item>
          ) : null}
          <Form.Item
            name="reason"
            label={t('affairs.detail.reason')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

function CommissionButton({ topic }: { topic: Topic }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ due: Dayjs }>();
  const done = useDone();
  const m = useMutation({
    mutationFn: (v: { due: Dayjs }) =>
      api.post(
        '/api/affairs/commissions',
        { toUnitId: topic.unitId, title: topic.title, dueAt: wallToIso(v.due), topicId: topic.id },
        { idempotencyKey: api.newKey() },
      ),
    onSuccess: () => {
      done();
      setOpen(false);
    },
  });
  return (
    <>
      <Button size="small" type="primary" onClick={() => setOpen(true)}>
        {t('affairs.commissions.create')}
      </Button>
      <Modal
        open={open}
        title={`${t('affairs.commissions.create')}：${topic.unitName}`}
        onCancel={() => setOpen(false)}
        confirmLoading={m.isPending}
        onOk={() => form.validateFields().then((v) => m.mutate(v))}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="due" label={t('affairs.commissions.dueAt')} rules={[{ required: true }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** 调研题目: proposals against the year's priorities; the section screens, schedules and commissions them. */
export default function TopicsPage() {
  const { t } = useTranslation();
  const { hasRole } = useSession();
  const done = useDone();
  const [priority, setPriority] = useState('');
  const topics = useQuery({
    queryKey: ['affairs', 'topics'],
    queryFn: () => api.get<{ items: Topic[] }>('/api/affairs/topics'),
  });
  const priorities = useQuery({
    queryKey: ['affairs', 'priorities'],
    queryFn: () => api.get<{ items: Priority[] }>('/api/affairs/priorities'),
  });
  const addPriority = useMutation({
    mutationFn: () =>
      api.post('/api/affairs/priorities', { title: priority }, { idempotencyKey: api.newKey() }),
    onSuccess: () => {
      setPriority('');
      done();
    },
  });
  const items = topics.data?.items ?? [];
  const schedule = useMutation({
    mutationFn: (ids: string[]) =>
      api.post('/api/affairs/topics/schedule', { topicIds: ids }, { idempotencyKey: api.newKey() }),
    onSuccess: done,
  });
  const ordered = items.filter((x) => ['accepted', 'scheduled'].includes(x.status) && x.can.screen);
  const move = (id: string, dir: -1 | 1) => {
    const ids = ordered.map((x) => x.id);
    const i = ids.indexOf(id);
    const j = i + dir;
    if (j < 0 || j >= ids.length) return;
    [ids[i], ids[j]] = [ids[j], ids[i]];
    schedule.mutate(ids);
  };
  return (
    <>
      <PageHeader
        title={t('affairs.topics.title')}
        subtitle={t('affairs.topics.subtitle')}
        extra={hasRole('reporter') ? <ProposeButton priorities={priorities.data?.items ?? []} /> : null}
      />
      {hasRole('editor') ? (
        <Card style={{ marginBottom: 16 }} title={t('affairs.topics.priorities')}>
          <Space wrap>
            {(priorities.data?.items ?? []).map((p) => (
              <Tag key={p.id}>
                {p.year} {p.title}
              </Tag>
            ))}
            <Input
              style={{ width: 220 }}
              value={priority}
              onChange={(e) => setPriority(e.target.value)}
              placeholder={t('affairs.topics.newPriority')}
            />
            <Button
              disabled={!priority.trim()}
              onClick={() => addPriority.mutate()}
              loading={addPriority.isPending}
            >
              {t('affairs.topics.addPriority')}
            </Button>
          </Space>
        </Card>
      ) : null}
      <Card>
        <QueryState loading={topics.isLoading} error={topics.error}>
          <ResponsiveTable<Topic>
            data-testid="topics-table"
            rowKey="id"
            dataSource={items}
            pagination={false}
            columns={[
              { key: 'order', title: '#', render: (_: unknown, r: Topic) => r.scheduleOrder ?? '' },
              { key: 'title', title: t('affairs.topics.tTitle'), dataIndex: 'title' },
              { key: 'unit', title: t('affairs.col.unit'), dataIndex: 'unitName' },
              {
                key: 'priority',
                title: t('affairs.topics.priority'),
                render: (_: unknown, r: Topic) => r.priority ?? '—',
              },
              {
                key: 'status',
                title: t('affairs.col.status'),
                render: (_: unknown, r: Topic) => (
                  <Tag color={COLORS[r.status]}>{t(`affairs.topics.status.${r.status}`)}</Tag>
                ),
              },
              {
                key: 'act',
                title: t('common.actions'),
                render: (_: unknown, r: Topic) =>
                  r.can.screen ? (
                    r.status === 'proposed' ? (
                      <ScreenButtons
                        topic={r}
                        others={items.filter((o) => o.id !== r.id && o.status !== 'merged')}
                      />
                    ) : ['accepted', 'scheduled'].includes(r.status) ? (
                      <Space wrap>
                        <Button size="small" onClick={() => move(r.id, -1)}>
                          ↑
                        </Button>
                        <Button size="small" onClick={() => move(r.id, 1)}>
                          ↓
                        </Button>
                        <CommissionButton topic={r} />
                      </Space>
                    ) : null
                  ) : null,
              },
            ]}
          />
        </QueryState>
      </Card>
    </>
  );
}
