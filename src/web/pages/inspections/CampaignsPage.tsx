import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AutoComplete, Button, Card, DatePicker, Form, Input, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../api';
import { PageHeader } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { useSession, useUnits } from '../../session';
import { OFFICE_KINDS } from '../../types';
import { UnitTreeSelect } from '../../units';
import { type Campaign, type CampaignDetail, SECTORS, useCampaigns } from './shared';

/** 检查活动: the list, and for editors and admins of an area's offices the form that issues one. */
export default function CampaignsPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const { me, hasRole, actingUnitId } = useSession();
  const { units } = useUnits();
  const q = useCampaigns();
  const [form] = Form.useForm();
  const mayCreate = hasRole('editor', 'admin') && !!me.unit && OFFICE_KINDS.includes(me.unit.kind);
  // units below the area the person acts for (areas and departments), for the participants
  const below = useMemo(() => {
    const kids = new Map<string, string[]>();
    for (const u of units) if (u.parentId) kids.set(u.parentId, [...(kids.get(u.parentId) ?? []), u.id]);
    const out = new Set<string>();
    const walk = (id: string) => {
      for (const k of kids.get(id) ?? []) {
        out.add(k);
        walk(k);
      }
    };
    walk(actingUnitId);
    return units.filter(
      (u) => out.has(u.id) && ['area', 'department', 'enterprise', 'emergency_office'].includes(u.kind),
    );
  }, [units, actingUnitId]);
  const create = useMutation({
    mutationFn: (v: any) =>
      api.post<CampaignDetail>('/api/inspections/campaigns', {
        title: v.title,
        from: v.from.format('YYYY-MM-DD'),
        to: v.to.format('YYYY-MM-DD'),
        sectors: v.sectors ?? [],
        unitIds: v.unitIds ?? [],
        ...(v.planDueAt ? { planDueAt: v.planDueAt.format('YYYY-MM-DD') } : {}),
      }),
    onSuccess: (c) => {
      void qc.invalidateQueries({ queryKey: ['inspections'] });
      form.resetFields();
      nav(`/inspections/campaigns/${c.id}`);
    },
  });
  return (
    <>
      <PageHeader title={t('insp.nav.campaigns')} />
      <Card style={{ marginBottom: 16 }}>
        <ResponsiveTable
          size="small"
          rowKey="id"
          loading={q.isLoading}
          dataSource={q.data?.items ?? []}
          locale={{ emptyText: t('insp.campaign.none') }}
          columns={[
            {
              title: t('insp.campaign.title'),
              dataIndex: 'title',
              render: (v: string, c: Campaign) => <Link to={`/inspections/campaigns/${c.id}`}>{v}</Link>,
            },
            { title: t('insp.campaign.period'), render: (_: unknown, c: Campaign) => `${c.from} ~ ${c.to}` },
            { title: t('insp.campaign.area'), dataIndex: 'areaName' },
            {
              title: t('insp.campaign.sectors'),
              render: (_: unknown, c: Campaign) => c.sectors.map((s) => s.sector).join('、'),
            },
          ]}
        />
      </Card>
      {mayCreate ? (
        <Card title={t('insp.campaign.create')}>
          <Form
            form={form}
            layout="vertical"
            style={{ maxWidth: 720 }}
            initialValues={{ from: dayjs(), to: dayjs().add(1, 'month'), sectors: [{}] }}
            onFinish={(v) => create.mutate(v)}
          >
            <Form.Item name="title" label={t('insp.campaign.title')} rules={[{ required: true }]}>
              <Input maxLength={200} data-testid="campaign-title" />
            </Form.Item>
            <Space wrap>
              <Form.Item name="from" label={t('insp.campaign.from')} rules={[{ required: true }]}>
                <DatePicker inputReadOnly />
              </Form.Item>
              <Form.Item name="to" label={t('insp.campaign.to')} rules={[{ required: true }]}>
                <DatePicker inputReadOnly />
              </Form.Item>
            </Space>
            <Form.Item label={t('insp.campaign.sectors')} required>
              <Form.List name="sectors">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((f, i) => (
                      <div key={f.key} className="insp-sector-row">
                        <Form.Item
                          name={[f.name, 'sector']}
                          rules={[{ required: true }]}
                          style={{ flex: 1, minWidth: 140 }}
                        >
                          <AutoComplete
                            options={SECTORS.map((s) => ({ value: s }))}
                            placeholder={t('insp.campaign.sector')}
                            data-testid={`sector-${i}`}
                          />
                        </Form.Item>
                        <Form.Item
                          name={[f.name, 'leadUnitId']}
                          rules={[{ required: true }]}
                          style={{ flex: 2, minWidth: 180 }}
                        >
                          <UnitTreeSelect placeholder={t('insp.campaign.lead')} id={`lead-${i}`} />
                        </Form.Item>
                        {fields.length > 1 ? (
                          <Button
                            type="text"
                            icon={<MinusCircleOutlined />}
                            aria-label={t('common.delete')}
                            onClick={() => remove(f.name)}
                          />
                        ) : null}
                      </div>
                    ))}
                    <Button icon={<PlusOutlined />} onClick={() => add({})}>
                      {t('insp.campaign.addSector')}
                    </Button>
                  </>
                )}
              </Form.List>
            </Form.Item>
            <Form.Item name="unitIds" label={t('insp.campaign.units')}>
              <Select
                mode="multiple"
                showSearch={{ optionFilterProp: 'label' }}
                options={below.map((u) => ({ value: u.id, label: u.name }))}
                data-testid="campaign-units"
              />
            </Form.Item>
            <Form.Item name="planDueAt" label={t('insp.plans.dueAt')} extra={t('insp.plans.dueHint')}>
              <DatePicker inputReadOnly data-testid="campaign-plan-due" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="campaign-submit">
              {t('insp.campaign.create')}
            </Button>
          </Form>
        </Card>
      ) : null}
    </>
  );
}
