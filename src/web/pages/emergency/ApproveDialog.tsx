import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Descriptions, Divider, Form, Input, Modal, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api';
import { fmtTime } from '../../format';
import { showError, ui } from '../../notify';
import type { Casualties, Elements, Report } from '../../types';
import { ELEMENT_KEYS } from '../../types';
import { AttachmentsPanel } from './AttachmentsPanel';
import { CasualtiesText, ElementsView } from './shared';
import './calls.strings';

type Version = {
  version: number;
  elements: Elements;
  pendingElements?: Record<string, string>;
  note?: string;
};
type ReportWithVersions = Report & { versions?: Version[] };

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** What changed from `before` to `after`, element by element. */
export function elementChanges(before: Elements, after: Elements) {
  return ELEMENT_KEYS.filter((k) => !same(before?.[k as keyof Elements], after?.[k as keyof Elements])).map(
    (k) => ({ key: k, before: before?.[k as keyof Elements], after: after?.[k as keyof Elements] }),
  );
}

function Value({ k, v }: { k: string; v: unknown }) {
  if (v === undefined || v === null || v === '') return <>—</>;
  if (k === 'occurredAt' && typeof v === 'string') return <>{fmtTime(v)}</>;
  if (k === 'casualties') return <CasualtiesText c={v as Partial<Casualties>} />;
  return <>{String(v)}</>;
}

/**
 * 审签 dialog: the report as it is now (elements, attachments, what changed since the previous version); the
 * approval carries the version read, and a report changed in the meantime is reloaded, not approved.
 */
export function ApproveDialog({
  report,
  open,
  onClose,
  onApproved,
}: {
  report: Pick<Report, 'id' | 'eventId'>;
  open: boolean;
  onClose: () => void;
  onApproved: (r: Report) => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ comment?: string }>();
  const [changed, setChanged] = useState(false);
  const q = useQuery({
    queryKey: ['report', report.id],
    queryFn: () => api.get<ReportWithVersions>(`/api/reports/${report.id}`),
    enabled: open,
    staleTime: 0,
  });
  const r = q.data;
  const approve = useMutation({
    meta: { silent: true },
    mutationFn: (comment?: string) =>
      api.post<Report>(`/api/reports/${report.id}/approve`, {
        comment: comment || null,
        version: r?.version,
      }),
    onSuccess: (res) => {
      setChanged(false);
      onApproved(res);
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'report_changed') {
        setChanged(true);
        ui.message?.warning(t('approveDialog.changed'));
        void qc.invalidateQueries({ queryKey: ['report', report.id] });
        return;
      }
      showError(e);
    },
  });
  const versions = (r?.versions ?? []).filter((v) => v.version < (r?.version ?? 0));
  const prev = [...versions].reverse().find((v) => !same(v.elements, r?.elements));
  const changes = r && prev ? elementChanges(prev.elements, r.elements) : [];
  return (
    <Modal
      open={open}
      title={
        <>
          {t('inbox.approveTitle')}
          {r?.version ? (
            <Tag style={{ marginLeft: 8 }} data-testid="approve-version">
              {t('approveDialog.version', { v: r.version })}
            </Tag>
          ) : null}
        </>
      }
      okText={t('inbox.approveOk')}
      onCancel={() => {
        setChanged(false);
        onClose();
      }}
      onOk={() => approve.mutate(form.getFieldValue('comment'))}
      okButtonProps={{ disabled: !r || q.isFetching }}
      confirmLoading={approve.isPending}
      destroyOnHidden
      forceRender
      width={720}
    >
      {changed ? (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('approveDialog.changed')} />
      ) : null}
      {r ? (
        <div data-testid="approve-dialog-report">
          <ElementsView report={r} />
          <Divider titlePlacement="start" plain>
            {t('approveDialog.changes')}
          </Divider>
          {!prev ? (
            <Typography.Text type="secondary">
              {versions.length ? t('approveDialog.noChanges') : t('approveDialog.firstVersion')}
            </Typography.Text>
          ) : (
            <Descriptions size="small" column={1} bordered data-testid="approve-changes">
              {changes.map((c) => (
                <Descriptions.Item key={c.key} label={t(`element.${c.key}`)}>
                  <Typography.Text delete type="secondary">
                    <Value k={c.key} v={c.before} />
                  </Typography.Text>
                  <br />
                  <Value k={c.key} v={c.after} />
                </Descriptions.Item>
              ))}
            </Descriptions>
          )}
          <Divider titlePlacement="start" plain>
            {t('approveDialog.attachments')}
          </Divider>
          <AttachmentsPanel reportId={r.id} eventId={r.eventId} canUpload={false} />
        </div>
      ) : null}
      <Form form={form} layout="vertical" style={{ marginTop: 12 }}>
        <Form.Item name="comment" label={t('inbox.comment')}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} placeholder={t('inbox.commentPh')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
