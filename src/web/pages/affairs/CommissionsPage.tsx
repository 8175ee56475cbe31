import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Form, Input, Modal, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, qs } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { fmtTime, wallToIso } from '../../format';
import { ui } from '../../notify';
import { useOwnerUnits } from '../tasks/shared';
import { type Commission, CommissionStatusTag } from './shared';
import './strings';

function CreateButton() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ toUnitId: string; title: string; due: Dayjs }>();
  const owners = useOwnerUnits();
  const m = useMutation({
    mutationFn: (v: { toUnitId: string; title: string; due: Dayjs }) =>
      api.post<Commission>(
        '/api/affairs/commissions',
        { toUnitId: v.toUnitId, title: v.title, dueAt: wallToIso(v.due) },
        { idempotencyKey: api.newKey() },
      ),
    onSuccess: () => {
      ui.message?.success(t('affairs.commissions.created'));
      void qc.invalidateQueries({ queryKey: ['affairs'] });
      setOpen(false);
      form.resetFields();
    },
  });
  return (
    <>
      <Button
        type="primary"
        icon={<PlusOutlined />}
        onClick={() => setOpen(true)}
        data-testid="commission-create"
      >
        {t('affairs.commissions.create')}
      </Button>
      <Modal
        open={open}
        title={t('affairs.commissions.create')}
        onCancel={() => setOpen(false)}
        confirmLoading={m.isPending}
        onOk={() => form.validateFields().then((v) => m.mutate(v))}
        okButtonProps={{ 'data-testid': 'commission-create-ok' } as never}
      >
        <Form form={form} layout="vertical" data-testid="commission-form">
          <Form.Item name="toUnitId" label={t('affairs.commissions.toUnit')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              options={owners.map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
          <Form.Item
            name="title"
            label={t('affairs.commissions.cTitle')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={300} />
          </Form.Item>
          <Form.Item name="due" label={t('affairs.commissions.dueAt')} rules={[{ required: true }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function DeliveryButton({ c }: { c: Commission }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ at: Dayjs; note?: string }>();
  const m = useMutation({
    mutationFn: (v: { at: Dayjs; note?: string }) =>
      api.post(
        `/api/affairs/commissions/${c.id}/delivery`,
        { at: wallToIso(v.at), note: v.note || undefined },
        {
          idempotencyKey: api.newKey(),
        },
      ),
    onSuccess: () => {
      ui.message?.success(t('affairs.commissions.recorded'));
      void qc.invalidateQueries({ queryKey: ['affairs'] });
      setOpen(false);
    },
  });
  return (
    <>
      <Button
        size="small"
        onClick={(e) => {
          e.stopPropagation();
          setOpen(true);
        }}
      >
        {t('affairs.commissions.recordDelivery')}
      </Button>
      <Modal
        open={open}
        title={t('affairs.commissions.recordDelivery')}
        onCancel={() => setOpen(false)}
        confirmLoading={m.isPending}
        onOk={() => form.validateFields().then((v) => m.mutate(v))}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="at" label={t('affairs.commissions.deliveredAt')} rules={[{ required: true }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="note" label={t('affairs.commissions.note')}>
            <Input maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** 约稿: the section's commissions with their status (overdue in red); the commissioned unit writes from here. */
export default function CommissionsPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const [status, setStatus] = useState('');
  const q = useQuery({
    queryKey: ['affairs', 'commissions', status],
    queryFn: () =>
      api.get<{ items: Commission[]; can: { commission: boolean } }>(
        `/api/affairs/commissions${qs({ status: status || undefined })}`,
      ),
  });
  return (
    <>
      <PageHeader
        title={t('affairs.commissions.title')}
        subtitle={t('affairs.commissions.subtitle')}
        extra={q.data?.can.commission ? <CreateButton /> : null}
      />
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            style={{ width: 140 }}
            value={status}
            onChange={setStatus}
            aria-label={t('affairs.col.status')}
            options={[
              { value: '', label: t('affairs.commissions.all') },
              ...['open', 'delivered', 'late', 'missed'].map((s) => ({
                value: s,
                label: t(`affairs.cstatus.${s}`),
              })),
            ]}
          />
        </Space>
        <QueryState loading={q.isLoading} error={q.error}>
          <ResponsiveTable<Commission>
            data-testid="commissions-table"
            rowKey="id"
            dataSource={q.data?.items ?? []}
            pagination={false}
            locale={{ emptyText: t('affairs.commissions.empty') }}
            columns={[
              { key: 'title', title: t('affairs.commissions.cTitle'), dataIndex: 'title' },
              { key: 'to', title: t('affairs.col.toUnit'), dataIndex: 'toUnitName' },
              {
                key: 'due',
                title: t('affairs.col.due'),
                render: (_: unknown, c: Commission) => fmtTime(c.dueAt),
              },
              {
                key: 'status',
                title: t('affairs.col.status'),
                render: (_: unknown, c: Commission) => <CommissionStatusTag c={c} />,
              },
              {
                key: 'act',
                title: t('common.actions'),
                render: (_: unknown, c: Commission) => (
                  <Space wrap>
                    {c.can.writePiece && c.status === 'open' ? (
                      <Button
                        size="small"
                        type="primary"
                        onClick={() => nav(`/affairs/pieces/new?commissionId=${c.id}`)}
                        data-testid="commission-write"
                      >
                        {t('affairs.commissions.write')}
                      </Button>
                    ) : null}
                    {c.can.recordDelivery ? <DeliveryButton c={c} /> : null}
                  </Space>
                ),
              },
            ]}
          />
        </QueryState>
      </Card>
    </>
  );
}
