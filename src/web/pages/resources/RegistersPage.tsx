import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, type List, qs } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { showError, ui } from '../../notify';
import { useSession } from '../../session';
import {
  CategoriesSelect,
  type Entry,
  INTERNAL_KINDS,
  READINESS,
  REGISTER_KINDS,
  REGISTER_PATHS,
  ReadinessTag,
  type RegisterKind,
  SHELTER_TYPES,
  TEAM_TYPES,
  useCategoryName,
  useOwnerChoices,
} from './shared';

const HAS_READINESS: RegisterKind[] = ['team', 'shelter', 'air_defence_work', 'command_post'];
const HAS_CAPACITY: RegisterKind[] = ['shelter', 'air_defence_work'];

/** 资源台账: warehouses, teams, experts and shelters the person may read; keepers register and edit. */
export default function RegistersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const kind = (params.get('kind') as RegisterKind) || 'team';
  const [q, setQ] = useState('');
  const [adding, setAdding] = useState(false);
  const { hasRole } = useSession();
  const qc = useQueryClient();
  const catName = useCategoryName();
  const list = useQuery({
    queryKey: ['resources', kind, q],
    queryFn: () => api.get<List<Entry>>(`/api/resources/${REGISTER_PATHS[kind]}${qs({ q: q || undefined })}`),
  });
  const change = useMutation({
    mutationFn: (v: { id: string; readiness: string }) =>
      api.patch<Entry>(`/api/resources/${REGISTER_PATHS[kind]}/${v.id}`, { readiness: v.readiness }),
    onSuccess: () => {
      ui.message?.success(t('res.registers.changed'));
      void qc.invalidateQueries({ queryKey: ['resources'] });
    },
  });
  const columns = [
    { key: 'name', title: t('res.f.name'), dataIndex: 'name' },
    { key: 'unit', title: t('res.f.unit'), dataIndex: 'unitName' },
    ...(kind === 'team'
      ? [
          {
            key: 'type',
            title: t('res.f.teamType'),
            render: (_: unknown, r: Entry) => t(`res.teamType.${String(r.teamType)}`),
          },
          {
            key: 'head',
            title: t('res.f.headcount'),
            render: (_: unknown, r: Entry) => String(r.headcount ?? '—'),
          },
        ]
      : []),
    ...(kind === 'expert'
      ? [
          { key: 'field', title: t('res.f.field'), render: (_: unknown, r: Entry) => String(r.field ?? '—') },
          {
            key: 'emp',
            title: t('res.f.employer'),
            render: (_: unknown, r: Entry) => String(r.employer ?? '—'),
          },
        ]
      : []),
    ...(kind === 'shelter'
      ? [
          {
            key: 'cap',
            title: t('res.f.capacity'),
            render: (_: unknown, r: Entry) => String(r.capacity ?? '—'),
          },
        ]
      : []),
    ...(kind === 'team' || kind === 'expert'
      ? [
          {
            key: 'cats',
            title: t('res.f.categoryCodes'),
            render: (_: unknown, r: Entry) => (
              <Space wrap size={4}>
                {r.categoryCodes.map((c) => (
                  <Tag key={c}>{catName(c)}</Tag>
                ))}
              </Space>
            ),
          },
        ]
      : []),
    { key: 'addr', title: t('res.f.address'), render: (_: unknown, r: Entry) => r.address ?? '—' },
    {
      key: 'contact',
      title: t('res.f.phone'),
      render: (_: unknown, r: Entry) =>
        r.phoneHidden ? (
          <span className="muted">{t('res.registers.phoneHidden')}</span>
        ) : (
          [r.contactName, r.phone].filter(Boolean).join(' ') || '—'
        ),
    },
    ...(HAS_READINESS.includes(kind)
      ? [
          {
            key: 'ready',
            title: t('res.f.readiness'),
            render: (_: unknown, r: Entry) =>
              r.can.edit ? (
                <Select
                  size="small"
                  value={r.readiness ?? 'ready'}
                  style={{ width: 110 }}
                  aria-label={t('res.f.readiness')}
                  onChange={(v) => change.mutate({ id: r.id, readiness: v })}
                  options={READINESS.map((x) => ({ value: x, label: t(`res.readiness.${x}`) }))}
                />
              ) : (
                <ReadinessTag value={r.readiness} />
              ),
          },
        ]
      : []),
  ];
  return (
    <>
      <PageHeader
        title={t('res.registers.title')}
        subtitle={t('res.registers.subtitle')}
        extra={
          hasRole('editor', 'admin') ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setAdding(true)}
              data-testid="res-add"
            >
              {t('res.registers.add')}
              {t(`res.kind.${kind}`)}
            </Button>
          ) : null
        }
      />
      <Card>
        <Tabs
          activeKey={kind}
          onChange={(k) => setParams({ kind: k })}
          items={REGISTER_KINDS.map((k) => ({
            key: k,
            label: INTERNAL_KINDS.includes(k)
              ? t('res.kindInternal', { kind: t(`res.kind.${k}`) })
              : t(`res.kind.${k}`),
          }))}
        />
        {INTERNAL_KINDS.includes(kind) ? (
          <Alert type="warning" showIcon message={t('res.internalHint')} style={{ marginBottom: 12 }} />
        ) : null}
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            placeholder={t('res.registers.search')}
            onSearch={setQ}
            style={{ maxWidth: 320 }}
          />
          <Button
            icon={<DownloadOutlined />}
            onClick={() =>
              api
                .download(
                  `/api/resources/${REGISTER_PATHS[kind]}/export${qs({ q: q || undefined })}`,
                  `${t(`res.kind.${kind}`)}.xlsx`,
                )
                .catch(showError)
            }
          >
            {t('res.registers.export')}
          </Button>
        </Space>
        <QueryState loading={list.isLoading} error={list.error}>
          <ResponsiveTable<Entry>
            data-testid="res-table"
            rowKey="id"
            dataSource={list.data?.items ?? []}
            pagination={false}
            locale={{ emptyText: t('res.registers.empty') }}
            columns={columns}
          />
        </QueryState>
      </Card>
      {adding ? <EntryModal kind={kind} onClose={() => setAdding(false)} /> : null}
    </>
  );
}

