import { PlusOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Switch,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type List } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { showError, ui } from '../../notify';
import './strings';

const KINDS = ['smtp', 'sms', 'voice', 'webhook', 'wecom', 'dingtalk', 'feishu'] as const;
type Kind = (typeof KINDS)[number];
const KEY = ['notifications', 'endpoints'];

export interface Endpoint {
  id: string;
  kind: Kind;
  name: string;
  enabled: boolean;
  config: Record<string, unknown>;
  unitId: string | null;
  updatedAt: string;
}
interface TestResult {
  ok: boolean;
  error: string | null;
  target: string;
  messageId: string;
}

/** The form fields of each kind of endpoint (the rest of a stored configuration, e.g. headers, stays as it is). */
const FIELDS: Record<Kind, string[]> = {
  smtp: ['host', 'port', 'from', 'user', 'pass', 'secure', 'ignoreTLS'],
  sms: ['url', 'method', 'contentType', 'bodyTemplate'],
  voice: ['url', 'method', 'contentType', 'bodyTemplate'],
  webhook: ['url', 'secret'],
  wecom: ['url'],
  dingtalk: ['url', 'secret'],
  feishu: ['url', 'secret'],
};

function address(e: Endpoint): string {
  const c = e.config;
  if (e.kind === 'smtp') return `${c.host ?? ''}:${c.port ?? ''}`;
  return String(c.url ?? '');
}

