import { DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, List, Modal, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type List as ApiList, api } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ui } from '../../notify';
import type { Piece } from './shared';
import './strings';

interface Publication {
  id: string;
  name: string;
  kind: 'daily' | 'special' | 'public_sentiment';
  officeName: string;
  can: { compose: boolean };
}
interface IssueItem {
  id: string;
  label: string;
  title: string | null;
  status: 'published' | 'withdrawn';
}

function CreateButton() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ name: string; kind: string }>();
  const m = useMutation({
    mutationFn: (v: { name: string; kind: string }) =>
      api.post('/api/affairs/publications', v, { idempotencyKey: api.newKey() }),
    onSuccess: () => {
      ui.message?.success(t('affairs.detail.done'));
      void qc.invalidateQueries({ queryKey: ['affairs', 'publications'] });
      setOpen(false);
    },
  });
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t('affairs.pubs.create')}
      </Button>
      <Modal
        open={open}
        title={t('affairs.pubs.create')}
        onCancel={() => setOpen(false)}
        confirmLoading={m.isPending}
        onOk={() => form.validateFields().then((v) => m.mutate(v))}
      >
        <Form form={form} layout="vertical" initialValues={{ kind: 'daily' }}>
          <Form.Item
            name="name"
            label={t('affairs.pubs.name')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="kind" label={t('affairs.col.kind')}>
            <Select
              options={['daily', 'special', 'public_sentiment'].map((k) => ({
                value: k,
                label: t(`affairs.pubs.kind.${k}`),
              }))}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function Issues({ pub }: { pub: Publication }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [pieceIds, setPieceIds] = useState<string[]>([]);
  const issues = useQuery({
    queryKey: ['affairs', 'publications', pub.id, 'issues'],
    queryFn: () => api.get<ApiList<IssueItem>>(`/api/affairs/publications/${pub.id}/issues`),
  });
  const inbox = useQuery({
    queryKey: ['affairs', 'pieces', 'inbox-sent'],
    queryFn: () => api.get<ApiList<Piece>>('/api/affairs/pieces?inbox=true&status=sent'),
    enabled: open,
  });
  const m = useMutation({
    mutationFn: () =>
      api.post(`/api/affairs/publications/${pub.id}/issues`, { pieceIds }, { idempotencyKey: api.newKey() }),
    onSuccess: () => {
      ui.message?.success(t('affairs.detail.done'));
      void qc.invalidateQueries({ queryKey: ['affairs'] });
      setOpen(false);
      setPieceIds([]);
    },
  });
  return (
    <Card
      title={
        <Space wrap>
          {pub.name}
          <Tag>{t(`affairs.pubs.kind.${pub.kind}`)}</Tag>
        </Space>
      }
      extra={
        pub.can.compose ? (
          <Button onClick={() => setOpen(true)} data-testid="issue-compose">
            {t('affairs.pubs.compose')}
          </Button>
        ) : null
      }
      style={{ marginBottom: 16 }}
    >
      <QueryState loading={issues.isLoading} error={issues.error}>
        <List
          size="small"
          dataSource={issues.data?.items ?? []}
          locale={{ emptyText: t('affairs.detail.none') }}
          renderItem={(i) => (
            <List.Item
              actions={[
                <Button
                  key="docx"
                  size="small"
                  icon={<DownloadOutlined />}
                  onClick={() =>
                    void api.download(`/api/affairs/issues/${i.id}/docx`, `${pub.name}${i.label}.docx`)
                  }
                >
                  Word
                </Button>,
              ]}
            >
              {i.label} {i.title ?? ''}{' '}
              {i.status === 'withdrawn' ? <Tag>{t('affairs.pubs.withdrawn')}</Tag> : null}
            </List.Item>
          )}
        />
      </QueryState>
      <Modal
        open={open}
        title={t('affairs.pubs.compose')}
        onCancel={() => setOpen(false)}
        confirmLoading={m.isPending}
        okButtonProps={{ disabled: pieceIds.length === 0 }}
        onOk={() => m.mutate()}
      >
        <Select
          mode="multiple"
          style={{ width: '100%' }}
          value={pieceIds}
          onChange={setPieceIds}
          loading={inbox.isLoading}
          optionFilterProp="label"
          options={(inbox.data?.items ?? []).map((p) => ({
            value: p.id,
            label: `${p.title}（${p.unitName}）`,
          }))}
        />
      </Modal>
    </Card>
  );
}

/** 刊物: the section's publications, each issue numbered per year and downloadable as a Word file. */
export default function PublicationsPage() {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['affairs', 'publications'],
    queryFn: () => api.get<{ items: Publication[]; can: { create: boolean } }>('/api/affairs/publications'),
  });
  return (
    <>
      <PageHeader
        title={t('affairs.pubs.title')}
        subtitle={t('affairs.pubs.subtitle')}
        extra={q.data?.can.create ? <CreateButton /> : null}
      />
      <QueryState loading={q.isLoading} error={q.error}>
        {(q.data?.items ?? []).map((p) => (
          <Issues key={p.id} pub={p} />
        ))}
      </QueryState>
    </>
  );
}
