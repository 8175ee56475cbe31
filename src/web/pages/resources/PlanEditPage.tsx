import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api';
import { PageHeader } from '../../components/page';
import { ROMAN } from '../../components/tags';
import { ui } from '../../notify';
import {
  CategoriesSelect,
  PLAN_KINDS,
  type Plan,
  RESPONSE_LEVELS,
  SUPPLY_ITEMS,
  useAreaUnits,
  useOwnerChoices,
} from './shared';

interface Values {
  title: string;
  kind: string;
  ownerUnitId: string;
  categoryCodes?: string[];
  levels: string[];
  reviseBy: Dayjs;
  tasks?: { level: string; title: string; unitId: string; withinMinutes: number }[];
  supplies?: { itemCode: string; quantity: number }[];
}

/** The plan editor: what it covers, its response tasks per level (who does what within how long), its supplies. */
export default function PlanEditPage() {
  const { t, i18n } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const owners = useOwnerChoices();
  const units = useAreaUnits();
  const [form] = Form.useForm<Values>();
  const levels = Form.useWatch('levels', form) ?? [];
  const [key] = useState(api.newKey());
  const m = useMutation({
    mutationFn: (v: Values) =>
      api.post<Plan>(
        '/api/plans',
        {
          ...v,
          categoryCodes: v.categoryCodes ?? [],
          reviseBy: v.reviseBy.format('YYYY-MM-DD'),
          tasks: v.tasks ?? [],
          supplies: v.supplies ?? [],
        },
        { idempotencyKey: key },
      ),
    onSuccess: (p) => {
      ui.message?.success(t('res.plans.saved'));
      void qc.invalidateQueries({ queryKey: ['plans'] });
      nav(`/plans/${p.id}`);
    },
  });
  const levelOptions = (levels.length ? levels : RESPONSE_LEVELS).map((l: string) => ({
    value: l,
    label: `${ROMAN[l as keyof typeof ROMAN]}级`,
  }));
  return (
    <>
      <PageHeader title={t('res.plans.add')} />
      <Card>
        <Form<Values>
          form={form}
          layout="vertical"
          style={{ maxWidth: 900 }}
          initialValues={{
            kind: 'special',
            ownerUnitId: owners[0]?.value,
            levels: ['III', 'IV'],
            // plans are revised at least every three years
            reviseBy: dayjs().add(3, 'year'),
          }}
          onFinish={(v) => m.mutate(v)}
          data-testid="plan-form"
        >
          <Form.Item
            name="title"
            label={t('res.plans.titleLabel')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Space wrap size="large">
            <Form.Item name="kind" label={t('res.plans.kind')} rules={[{ required: true }]}>
              <Select
                style={{ width: 180 }}
                options={PLAN_KINDS.map((k) => ({ value: k, label: t(`res.plans.kinds.${k}`) }))}
              />
            </Form.Item>
            <Form.Item name="ownerUnitId" label={t('res.plans.owner')} rules={[{ required: true }]}>
              <Select style={{ width: 240 }} showSearch optionFilterProp="label" options={owners} />
            </Form.Item>
            <Form.Item name="reviseBy" label={t('res.plans.reviseBy')} rules={[{ required: true }]}>
              <DatePicker />
            </Form.Item>
          </Space>
          <Form.Item
            name="categoryCodes"
            label={t('res.plans.categories')}
            extra={t('res.plans.categoriesHelp')}
          >
            <CategoriesSelect />
          </Form.Item>
          <Form.Item name="levels" label={t('res.plans.levels')} rules={[{ required: true }]}>
            <Select
              mode="multiple"
              style={{ maxWidth: 360 }}
              options={RESPONSE_LEVELS.map((l) => ({ value: l, label: `${ROMAN[l]}级` }))}
            />
          </Form.Item>
          <Typography.Title level={5}>{t('res.plans.tasks')}</Typography.Title>
          <Form.List name="tasks">
            {(fields, { add, remove }) => (
              <div data-testid="plan-tasks">
                {fields.map((f) => (
                  <Space key={f.key} wrap align="start" className="plan-task-row">
                    <Form.Item name={[f.name, 'level']} rules={[{ required: true }]}>
                      <Select
                        style={{ width: 90 }}
                        options={levelOptions}
                        aria-label={t('res.plans.taskLevel')}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'title']} rules={[{ required: true, whitespace: true }]}>
                      <Input style={{ width: 260 }} placeholder={t('res.plans.taskTitle')} maxLength={200} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'unitId']} rules={[{ required: true }]}>
                      <Select
                        style={{ width: 220 }}
                        showSearch
                        optionFilterProp="label"
                        options={units}
                        placeholder={t('res.plans.taskUnit')}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'withinMinutes']} rules={[{ required: true }]}>
                      <InputNumber
                        min={1}
                        max={43200}
                        style={{ width: 130 }}
                        placeholder={t('res.plans.within')}
                      />
                    </Form.Item>
                    <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="remove" />
                  </Space>
                ))}
                <Button
                  icon={<PlusOutlined />}
                  onClick={() => add({ level: levels[levels.length - 1] ?? 'IV', withinMinutes: 30 })}
                  data-testid="plan-add-task"
                  style={{ marginBottom: 16 }}
                >
                  {t('res.plans.addTask')}
                </Button>
              </div>
            )}
          </Form.List>
          <Typography.Title level={5}>{t('res.plans.supplies')}</Typography.Title>
          <Form.List name="supplies">
            {(fields, { add, remove }) => (
              <div>
                {fields.map((f) => (
                  <Space key={f.key} wrap align="start">
                    <Form.Item name={[f.name, 'itemCode']} rules={[{ required: true }]}>
                      <Select
                        style={{ width: 240 }}
                        showSearch
                        optionFilterProp="label"
                        options={SUPPLY_ITEMS.map(([code, name, en, unit]) => ({
                          value: code,
                          label: `${i18n.language === 'en' ? en : name}（${unit}）`,
                        }))}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'quantity']} rules={[{ required: true }]}>
                      <InputNumber min={0.001} style={{ width: 140 }} />
                    </Form.Item>
                    <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="remove" />
                  </Space>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add()} style={{ marginBottom: 16 }}>
                  {t('res.plans.addSupply')}
                </Button>
              </div>
            )}
          </Form.List>
          <div>
            <Button type="primary" htmlType="submit" loading={m.isPending} data-testid="plan-save">
              {t('res.plans.save')}
            </Button>
          </div>
        </Form>
      </Card>
    </>
  );
}
