import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Drawer, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, type List, qs } from '../../api';
import { PageHeader } from '../../components/page';
import { ResponsiveTable, useNarrow } from '../../components/ResponsiveTable';
import { fmtShort } from '../../format';
import { showError } from '../../notify';
import { type Hazard, HazardForm, HazardStatus, SeverityTag, useCampaigns } from './shared';

/** 隐患台账: filters, the overdue tag, and the record form (a full-width drawer on a phone). */
export default function HazardsPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const narrow = useNarrow();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const campaignId = params.get('campaignId') ?? '';
  const [open, setOpen] = useState(false);
  const campaigns = useCampaigns();
  const q = useQuery({
    queryKey: ['inspections', 'hazards', status, campaignId],
    queryFn: () => api.get<List<Hazard>>(`/api/inspections/hazards${qs({ status, campaignId })}`),
  });
  const set = (k: string, v: string | undefined) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v);
    else p.delete(k);
    setParams(p, { replace: true });
  };
  return (
    <>
      <PageHeader
        title={t('insp.nav.hazards')}
        extra={
          <Space wrap>
            <Button
              icon={<DownloadOutlined />}
              onClick={() =>
                void api
                  .download(`/api/inspections/hazards/export${qs({ status, campaignId })}`, '隐患台账.xlsx')
                  .catch(showError)
              }
            >
              {t('insp.hazard.export')}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setOpen(true)}
              data-testid="new-hazard"
            >
              {t('insp.hazard.record')}
            </Button>
          </Space>
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            style={{ width: 160 }}
            value={status}
            onChange={(v) => set('status', v)}
            options={[
              { value: '', label: t('insp.hazard.allStatus') },
              { value: 'open', label: t('insp.hazard.st.open') },
              { value: 'reported', label: t('insp.hazard.st.reported') },
              { value: 'closed', label: t('insp.hazard.st.closed') },
              { value: 'overdue', label: t('insp.hazard.overdueOnly') },
            ]}
          />
          <Select
            style={{ width: 240, maxWidth: '100%' }}
            allowClear
            value={campaignId || undefined}
            placeholder={t('insp.hazard.campaign')}
            onChange={(v) => set('campaignId', v)}
            options={(campaigns.data?.items ?? []).map((c) => ({ value: c.id, label: c.title }))}
          />
        </Space>
        <ResponsiveTable
          size="small"
          rowKey="id"
          loading={q.isLoading}
          dataSource={q.data?.items ?? []}
          locale={{ emptyText: t('insp.hazard.none') }}
          onRow={(h) => ({
            onClick: () => nav(`/inspections/hazards/${h.id}`),
            style: { cursor: 'pointer' },
          })}
          columns={[
            {
              title: t('insp.hazard.place'),
              dataIndex: 'place',
              render: (v: string, h: Hazard) => <Link to={`/inspections/hazards/${h.id}`}>{v}</Link>,
            },
            { title: t('insp.hazard.sector'), dataIndex: 'sector' },
            {
              title: t('insp.hazard.severity'),
              dataIndex: 'severity',
              render: (v: Hazard['severity']) => <SeverityTag s={v} />,
            },
            { title: t('insp.hazard.responsible'), dataIndex: 'responsibleUnitName' },
            { title: t('insp.hazard.rectifyBy'), dataIndex: 'rectifyBy', render: (v: string) => fmtShort(v) },
            { title: t('insp.hazard.status'), render: (_: unknown, h: Hazard) => <HazardStatus h={h} /> },
          ]}
        />
      </Card>
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        title={t('insp.hazard.record')}
        size={narrow ? '100%' : 520}
        destroyOnHidden
      >
        <HazardForm
          preset={campaignId ? { campaignId } : undefined}
          onDone={(h) => {
            setOpen(false);
            nav(`/inspections/hazards/${h.id}`);
          }}
        />
      </Drawer>
    </>
  );
}
