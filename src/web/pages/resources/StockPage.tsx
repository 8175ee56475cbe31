import { SwapOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type List, qs } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { fmtTime } from '../../format';
import { ui } from '../../notify';
import { STOCK_MOVE_KINDS, type StockLine, SUPPLY_ITEMS, useWarehouses } from './shared';

interface Move {
  id: string;
  kind: string;
  warehouseId: string;
  toWarehouseId: string | null;
  itemCode: string;
  quantity: number;
  unit: string;
  reason: string | null;
  userName?: string | null;
  at: string;
}

/** 物资库存: stock per warehouse and item with batches by expiry; keepers record moves. */
export default function StockPage() {
  const { t, i18n } = useTranslation();
  const [warehouseId, setWarehouseId] = useState<string>('');
  const [moving, setMoving] = useState(false);
  const warehouses = useWarehouses();
  const whName = (id: string | null) => warehouses.data?.items.find((w) => w.id === id)?.name ?? '—';
  const stock = useQuery({
    queryKey: ['resources', 'stock', warehouseId],
    queryFn: () =>
      api.get<List<StockLine>>(`/api/resources/stock${qs({ warehouseId: warehouseId || undefined })}`),
  });
  const moves = useQuery({
    queryKey: ['resources', 'moves', warehouseId],
    queryFn: () =>
      api.get<List<Move>>(`/api/resources/stock-moves${qs({ warehouseId: warehouseId || undefined })}`),
  });
  const itemName = (code: string) => {
    const i = SUPPLY_ITEMS.find((x) => x[0] === code);
    return i ? (i18n.language === 'en' ? i[2] : i[1]) : code;
  };
  const canMove = (warehouses.data?.items ?? []).some((w) => w.can.moveStock);
  return (
    <>
      <PageHeader
        title={t('res.stock.title')}
        subtitle={t('res.stock.subtitle')}
        extra={
          canMove ? (
            <Button
              type="primary"
              icon={<SwapOutlined />}
              onClick={() => setMoving(true)}
              data-testid="stock-move"
            >
              {t('res.stock.move')}
            </Button>
          ) : null
        }
      />
      <Card>
        <Select
          style={{ width: 260, maxWidth: '100%', marginBottom: 12 }}
          value={warehouseId}
          onChange={setWarehouseId}
          aria-label={t('res.stock.warehouse')}
          options={[
            { value: '', label: t('res.stock.warehouse') },
            ...(warehouses.data?.items ?? []).map((w) => ({ value: w.id, label: w.name })),
          ]}
        />
        <QueryState loading={stock.isLoading} error={stock.error}>
          <ResponsiveTable<StockLine>
            data-testid="stock-table"
            rowKey={(r) => `${r.warehouseId}/${r.itemCode}`}
            dataSource={stock.data?.items ?? []}
            pagination={false}
            locale={{ emptyText: t('res.stock.empty') }}
            columns={[
              { key: 'wh', title: t('res.stock.warehouse'), dataIndex: 'warehouseName' },
              {
                key: 'item',
                title: t('res.stock.item'),
                render: (_: unknown, r: StockLine) => (
                  <Space size={4} wrap>
                    {r.itemName}
                    {r.expiringSoon ? <Tag color="orange">{t('res.stock.expiring')}</Tag> : null}
                  </Space>
                ),
              },
              {
                key: 'q',
                title: t('res.stock.quantity'),
                render: (_: unknown, r: StockLine) => `${r.quantity} ${r.unit}`,
              },
              {
                key: 'b',
                title: t('res.stock.batches'),
                render: (_: unknown, r: StockLine) =>
                  r.batches.map((b) => `${b.expiresOn ?? t('res.stock.noExpiry')}：${b.quantity}`).join('；'),
              },
            ]}
          />
        </QueryState>
      </Card>
      <Card title={t('res.stock.moves')} style={{ marginTop: 16 }}>
        <ResponsiveTable<Move>
          rowKey="id"
          dataSource={moves.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('res.stock.empty') }}
          columns={[
            { key: 'at', title: t('res.stock.at'), render: (_: unknown, r: Move) => fmtTime(r.at) },
            {
              key: 'kind',
              title: t('res.stock.kind'),
              render: (_: unknown, r: Move) => t(`res.stock.kinds.${r.kind}`),
            },
            {
              key: 'wh',
              title: t('res.stock.warehouse'),
              render: (_: unknown, r: Move) =>
                r.toWarehouseId
                  ? `${whName(r.warehouseId)} → ${whName(r.toWarehouseId)}`
                  : whName(r.warehouseId),
            },
            {
              key: 'item',
              title: t('res.stock.item'),
              render: (_: unknown, r: Move) => `${itemName(r.itemCode)} ${r.quantity} ${r.unit}`,
            },
            { key: 'reason', title: t('res.stock.reason'), render: (_: unknown, r: Move) => r.reason ?? '—' },
            { key: 'by', title: t('res.stock.by'), render: (_: unknown, r: Move) => r.userName ?? '—' },
          ]}
        />
      </Card>
      {moving ? <MoveModal onClose={() => setMoving(false)} /> : null}
    </>
  );
}