/** 外发通道 (administrators): list, create, edit, enable, and send a real test message. */
export default function ChannelsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: KEY,
    queryFn: () => api.get<List<Endpoint>>('/api/notifications/endpoints'),
  });
  const [editing, setEditing] = useState<Endpoint | 'new' | null>(null);
  const [testing, setTesting] = useState<Endpoint | null>(null);
  const toggle = useMutation({
    mutationFn: (e: Endpoint) =>
      api.patch<Endpoint>(`/api/notifications/endpoints/${e.id}`, { enabled: !e.enabled }),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
    onError: showError,
  });
  return (
    <>
      <PageHeader
        title={t('settings.channels.title')}
        subtitle={t('settings.channels.sub')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="channel-add"
          >
            {t('settings.channels.add')}
          </Button>
        }
      />
      <Card>
        <QueryState loading={q.isLoading} error={q.error}>
          <ResponsiveTable<Endpoint>
            rowKey="id"
            dataSource={q.data?.items ?? []}
            pagination={false}
            locale={{ emptyText: t('settings.channels.empty') }}
            columns={[
              { title: t('settings.channels.name'), dataIndex: 'name' },
              {
                title: t('settings.channels.kind'),
                dataIndex: 'kind',
                render: (k: Kind) => <Tag>{t(`settings.channels.kinds.${k}`)}</Tag>,
              },
              {
                title: t('settings.channels.address'),
                key: 'address',
                render: (_: unknown, e) => <span style={{ wordBreak: 'break-all' }}>{address(e)}</span>,
              },
              {
                title: t('settings.channels.enabled'),
                dataIndex: 'enabled',
                render: (on: boolean, e) => (
                  <Switch
                    size="small"
                    checked={on}
                    loading={toggle.isPending && toggle.variables?.id === e.id}
                    onChange={() => toggle.mutate(e)}
                    aria-label={on ? t('settings.channels.on') : t('settings.channels.off')}
                  />
                ),
              },
              {
                title: t('settings.channels.actions'),
                key: 'actions',
                render: (_: unknown, e) => (
                  <Space wrap>
                    <Button size="small" onClick={() => setEditing(e)}>
                      {t('settings.channels.edit')}
                    </Button>
                    <Button
                      size="small"
                      icon={<SendOutlined />}
                      onClick={() => setTesting(e)}
                      data-testid={`channel-test-${e.name}`}
                    >
                      {t('settings.channels.test')}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        </QueryState>
      </Card>
      {editing ? (
        <EndpointForm endpoint={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      ) : null}
      {testing ? <TestDialog endpoint={testing} onClose={() => setTesting(null)} /> : null}
    </>
  );
}

function EndpointForm({ endpoint, onClose }: { endpoint: Endpoint | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const kind: Kind = Form.useWatch('kind', form) ?? endpoint?.kind ?? 'webhook';
  const save = useMutation({
    mutationFn: (v: Record<string, unknown>) => {
      const config: Record<string, unknown> = {};
      for (const f of FIELDS[v.kind as Kind]) {
        const x = v[f];
        if (x === undefined || x === null || x === '') continue;
        config[f] = x;
      }
      return endpoint
        ? api.patch<Endpoint>(`/api/notifications/endpoints/${endpoint.id}`, { name: v.name, config })
        : api.post<Endpoint>('/api/notifications/endpoints', { kind: v.kind, name: v.name, config });
    },
    onSuccess: () => {
      ui.message?.success(t('settings.channels.saved'));
      void qc.invalidateQueries({ queryKey: KEY });
      onClose();
    },
    onError: showError,
  });
  const has = (f: string) => FIELDS[kind].includes(f);
  const f = (k: string) => t(`settings.channels.f.${k}`);
  return (
    <Modal
      open
      title={endpoint ? t('settings.channels.editTitle') : t('settings.channels.newTitle')}
      onCancel={onClose}
      okText={t('settings.channels.save')}
      cancelText={t('settings.channels.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'channel-save' } as Record<string, string>}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={
          endpoint
            ? { kind: endpoint.kind, name: endpoint.name, ...endpoint.config }
            : { kind: 'webhook', method: 'POST', contentType: 'application/json', port: 25 }
        }
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="kind" label={t('settings.channels.kind')} rules={[{ required: true }]}>
          <Select
            disabled={!!endpoint}
            data-testid="channel-kind"
            options={KINDS.map((k) => ({ value: k, label: t(`settings.channels.kinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="name" label={t('settings.channels.name')} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="channel-name" />
        </Form.Item>
        {has('host') ? (
          <Form.Item name="host" label={f('host')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        ) : null}
        {has('port') ? (
          <Form.Item name="port" label={f('port')} rules={[{ required: true }]}>
            <InputNumber min={1} max={65535} style={{ width: '100%' }} />
          </Form.Item>
        ) : null}
        {has('from') ? (
          <Form.Item name="from" label={f('from')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        ) : null}
        {has('user') ? (
          <Form.Item name="user" label={f('user')}>
            <Input autoComplete="off" />
          </Form.Item>
        ) : null}
        {has('pass') ? (
          <Form.Item name="pass" label={f('pass')} extra={f('secretHint')}>
            <Input autoComplete="off" />
          </Form.Item>
        ) : null}
        {has('secure') ? (
          <Form.Item name="secure" valuePropName="checked">
            <Checkbox>{f('secure')}</Checkbox>
          </Form.Item>
        ) : null}
        {has('ignoreTLS') ? (
          <Form.Item name="ignoreTLS" valuePropName="checked">
            <Checkbox>{f('ignoreTLS')}</Checkbox>
          </Form.Item>
        ) : null}
        {has('url') ? (
          <Form.Item
            name="url"
            label={f('url')}
            rules={[{ required: true, max: 2000 }]}
            extra={
              kind === 'sms' || kind === 'voice'
                ? t('settings.channels.f.urlHint', {
                    phone: '{{phone}}',
                    text: '{{text}}',
                    messageId: '{{messageId}}',
                  })
                : undefined
            }
          >
            <Input data-testid="channel-url" />
          </Form.Item>
        ) : null}
        {has('method') ? (
          <Form.Item name="method" label={f('method')}>
            <Select options={[{ value: 'POST' }, { value: 'GET' }]} />
          </Form.Item>
        ) : null}
        {has('contentType') ? (
          <Form.Item name="contentType" label={f('contentType')}>
            <Input />
          </Form.Item>
        ) : null}
        {has('bodyTemplate') ? (
          <Form.Item name="bodyTemplate" label={f('bodyTemplate')}>
            <Input.TextArea rows={3} />
          </Form.Item>
        ) : null}
        {has('secret') ? (
          <Form.Item name="secret" label={f('secret')} extra={f('secretHint')}>
            <Input autoComplete="off" />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

function TestDialog({ endpoint, onClose }: { endpoint: Endpoint; onClose: () => void }) {
  const { t } = useTranslation();
  const [to, setTo] = useState('');
  const send = useMutation({
    mutationFn: () =>
      api.post<TestResult>(
        `/api/notifications/endpoints/${endpoint.id}/test`,
        to.trim() ? { to: to.trim() } : {},
      ),
    onError: showError,
  });
  const needsTo = endpoint.kind === 'smtp' || endpoint.kind === 'sms' || endpoint.kind === 'voice';
  const r = send.data;
  return (
    <Modal
      open
      title={t('settings.channels.testTitle', { name: endpoint.name })}
      onCancel={onClose}
      footer={
        <Space wrap>
          <Button onClick={onClose}>{t('settings.channels.close')}</Button>
          <Button
            type="primary"
            icon={<SendOutlined />}
            loading={send.isPending}
            onClick={() => send.mutate()}
            data-testid="channel-test-send"
          >
            {t('settings.channels.testSend')}
          </Button>
        </Space>
      }
    >
      {needsTo ? (
        <Form layout="vertical">
          <Form.Item
            label={t('settings.channels.testTo')}
            extra={
              endpoint.kind === 'smtp'
                ? t('settings.channels.testToEmail')
                : t('settings.channels.testToPhone')
            }
          >
            <Input value={to} onChange={(e) => setTo(e.target.value)} data-testid="channel-test-to" />
          </Form.Item>
        </Form>
      ) : (
        <p>{t('settings.channels.testGroup')}</p>
      )}
      {r ? (
        <Alert
          data-testid="channel-test-result"
          type={r.ok ? 'success' : 'error'}
          showIcon
          title={r.ok ? t('settings.channels.testOk') : t('settings.channels.testFail')}
          description={
            r.ok ? (
              t('settings.channels.testOkDetail', { id: r.messageId })
            ) : (
              <span style={{ wordBreak: 'break-all' }}>{r.error}</span>
            )
          }
        />
      ) : null}
    </Modal>
  );
}
