import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, Descriptions, Empty, Form, Input, Modal, Tag, Timeline } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { fmtTime } from '../../format';
import { useLiveMessages } from '../../live';
import { ui } from '../../notify';
import { type Task, TaskStatusTag } from './shared';

function ProgressForm({ task }: { task: Task }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ text: string; done?: boolean }>();
  const [key, setKey] = useState(api.newKey());
  const m = useMutation({
    mutationFn: (v: { text: string; done?: boolean }) =>
      api.post<Task>(
        `/api/tasks/${task.id}/progress`,
        { text: v.text, done: !!v.done },
        { idempotencyKey: key },
      ),
    onSuccess: (r) => {
      ui.message?.success(r.status === 'done' ? t('tasks.detail.doneSent') : t('tasks.detail.sent'));
      qc.setQueryData(['tasks', 'one', task.id], r);
      void qc.invalidateQueries({ queryKey: ['tasks', 'list'] });
      form.resetFields();
      setKey(api.newKey());
    },
  });
  return (
    <Card title={t('tasks.detail.report')} style={{ marginTop: 16 }}>
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)} data-testid="task-progress-form">
        <Form.Item name="text" label={t('tasks.detail.text')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} maxLength={4000} placeholder={t('tasks.detail.textPh')} />
        </Form.Item>
        <Form.Item name="done" valuePropName="checked">
          <Checkbox data-testid="task-done">{t('tasks.detail.done')}</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={m.isPending} data-testid="task-progress-submit">
          {t('tasks.detail.submit')}
        </Button>
      </Form>
    </Card>
  );
}

function ReopenButton({ task }: { task: Task }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const [key] = useState(api.newKey());
  const m = useMutation({
    mutationFn: (v: { reason: string }) =>
      api.post<Task>(`/api/tasks/${task.id}/reopen`, v, { idempotencyKey: key }),
    onSuccess: (r) => {
      ui.message?.success(t('tasks.detail.reopened'));
      qc.setQueryData(['tasks', 'one', task.id], r);
      void qc.invalidateQueries({ queryKey: ['tasks', 'list'] });
      setOpen(false);
    },
  });
  return (
    <>
      <Button danger onClick={() => setOpen(true)} data-testid="task-reopen">
        {t('tasks.detail.reopen')}
      </Button>
      <Modal
        open={open}
        title={t('tasks.detail.reopen')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText={t('tasks.detail.reopen')}
        confirmLoading={m.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)}>
          <Form.Item
            name="reason"
            label={t('tasks.detail.reopenReason')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export default function TaskPage() {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const q = useQuery({ queryKey: ['tasks', 'one', id], queryFn: () => api.get<Task>(`/api/tasks/${id}`) });
  useLiveMessages(
    (m) => {
      if (m.data?.taskId === id) void q.refetch();
    },
    ['task.changed'],
  );
  const task = q.data;
  return (
    <>
      <PageHeader
        title={task?.title ?? t('tasks.detail.title')}
        tag={task ? <TaskStatusTag task={task} /> : null}
        extra={task?.can.reopen ? <ReopenButton task={task} /> : null}
      />
      <QueryState loading={q.isLoading} error={q.error}>
        {task ? (
          <>
            <Card data-testid="task-detail">
              <Descriptions column={{ xs: 1, sm: 1, md: 2 }} size="small">
                <Descriptions.Item label={t('tasks.col.owner')}>{task.ownerUnitName}</Descriptions.Item>
                <Descriptions.Item label={t('tasks.col.issuer')}>
                  {task.issuerUnitName}
                  {task.issuerName ? ` ${task.issuerName}` : ''}
                </Descriptions.Item>
                <Descriptions.Item label={t('tasks.col.source')}>
                  {t(`tasks.source.${task.source}`)}
                </Descriptions.Item>
                <Descriptions.Item label={t('tasks.detail.issuedAt')}>
                  {fmtTime(task.issuedAt)}
                </Descriptions.Item>
                <Descriptions.Item label={t('tasks.col.due')}>{fmtTime(task.dueAt)}</Descriptions.Item>
                <Descriptions.Item label={t('tasks.col.completedAt')}>
                  {fmtTime(task.completedAt)}
                </Descriptions.Item>
                {task.leaderName ? (
                  <Descriptions.Item label={t('tasks.detail.leader')}>{task.leaderName}</Descriptions.Item>
                ) : null}
                {task.reportEveryDays ? (
                  <Descriptions.Item label={t('tasks.detail.everyDays')}>
                    {t('tasks.detail.everyDaysValue', { n: task.reportEveryDays })}
                  </Descriptions.Item>
                ) : null}
              </Descriptions>
              {task.sourceLink ? (
                <div>
                  <Link to={task.sourceLink} data-testid="task-source-link">
                    {t('tasks.detail.sourceLink')}
                  </Link>
                </div>
              ) : null}
              {task.collectionId ? (
                <Link to={`/tasks/collections/${task.collectionId}`}>{t('tasks.detail.collection')}</Link>
              ) : null}
            </Card>
            <Card title={t('tasks.detail.progress')} style={{ marginTop: 16 }} data-testid="task-progress">
              {task.progress?.length ? (
                <Timeline
                  items={task.progress.map((p) => ({
                    color: p.kind === 'reopen' ? 'red' : p.done ? 'green' : 'blue',
                    children: (
                      <div>
                        <div className="task-muted">
                          {fmtTime(p.at)}{' '}
                          {t('tasks.detail.by', { unit: p.unitName ?? '', name: p.userName ?? '' })}{' '}
                          {p.kind === 'reopen' ? <Tag color="red">{t('tasks.detail.reopenKind')}</Tag> : null}
                          {p.done ? <Tag color="green">{t('tasks.status.done')}</Tag> : null}
                        </div>
                        <div style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{p.text}</div>
                      </div>
                    ),
                  }))}
                />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tasks.detail.noProgress')} />
              )}
            </Card>
            {task.can.progress ? <ProgressForm task={task} /> : null}
          </>
        ) : null}
      </QueryState>
    </>
  );
}