function EntryModal({ kind, onClose }: { kind: RegisterKind; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const owners = useOwnerChoices();
  const [form] = Form.useForm();
  const [key] = useState(api.newKey());
  const m = useMutation({
    mutationFn: (v: Record<string, unknown>) =>
      api.post<Entry>(`/api/resources/${REGISTER_PATHS[kind]}`, clean(v), { idempotencyKey: key }),
    onSuccess: () => {
      ui.message?.success(t('res.registers.saved'));
      void qc.invalidateQueries({ queryKey: ['resources'] });
      onClose();
    },
  });
  return (
    <Modal
      open
      title={`${t('res.registers.add')}${t(`res.kind.${kind}`)}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={m.isPending}
      okButtonProps={{ 'data-testid': 'res-save' } as never}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ unitId: owners[0]?.value, teamType: 'professional', readiness: 'ready' }}
        onFinish={(v) => m.mutate(v)}
        data-testid="res-form"
      >
        <Form.Item name="unitId" label={t('res.f.unit')} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" options={owners} />
        </Form.Item>
        <Form.Item name="name" label={t('res.f.name')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        {kind === 'team' ? (
          <>
            <Form.Item name="teamType" label={t('res.f.teamType')} rules={[{ required: true }]}>
              <Select options={TEAM_TYPES.map((x) => ({ value: x, label: t(`res.teamType.${x}`) }))} />
            </Form.Item>
            <Form.Item name="headcount" label={t('res.f.headcount')}>
              <InputNumber min={0} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="equipment" label={t('res.f.equipment')}>
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          </>
        ) : null}
        {kind === 'expert' ? (
          <>
            <Form.Item name="field" label={t('res.f.field')} rules={[{ required: true, whitespace: true }]}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="speciality" label={t('res.f.speciality')}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="employer" label={t('res.f.employer')}>
              <Input maxLength={200} />
            </Form.Item>
          </>
        ) : null}
        {kind === 'shelter' ? (
          <Form.Item name="shelterType" label={t('res.f.shelterType')}>
            <Select options={SHELTER_TYPES.map((x) => ({ value: x, label: t(`res.shelterType.${x}`) }))} />
          </Form.Item>
        ) : null}
        {kind === 'air_defence_work' ? (
          <Form.Item name="workType" label={t('res.f.workType')}>
            <Input maxLength={60} />
          </Form.Item>
        ) : null}
        {kind === 'key_target' ? (
          <Form.Item name="targetType" label={t('res.f.targetType')}>
            <Input maxLength={60} />
          </Form.Item>
        ) : null}
        {kind === 'air_defence_work' || kind === 'key_target' ? (
          <Form.Item name="protectionLevel" label={t('res.f.protectionLevel')}>
            <Input maxLength={40} />
          </Form.Item>
        ) : null}
        {HAS_CAPACITY.includes(kind) ? (
          <Form.Item name="capacity" label={t('res.f.capacity')}>
            <InputNumber min={0} style={{ width: 160 }} />
          </Form.Item>
        ) : null}
        {kind === 'warehouse' ? (
          <Form.Item name="areaSqm" label={t('res.f.areaSqm')}>
            <InputNumber min={0} style={{ width: 160 }} />
          </Form.Item>
        ) : null}
        {kind === 'team' || kind === 'expert' ? (
          <Form.Item name="categoryCodes" label={t('res.f.categoryCodes')}>
            <CategoriesSelect />
          </Form.Item>
        ) : null}
        {HAS_READINESS.includes(kind) ? (
          <Form.Item name="readiness" label={t('res.f.readiness')}>
            <Select options={READINESS.map((x) => ({ value: x, label: t(`res.readiness.${x}`) }))} />
          </Form.Item>
        ) : null}
        {kind !== 'expert' ? (
          <>
            <Form.Item name="address" label={t('res.f.address')}>
              <Input maxLength={400} />
            </Form.Item>
            <Form.Item label={t('res.f.coords')}>
              <Space wrap>
                <Form.Item name="lng" noStyle>
                  <InputNumber
                    min={-180}
                    max={180}
                    step={0.0001}
                    placeholder={t('res.f.lng')}
                    style={{ width: 150 }}
                  />
                </Form.Item>
                <Form.Item name="lat" noStyle>
                  <InputNumber
                    min={-90}
                    max={90}
                    step={0.0001}
                    placeholder={t('res.f.lat')}
                    style={{ width: 150 }}
                  />
                </Form.Item>
              </Space>
            </Form.Item>
          </>
        ) : null}
        <Form.Item name="contactName" label={t('res.f.contactName')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="phone" label={t('res.f.phone')}>
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Empty form fields are left out (the API takes absent as none). */
function clean(v: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== null && x !== ''));
}
