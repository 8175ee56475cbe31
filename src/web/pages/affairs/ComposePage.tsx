import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Form, Input, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../../api';
import { PageHeader } from '../../components/page';
import { fmtTime } from '../../format';
import { ui } from '../../notify';
import { RichEditor } from './RichEditor';
import { type Commission, PIECE_KINDS, type Piece } from './shared';
import './affairs.css';
import './strings';

interface Values {
  title: string;
  kind: string;
  eventDate?: Dayjs | null;
  commissionId?: string | null;
  body: string;
}

/** 写信息: title, kind, the date of what it reports, the commission it answers, the body (paste from Word). */
export default function ComposePage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const [key] = useState(api.newKey());
  const [submitKey] = useState(api.newKey());
  const commissions = useQuery({
    queryKey: ['affairs', 'commissions', 'mine-open'],
    queryFn: () => api.get<{ items: Commission[] }>('/api/affairs/commissions?status=open'),
  });
  const mine = (commissions.data?.items ?? []).filter((c) => c.can.writePiece);
  const m = useMutation({
    mutationFn: async ({ v, submit }: { v: Values; submit: boolean }) => {
      const p = await api.post<Piece>(
        '/api/affairs/pieces',
        {
          title: v.title,
          kind: v.kind,
          body: v.body,
          commissionId: v.commissionId || undefined,
          eventDate: v.eventDate ? v.eventDate.format('YYYY-MM-DD') : undefined,
        },
        { idempotencyKey: key },
      );
      if (submit)
        await api.post<Piece>(`/api/affairs/pieces/${p.id}/submit`, {}, { idempotencyKey: submitKey });
      return { p, submit };
    },
    onSuccess: ({ p, submit }) => {
      ui.message?.success(submit ? t('affairs.compose.submitted') : t('affairs.compose.saved'));
      void qc.invalidateQueries({ queryKey: ['affairs'] });
      nav(`/affairs/pieces/${p.id}`);
    },
  });
  const save = (submit: boolean) => form.validateFields().then((v) => m.mutate({ v, submit }));
  return (
    <>
      <PageHeader title={t('affairs.compose.title')} />
      <Card>
        <Form<Values>
          form={form}
          layout="vertical"
          style={{ maxWidth: 860 }}
          initialValues={{ kind: 'dynamic', commissionId: params.get('commissionId') ?? undefined }}
          data-testid="piece-form"
        >
          <Form.Item
            name="title"
            label={t('affairs.compose.pieceTitle')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={300} />
          </Form.Item>
          <Space wrap size={16} style={{ width: '100%' }}>
            <Form.Item name="kind" label={t('affairs.compose.kind')} rules={[{ required: true }]}>
              <Select
                style={{ width: 160 }}
                options={PIECE_KINDS.map((k) => ({ value: k, label: t(`affairs.kind.${k}`) }))}
              />
            </Form.Item>
            <Form.Item name="eventDate" label={t('affairs.compose.eventDate')}>
              <DatePicker style={{ width: 180 }} />
            </Form.Item>
          </Space>
          <Form.Item name="commissionId" label={t('affairs.compose.commission')}>
            <Select
              allowClear
              style={{ maxWidth: 520 }}
              data-testid="piece-commission"
              options={mine.map((c) => ({ value: c.id, label: `${c.title}（${fmtTime(c.dueAt)}）` }))}
            />
          </Form.Item>
          <Form.Item
            name="body"
            label={t('affairs.compose.body')}
            extra={t('affairs.compose.bodyHint')}
            rules={[{ required: true, message: t('affairs.compose.body') }]}
          >
            <RichEditor />
          </Form.Item>
          <Space wrap>
            <Button onClick={() => void save(false)} loading={m.isPending} data-testid="piece-save">
              {t('affairs.compose.save')}
            </Button>
            <Button
              type="primary"
              onClick={() => void save(true)}
              loading={m.isPending}
              data-testid="piece-save-submit"
            >
              {t('affairs.compose.saveSubmit')}
            </Button>
          </Space>
        </Form>
      </Card>
    </>
  );
}
