import { SaveOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ReportStatusTag } from '../../components/tags';
import { ui } from '../../notify';
import type { EventItem, Report } from '../../types';
import { type ComposerValues, composerInitial, composerToBody, ReportComposer } from './ReportComposer';
import { useReportLabel } from './shared';

/** Edit a draft or a returned report, then submit it again. */
export default function ReportEditPage() {
  const { id } = useParams<{ id: string }>();
  const { t } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const label = useReportLabel();
  const [form] = Form.useForm<ComposerValues>();
  const [fastTrack, setFastTrack] = useState(false);
  const q = useQuery({
    queryKey: ['report', id],
    queryFn: () => api.get<Report>(`/api/reports/${id}`),
    enabled: !!id,
  });
  const r = q.data;
  const ev = useQuery({
    queryKey: ['event', r?.eventId],
    queryFn: () => api.get<EventItem>(`/api/events/${r!.eventId}`),
    enabled: !!r?.eventId,
  });
  useEffect(() => {
    if (!r) return;
    form.setFieldsValue(composerInitial(r.elements, r.pendingElements));
    setFastTrack(!!r.fastTrack);
  }, [r, form]);

  const save = useMutation({
    mutationFn: async (submit: boolean) => {
      const v = await form.validateFields();
      const body = composerToBody(r!.kind, v);
      let out = await api.patch<Report>(`/api/reports/${r!.id}`, { ...body, fastTrack });
      if (submit) out = await api.post<Report>(`/api/reports/${r!.id}/submit`, { fastTrack });
      return out;
    },
    onSuccess: (out) => {
      void qc.invalidateQueries({ queryKey: ['reports'] });
      void qc.invalidateQueries({ queryKey: ['report', id] });
      void qc.invalidateQueries({ queryKey: ['event', out.eventId] });
      ui.message?.success(
        out.status === 'sent'
          ? t('report.sentOk')
          : out.status === 'awaiting_approval'
            ? t('report.submittedOk')
            : t('common.saved'),
      );
      nav(`/events/${out.eventId}`);
    },
  });

  return (
    <>
      <PageHeader
        title={r ? `${t('nav.reportEdit')} · ${label(r)}` : t('nav.reportEdit')}
        subtitle={ev.data?.title}
        tag={r ? <ReportStatusTag status={r.status} /> : null}
      />
      <Card>
        <QueryState loading={q.isLoading} error={q.error}>
          {r ? (
            <>
              {r.status === 'returned' && r.returnReason ? (
                <Alert
                  type="warning"
                  showIcon
                  title={t('inbox.returnedBecause', { reason: r.returnReason })}
                  style={{ marginBottom: 16 }}
                />
              ) : null}
              {r.status !== 'draft' && r.status !== 'returned' ? (
                <Alert type="info" showIcon title={t('compose.notEditable')} style={{ marginBottom: 16 }} />
              ) : null}
              <Form form={form} layout="vertical">
                <ReportComposer form={form} kind={r.kind} showCorrection={!!r.contradictions?.length} />
              </Form>
              <Space wrap>
                <Checkbox checked={fastTrack} onChange={(e) => setFastTrack(e.target.checked)}>
                  {t('report.fastTrack')}
                </Checkbox>
                <Button
                  icon={<SaveOutlined />}
                  loading={save.isPending && save.variables === false}
                  onClick={() => save.mutate(false)}
                >
                  {t('common.save')}
                </Button>
                <Button
                  type="primary"
                  danger={fastTrack}
                  icon={<SendOutlined />}
                  loading={save.isPending && save.variables === true}
                  onClick={() => save.mutate(true)}
                  disabled={r.status !== 'draft' && r.status !== 'returned'}
                >
                  {fastTrack ? t('report.sendNow') : t('report.submitForApproval')}
                </Button>
              </Space>
            </>
          ) : null}
        </QueryState>
      </Card>
    </>
  );
}
