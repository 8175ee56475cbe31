import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Form, Input, InputNumber, Radio, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api';
import { PageHeader } from '../../components/page';
import { ui } from '../../notify';
import { TASK_SOURCES, type Task, type TaskSource, useOwnerUnits } from './shared';

interface Values {
  mode: 'single' | 'many';
  title: string;
  source: TaskSource;
  ownerUnitId?: string;
  unitIds?: string[];
  due: Dayjs;
  reportEveryDays?: number | null;
  leaderName?: string;
}

/** Issue a task to one unit, or a collection: one title to many units, each files its own. */
export default function IssueTaskPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const mode = Form.useWatch('mode', form) ?? 'single';
  const [key] = useState(api.newKey());
  const owners = useOwnerUnits();
  const options = owners.map((u) => ({ value: u.id, label: u.name }));
  const m = useMutation({
    mutationFn: async (v: Values) => {
      const common = {
        title: v.title,
        source: v.source,
        dueAt: v.due.format('YYYY-MM-DD'),
        reportEveryDays: v.reportEveryDays || undefined,
        leaderName: v.leaderName || undefined,
      };
      if (v.mode === 'many') {
        const r = await api.post<{ collectionId: string }>(
          '/api/tasks/collections',
          { ...common, unitIds: v.unitIds },
          { idempotencyKey: key },
        );
        return `/tasks/collections/${r.collectionId}`;
      }
      const r = await api.post<Task>(
        '/api/tasks',
        { ...common, ownerUnitId: v.ownerUnitId },
        { idempotencyKey: key },
      );
      return `/tasks/${r.id}`;
    },
    onSuccess: (to) => {
      ui.message?.success(t('tasks.issue.done'));
      void qc.invalidateQueries({ queryKey: ['tasks'] });
      nav(to);
    },
  });
  return (
    <>
      <PageHeader title={t('tasks.issue.title')} />
      <Card>
        <Form<Values>
          form={form}
          layout="vertical"
          style={{ maxWidth: 720 }}
          initialValues={{ mode: 'single', source: 'meeting' }}
          onFinish={(v) => m.mutate(v)}
          data-testid="task-issue-form"
        >
          <Form.Item name="mode" label={t('tasks.issue.mode')}>
            <Radio.Group
              options={[
                { value: 'single', label: t('tasks.issue.single') },
                { value: 'many', label: t('tasks.issue.many') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="title"
            label={t('tasks.issue.taskTitle')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input.TextArea rows={2} maxLength={500} placeholder={t('tasks.issue.titlePh')} />
          </Form.Item>
          <Form.Item name="source" label={t('tasks.issue.source')} rules={[{ required: true }]}>
            <Select options={TASK_SOURCES.map((s) => ({ value: s, label: t(`tasks.source.${s}`) }))} />
          </Form.Item>
          {mode === 'many' ? (
            <Form.Item name="unitIds" label={t('tasks.issue.owners')} rules={[{ required: true }]}>
              <Select mode="multiple" showSearch optionFilterProp="label" options={options} />
            </Form.Item>
          ) : (
            <Form.Item name="ownerUnitId" label={t('tasks.issue.owner')} rules={[{ required: true }]}>
              <Select showSearch optionFilterProp="label" options={options} />
            </Form.Item>
          )}
          <Form.Item name="due" label={t('tasks.issue.due')} rules={[{ required: true }]}>
            <DatePicker style={{ width: '100%', maxWidth: 240 }} />
          </Form.Item>
          <Form.Item name="reportEveryDays" label={t('tasks.issue.everyDays')}>
            <InputNumber min={1} max={90} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="leaderName" label={t('tasks.issue.leader')}>
            <Input maxLength={100} style={{ maxWidth: 240 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={m.isPending} data-testid="task-issue-submit">
            {t('tasks.issue.submit')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
