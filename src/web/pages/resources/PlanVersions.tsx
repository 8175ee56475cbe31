import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Input, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type List } from '../../api';
import { fmtTime } from '../../format';
import { ui } from '../../notify';
import type { Plan } from './shared';

interface Version {
  version: number;
  status: 'draft' | 'review' | 'published';
  inForce: boolean;
  note: string | null;
  createdByName: string | null;
  createdAt: string;
  publishedAt: string | null;
}

const COLORS = { draft: 'default', review: 'processing', published: 'success' } as const;

/** A plan's versions: the keepers draft a revision and send it to review; the area's leaders publish it. */
export function PlanVersions({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [revising, setRevising] = useState(false);
  const [note, setNote] = useState('');
  const q = useQuery({
    queryKey: ['plans', 'versions', plan.id],
    queryFn: () => api.get<List<Version>>(`/api/plans/${plan.id}/versions`),
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['plans'] });
  const step = useMutation({
    mutationFn: (v: { version: number; action: 'submit' | 'publish' }) =>
      api.post(`/api/plans/${plan.id}/revisions/${v.version}/${v.action}`, {}),
    onSuccess: refresh,
  });
  const revise = useMutation({
    mutationFn: () => api.post(`/api/plans/${plan.id}/revisions`, { note: note || undefined }),
    onSuccess: () => {
      ui.message?.success(t('res.plans.revised'));
      setRevising(false);
      refresh();
    },
  });
  const open = (q.data?.items ?? []).some((v) => v.status !== 'published');
  return (
    <Card
      size="small"
      style={{ marginTop: 16 }}
      title={t('res.plans.versions')}
      data-testid="plan-versions"
      extra={
        plan.can.edit && !open ? (
          <Button size="small" onClick={() => setRevising(true)}>
            {t('res.plans.revise')}
          </Button>
        ) : null
      }
    >
      {(q.data?.items ?? []).map((v) => (
        <div key={v.version} style={{ padding: '4px 0' }}>
          <Space wrap size={6}>
            <strong>{t('res.plans.versionN', { v: v.version })}</strong>
            <Tag color={COLORS[v.status]}>{t(`res.plans.vstatus.${v.status}`)}</Tag>
            {v.inForce ? <Tag color="red">{t('res.plans.inForce')}</Tag> : null}
            <span className="muted">
              {fmtTime(v.publishedAt ?? v.createdAt)} {v.createdByName ?? ''}
            </span>
            {v.status === 'draft' && plan.can.edit ? (
              <Button size="small" onClick={() => step.mutate({ version: v.version, action: 'submit' })}>
                {t('res.plans.submit')}
              </Button>
            ) : null}
            {v.status === 'review' && plan.can.publish ? (
              <Button
                size="small"
                type="primary"
                onClick={() => step.mutate({ version: v.version, action: 'publish' })}
              >
                {t('res.plans.publish')}
              </Button>
            ) : null}
          </Space>
          {v.note ? <div className="muted">{v.note}</div> : null}
        </div>
      ))}
      <Modal
        open={revising}
        title={t('res.plans.revise')}
        onCancel={() => setRevising(false)}
        onOk={() => revise.mutate()}
        confirmLoading={revise.isPending}
      >
        <Typography.Paragraph type="secondary">{t('res.plans.reviseHelp')}</Typography.Paragraph>
        <Input.TextArea
          rows={3}
          maxLength={4000}
          placeholder={t('res.plans.reviseNote')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </Modal>
    </Card>
  );
}