interface MoveValues {
  kind: string;
  warehouseId: string;
  toWarehouseId?: string;
  itemCode: string;
  itemName?: string;
  unit?: string;
  quantity: number;
  expiresOn?: Dayjs;
  reason?: string;
}

function MoveModal({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<MoveValues>();
  const kind = Form.useWatch('kind', form) ?? 'in';
  const warehouses = useWarehouses();
  const mine = (warehouses.data?.items ?? []).filter((w) => w.can.moveStock);
  const [key] = useState(api.newKey());
  const m = useMutation({
    mutationFn: (v: MoveValues) =>
      api.post(
        '/api/resources/stock-moves',
        {
          ...v,
          expiresOn: v.expiresOn ? v.expiresOn.format('YYYY-MM-DD') : undefined,
          toWarehouseId: v.kind === 'transfer' ? v.toWarehouseId : undefined,
          unit: v.unit || undefined,
          reason: v.reason || undefined,
        },
        { idempotencyKey: key },
      ),
    onSuccess: () => {
      ui.message?.success(t('res.stock.done'));
      void qc.invalidateQueries({ queryKey: ['resources'] });
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t('res.stock.move')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Form<MoveValues>
        form={form}
        layout="vertical"
        initialValues={{ kind: 'in', warehouseId: mine[0]?.id }}
        onFinish={(v) => m.mutate(v)}
        data-testid="stock-move-form"
      >
        <Form.Item name="kind" label={t('res.stock.kind')} rules={[{ required: true }]}>
          <Select options={STOCK_MOVE_KINDS.map((k) => ({ value: k, label: t(`res.stock.kinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="warehouseId" label={t('res.stock.warehouse')} rules={[{ required: true }]}>
          <Select options={mine.map((w) => ({ value: w.id, label: w.name }))} />
        </Form.Item>
        {kind === 'transfer' ? (
          <Form.Item name="toWarehouseId" label={t('res.stock.toWarehouse')} rules={[{ required: true }]}>
            <Select options={(warehouses.data?.items ?? []).map((w) => ({ value: w.id, label: w.name }))} />
          </Form.Item>
        ) : null}
        <Form.Item name="itemCode" label={t('res.stock.item')} rules={[{ required: true }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={SUPPLY_ITEMS.map(([code, name, en, unit]) => ({
              value: code,
              label: `${code} ${i18n.language === 'en' ? en : name}（${unit}）`,
            }))}
          />
        </Form.Item>
        <Form.Item name="quantity" label={t('res.stock.quantity')} rules={[{ required: true }]}>
          <InputNumber min={0.001} precision={3} style={{ width: 180 }} />
        </Form.Item>
        {kind === 'in' ? (
          <Form.Item name="expiresOn" label={t('res.stock.expiresOn')}>
            <DatePicker />
          </Form.Item>
        ) : null}
        <Form.Item name="reason" label={t('res.stock.reason')}>
          <Input maxLength={400} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
