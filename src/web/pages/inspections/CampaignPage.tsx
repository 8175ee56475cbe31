import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Descriptions, Drawer, Form, Input, Select, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, type List } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable, useNarrow } from '../../components/ResponsiveTable';
import { fmtTime } from '../../format';
import { ui } from '../../notify';
import { useSession } from '../../session';
import { type CampaignDetail, HazardForm, type PlanUnit } from './shared';

interface Visit {
  id: string;
  place: string;
  sector: string;
  unitName: string;
  visitedAt: string;
  findings: string | null;
  hazardCount: number;
}

/** A campaign: its board per sector and unit, the visit form, and from a visit the hazard form. */
export default function CampaignPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const nav = useNavigate();
  const narrow = useNarrow();
  const { actingUnitId } = useSession();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['inspections', 'campaign', id],
    queryFn: () => api.get<CampaignDetail>(`/api/inspections/campaigns/${id}`),
  });
  const visits = useQuery({
    queryKey: ['inspections', 'visits', id],
    queryFn: () => api.get<List<Visit>>(`/api/inspections/visits?campaignId=${id}`),
  });
  const [form] = Form.useForm();
  const [fromVisit, setFromVisit] = useState<Visit | null>(null);
  const record = useMutation({
    mutationFn: (v: any) => api.post<Visit>('/api/inspections/visits', { ...v, campaignId: id }),
    onSuccess: (v) => {
      ui.message?.success(t('insp.visit.recorded'));
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['inspections'] });
      // a visit with findings goes straight on to the hazard form
      if (v.findings) setFromVisit(v);
    },
  });
  const c = q.data;
  const line = [
    { title: t('insp.campaign.places'), dataIndex: 'placesInspected' },
    { title: t('insp.campaign.found'), dataIndex: 'hazardsFound' },
    { title: t('insp.campaign.onTime'), dataIndex: 'rectifiedOnTime' },
    { title: t('insp.campaign.closed'), dataIndex: 'closed' },
  ];
  return (
    <>
      <PageHeader
        title={t('insp.nav.campaign')}
        extra={
          <Button onClick={() => nav(`/inspections/hazards?campaignId=${id}`)}>
            {t('insp.nav.hazards')}
          </Button>
        }
      />
      <QueryState loading={q.isLoading} error={q.error}>
        {c ? (
          <>
            <Card style={{ marginBottom: 16 }}>
              <Descriptions column={{ xs: 1, md: 2 }} size="small">
                <Descriptions.Item label={t('insp.campaign.title')}>
                  <span data-testid="campaign-name">{c.title}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('insp.campaign.period')}>
                  {c.from} ~ {c.to}
                </Descriptions.Item>
                <Descriptions.Item label={t('insp.campaign.area')}>{c.areaName}</Descriptions.Item>
                <Descriptions.Item label={t('insp.campaign.units')}>
                  {c.units.map((u) => u.unitName).join('、') || '—'}
                </Descriptions.Item>
              </Descriptions>
            </Card>
            {c.board.plans ? (
              <Card
                title={t('insp.plans.card')}
                style={{ marginBottom: 16 }}
                data-testid="campaign-plans"
                extra={
                  c.board.plans.canViewCollection ? (
                    <Link to={`/tasks/collections/${c.board.plans.collectionId}`}>
                      {t('insp.plans.view')}
                    </Link>
                  ) : null
                }
              >
                <p>
                  {t('insp.plans.due', { at: fmtTime(c.board.plans.dueAt) })}
                  {' · '}
                  {t('insp.plans.summary', c.board.plans.counts)}
                </p>
                <ResponsiveTable
                  size="small"
                  rowKey="taskId"
                  pagination={false}
                  dataSource={c.board.plans.units}
                  columns={[
                    { title: t('insp.plans.unit'), dataIndex: 'unitName' },
                    {
                      title: t('insp.plans.status'),
                      dataIndex: 'status',
                      render: (s: PlanUnit['status']) => (
                        <Tag color={s === 'done' ? 'green' : s === 'overdue' ? 'red' : 'default'}>
                          {t(`insp.plans.st.${s}`)}
                        </Tag>
                      ),
                    },
                    {
                      title: t('insp.plans.filedAt'),
                      dataIndex: 'completedAt',
                      render: (v: string | null) => (v ? fmtTime(v) : '—'),
                    },
                    {
                      title: t('insp.plans.task'),
                      dataIndex: 'taskId',
                      // the issuing area opens every unit's task; a participating unit only its own
                      render: (id: string, u: PlanUnit) =>
                        c.board.plans?.canViewCollection || u.unitId === actingUnitId ? (
                          <Link to={`/tasks/${id}`}>{t('insp.plans.open')}</Link>
                        ) : (
                          '—'
                        ),
                    },
                  ]}
                />
              </Card>
            ) : null}
            <Card title={t('insp.campaign.bySector')} style={{ marginBottom: 16 }}>
              <ResponsiveTable
                size="small"
                rowKey="sector"
                pagination={false}
                dataSource={c.board.bySector}
                columns={[
                  { title: t('insp.campaign.sector'), dataIndex: 'sector' },
                  { title: t('insp.campaign.lead'), dataIndex: 'leadUnitName' },
                  ...line,
                ]}
              />
            </Card>
            <Card title={t('insp.campaign.byUnit')} style={{ marginBottom: 16 }}>
              <ResponsiveTable
                size="small"
                rowKey="unitId"
                pagination={false}
                dataSource={c.board.byUnit}
                columns={[{ title: t('insp.visit.unit'), dataIndex: 'unitName' }, ...line]}
              />
            </Card>
            {c.can.recordVisit ? (
              <Card title={t('insp.visit.record')} style={{ marginBottom: 16 }}>
                <Form
                  form={form}
                  layout="vertical"
                  style={{ maxWidth: 560 }}
                  onFinish={(v) => record.mutate(v)}
                >
                  <Form.Item name="place" label={t('insp.visit.place')} rules={[{ required: true }]}>
                    <Input maxLength={200} data-testid="visit-place" />
                  </Form.Item>
                  <Form.Item name="sector" label={t('insp.campaign.sector')} rules={[{ required: true }]}>
                    <Select
                      data-testid="visit-sector"
                      options={c.sectors.map((s) => ({ value: s.sector, label: s.sector }))}
                    />
                  </Form.Item>
                  <Form.Item
                    name="findings"
                    label={t('insp.visit.findings')}
                    extra={t('insp.visit.findingsHint')}
                  >
                    <Input.TextArea rows={2} maxLength={4000} data-testid="visit-findings" />
                  </Form.Item>
                  <Button
                    type="primary"
                    htmlType="submit"
                    loading={record.isPending}
                    data-testid="visit-submit"
                  >
                    {t('insp.visit.record')}
                  </Button>
                </Form>
              </Card>
            ) : null}
            <Card title={t('insp.visit.list')}>
              <ResponsiveTable
                size="small"
                rowKey="id"
                dataSource={visits.data?.items ?? []}
                columns={[
                  { title: t('insp.visit.place'), dataIndex: 'place' },
                  { title: t('insp.campaign.sector'), dataIndex: 'sector' },
                  { title: t('insp.visit.unit'), dataIndex: 'unitName' },
                  { title: t('insp.visit.at'), dataIndex: 'visitedAt', render: (v: string) => fmtTime(v) },
                  {
                    title: t('insp.visit.hazards'),
                    dataIndex: 'hazardCount',
                    render: (n: number, v: Visit) =>
                      c.can.recordVisit ? (
                        <span>
                          {n}{' '}
                          <Button size="small" type="link" onClick={() => setFromVisit(v)}>
                            {t('insp.hazard.record')}
                          </Button>
                        </span>
                      ) : (
                        n
                      ),
                  },
                ]}
              />
              <Link to={`/inspections/hazards?campaignId=${c.id}`}>{t('insp.nav.hazards')}</Link>
            </Card>
            <Drawer
              open={!!fromVisit}
              onClose={() => setFromVisit(null)}
              title={t('insp.hazard.record')}
              size={narrow ? '100%' : 520}
              destroyOnHidden
            >
              {fromVisit ? (
                <HazardForm
                  preset={{
                    campaignId: c.id,
                    visitId: fromVisit.id,
                    place: fromVisit.place,
                    sector: fromVisit.sector,
                  }}
                  onDone={(h) => {
                    setFromVisit(null);
                    nav(`/inspections/hazards/${h.id}`);
                  }}
                />
              ) : null}
            </Drawer>
          </>
        ) : null}
      </QueryState>
    </>
  );
}
