import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Drawer, Form, Input, InputNumber, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api, type List } from '../../api';
import { PageHeader } from '../../components/page';
import { ResponsiveTable, useNarrow } from '../../components/ResponsiveTable';
import { fmtShort } from '../../format';
import { ui } from '../../notify';
import { useSession } from '../../session';
import { UnitTreeSelect } from '../../units';
import './sources.strings';

export interface HazardSource {
  id: string;
  name: string;
  unitId: string;
  unitName: string;
  areaName: string;
  place: string;
  lng: number | null;
  lat: number | null;
  level: string | null;
  description: string | null;
  checkEveryMinutes: number;
  lastCheckAt: string | null;
  nextCheckBy: string;
  watch: 'ok' | 'missed';
  missedCount: number;
  createdAt: string;
  can: { checkSource: boolean; postReading: boolean };
}

export function WatchTag({ s }: { s: Pick<HazardSource, 'watch'> }) {
  const { t } = useTranslation();
  return s.watch === 'missed' ? (
    <Tag color="error" style={{ fontWeight: 700 }} data-testid="watch-missed">
      {t('insp.src.missed')}
    </Tag>
  ) : (
    <Tag color="success">{t('insp.src.ok')}</Tag>
  );
}

/** 重大危险源: the sources I see (missed checks first) and, for editors and administrators, the register form. */
export default function SourcesPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const narrow = useNarrow();
  const qc = useQueryClient();
  const { hasRole } = useSession();
  // the API decides the unit; the button is for the roles that may register at all
  const mayRegister = hasRole('editor', 'admin');
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const q = useQuery({
    queryKey: ['inspections', 'sources'],
    queryFn: () => api.get<List<HazardSource>>('/api/resources/hazard-sources'),
  });
  const register = useMutation({
    mutationFn: (v: any) =>
      api.post<HazardSource>('/api/resources/hazard-sources', {
        name: v.name,
        unitId: v.unitId,
        place: v.place,
        lng: v.lng ?? null,
        lat: v.lat ?? null,
        level: v.level || null,
        description: v.description || null,
        checkEveryMinutes: v.checkEveryMinutes,
      }),
    onSuccess: (s) => {
      ui.message?.success(t('insp.src.registered'));
      void qc.invalidateQueries({ queryKey: ['inspections', 'sources'] });
      form.resetFields();
      setOpen(false);
      nav(`/inspections/sources/${s.id}`);
    },
  });
  return (
    <>
      <PageHeader
        title={t('insp.nav.sources')}
        extra={
          mayRegister ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setOpen(true)}
              data-testid="new-source"
            >
              {t('insp.src.register')}
            </Button>
          ) : null
        }
      />
      <Card>
        <ResponsiveTable
          size="small"
          rowKey="id"
          loading={q.isLoading}
          dataSource={q.data?.items ?? []}
          locale={{ emptyText: t('insp.src.none') }}
          onRow={(s) => ({
            onClick: () => nav(`/inspections/sources/${s.id}`),
            style: { cursor: 'pointer' },
          })}
          columns={[
            {
              title: t('insp.src.name'),
              dataIndex: 'name',
              render: (v: string, s: HazardSource) => <Link to={`/inspections/sources/${s.id}`}>{v}</Link>,
            },
            { title: t('insp.src.watch'), render: (_: unknown, s: HazardSource) => <WatchTag s={s} /> },
            { title: t('insp.src.unit'), dataIndex: 'unitName' },
            { title: t('insp.src.place'), dataIndex: 'place' },
            { title: t('insp.src.level'), dataIndex: 'level', render: (v: string | null) => v ?? '—' },
            {
              title: t('insp.src.last'),
              dataIndex: 'lastCheckAt',
              render: (v: string | null) => fmtShort(v),
            },
            { title: t('insp.src.next'), dataIndex: 'nextCheckBy', render: (v: string) => fmtShort(v) },
          ]}
        />
      </Card>
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        title={t('insp.src.register')}
        size={narrow ? '100%' : 520}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ checkEveryMinutes: 120 }}
          onFinish={(v) => register.mutate(v)}
        >
          <Form.Item name="name" label={t('insp.src.name')} rules={[{ required: true }]}>
            <Input maxLength={200} data-testid="source-name" />
          </Form.Item>
          <Form.Item name="unitId" label={t('insp.src.unit')} rules={[{ required: true }]}>
            <UnitTreeSelect id="source-unit" />
          </Form.Item>
          <Form.Item name="place" label={t('insp.src.place')} rules={[{ required: true }]}>
            <Input maxLength={300} data-testid="source-place" />
          </Form.Item>
          <Space wrap>
            <Form.Item name="lng" label={t('insp.src.lng')}>
              <InputNumber min={-180} max={180} step={0.000001} style={{ width: 150 }} />
            </Form.Item>
            <Form.Item name="lat" label={t('insp.src.lat')}>
              <InputNumber min={-90} max={90} step={0.000001} style={{ width: 150 }} />
            </Form.Item>
          </Space>
          <Form.Item name="level" label={t('insp.src.level')}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item
            name="checkEveryMinutes"
            label={t('insp.src.every')}
            extra={t('insp.src.everyHint')}
            rules={[{ required: true }]}
          >
            <InputNumber min={5} max={10080} style={{ width: 150 }} data-testid="source-every" />
          </Form.Item>
          <Form.Item name="description" label={t('insp.src.description')}>
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            block
            loading={register.isPending}
            data-testid="source-submit"
          >
            {t('insp.src.register')}
          </Button>
        </Form>
      </Drawer>
    </>
  );
}
