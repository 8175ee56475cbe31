import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Image, Input, Modal, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type List } from '../../api';
import { PageHeader } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { fmtTime } from '../../format';
import { UnitTreeSelect } from '../../units';
import './strings';
import './sources.strings';

interface Tipoff {
  id: string;
  text: string;
  place: string | null;
  contact: string | null;
  contactHidden: boolean;
  areaName: string;
  assignedUnitName: string | null;
  status: 'received' | 'investigating' | 'closed';
  result: string | null;
  rewardNote: string | null;
  createdAt: string;
  photos: Array<{ id: string; filename: string; url: string }>;
  can: { assignTipoff: boolean; handleTipoff: boolean };
}
const COLOR = { received: 'blue', investigating: 'orange', closed: 'green' } as const;

/** 举报受理: tip-offs of my area; assign, investigate, close with the reward. Texts are shown as text. */
export default function TipoffsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['inspections', 'tipoffs'],
    queryFn: () => api.get<List<Tipoff>>('/api/inspections/tipoffs'),
  });
  const [assigning, setAssigning] = useState<Tipoff | null>(null);
  const [closing, setClosing] = useState<Tipoff | null>(null);
  const [assignForm] = Form.useForm();
  const [closeForm] = Form.useForm();
  const act = useMutation({
    mutationFn: ({ id, action, body }: { id: string; action: string; body: unknown }) =>
      api.post(`/api/inspections/tipoffs/${id}/${action}`, body),
    onSuccess: () => {
      setAssigning(null);
      setClosing(null);
      assignForm.resetFields();
      closeForm.resetFields();
      void qc.invalidateQueries({ queryKey: ['inspections', 'tipoffs'] });
    },
  });
  return (
    <>
      <PageHeader title={t('insp.tipoff.title')} />
      <Card>
        <ResponsiveTable
          size="small"
          rowKey="id"
          loading={q.isLoading}
          dataSource={q.data?.items ?? []}
          locale={{ emptyText: t('insp.tipoff.none') }}
          columns={[
            {
              title: t('insp.tipoff.text'),
              dataIndex: 'text',
              render: (v: string) => (
                <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{v}</span>
              ),
            },
            { title: t('insp.tipoff.place'), dataIndex: 'place' },
            {
              title: t('insp.tipPhoto.photos'),
              render: (_: unknown, r: Tipoff) =>
                r.photos.length ? (
                  <Image.PreviewGroup>
                    <Space wrap size={4}>
                      {r.photos.map((p) => (
                        <Image
                          key={p.id}
                          width={48}
                          height={36}
                          style={{ objectFit: 'cover' }}
                          src={p.url}
                          alt=""
                        />
                      ))}
                    </Space>
                  </Image.PreviewGroup>
                ) : (
                  '—'
                ),
            },
            {
              title: t('insp.tipoff.contact'),
              render: (_: unknown, r: Tipoff) =>
                r.contactHidden ? <Tag>{t('insp.tipoff.hidden')}</Tag> : (r.contact ?? '—'),
            },
            { title: t('insp.tipoff.area'), dataIndex: 'areaName' },
            { title: t('insp.tipoff.assigned'), dataIndex: 'assignedUnitName' },
            { title: t('insp.tipoff.at'), dataIndex: 'createdAt', render: (v: string) => fmtTime(v) },
            {
              title: t('insp.tipoff.status'),
              render: (_: unknown, r: Tipoff) => (
                <Space orientation="vertical" size={2}>
                  <Tag color={COLOR[r.status]}>{t(`insp.tipoff.st.${r.status}`)}</Tag>
                  {r.result ? <span>{r.result}</span> : null}
                  {r.rewardNote ? <span>{r.rewardNote}</span> : null}
                </Space>
              ),
            },
            {
              title: t('insp.tipoff.actions'),
              render: (_: unknown, r: Tipoff) =>
                r.status === 'closed' ? null : (
                  <Space wrap>
                    {r.can.assignTipoff ? (
                      <Button size="small" onClick={() => setAssigning(r)}>
                        {t('insp.tipoff.assign')}
                      </Button>
                    ) : null}
                    {r.can.handleTipoff && r.status === 'received' ? (
                      <Button
                        size="small"
                        onClick={() => act.mutate({ id: r.id, action: 'investigate', body: {} })}
                      >
                        {t('insp.tipoff.investigate')}
                      </Button>
                    ) : null}
                    {r.can.handleTipoff ? (
                      <Button size="small" type="primary" onClick={() => setClosing(r)}>
                        {t('insp.tipoff.close')}
                      </Button>
                    ) : null}
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      <Modal
        open={!!assigning}
        title={t('insp.tipoff.assign')}
        onCancel={() => setAssigning(null)}
        onOk={() => assignForm.submit()}
        confirmLoading={act.isPending}
        destroyOnHidden
      >
        <Form
          form={assignForm}
          layout="vertical"
          onFinish={(v) => act.mutate({ id: assigning!.id, action: 'assign', body: v })}
        >
          <Form.Item name="unitId" label={t('insp.tipoff.assigned')} rules={[{ required: true }]}>
            <UnitTreeSelect />
          </Form.Item>
          <Form.Item name="note" label={t('insp.tipoff.note')}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!closing}
        title={t('insp.tipoff.close')}
        onCancel={() => setClosing(null)}
        onOk={() => closeForm.submit()}
        confirmLoading={act.isPending}
        destroyOnHidden
      >
        <Form
          form={closeForm}
          layout="vertical"
          onFinish={(v) => act.mutate({ id: closing!.id, action: 'close', body: v })}
        >
          <Form.Item name="result" label={t('insp.tipoff.result')} rules={[{ required: true }]}>
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
          <Form.Item name="rewardNote" label={t('insp.tipoff.reward')}>
            <Input maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
