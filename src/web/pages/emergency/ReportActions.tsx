import {
  CheckOutlined,
  EditOutlined,
  FileDoneOutlined,
  RollbackOutlined,
  SendOutlined,
} from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api';
import { ui } from '../../notify';
import type { Report } from '../../types';
import { ApproveDialog } from './ApproveDialog';

function useRefresh() {
  const qc = useQueryClient();
  return (eventId?: string) => {
    void qc.invalidateQueries({ queryKey: ['reports'] });
    void qc.invalidateQueries({ queryKey: ['events'] });
    void qc.invalidateQueries({ queryKey: ['intake'] });
    if (eventId) {
      void qc.invalidateQueries({ queryKey: ['event', eventId] });
      void qc.invalidateQueries({ queryKey: ['timeline', eventId] });
    }
  };
}

/** 审签 / 退回 / 补签 / 提交 buttons for a report, as its state and the user's rights allow. */
export function ReportActions({
  report,
  canApprove,
  canCountersign,
  size = 'small',
  onApprove,
}: {
  report: Pick<Report, 'id' | 'eventId' | 'status' | 'fastTrack'>;
  canApprove?: boolean;
  canCountersign?: boolean;
  size?: 'small' | 'middle';
  /** a list hosts the approval dialog itself, so it stays open while the row leaves and comes back */
  onApprove?: () => void;
}) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const refresh = useRefresh();
  const [approving, setApproving] = useState(false);
  const [returning, setReturning] = useState(false);

  const approved = (r: Report) => {
    ui.message?.success(r.status === 'sent' ? t('inbox.approvedSent') : t('inbox.approvedNext'));
    setApproving(false);
    refresh(report.eventId);
  };
  const ret = useMutation({
    mutationFn: (reason: string) => api.post<Report>(`/api/reports/${report.id}/return`, { reason }),
    onSuccess: () => {
      ui.message?.success(t('inbox.returnedOk'));
      setReturning(false);
      refresh(report.eventId);
    },
  });
  const countersign = useMutation({
    mutationFn: () => api.post<Report>(`/api/reports/${report.id}/countersign`, {}),
    onSuccess: () => {
      ui.message?.success(t('inbox.countersignedOk'));
      refresh(report.eventId);
    },
  });
  const submit = useMutation({
    mutationFn: () => api.post<Report>(`/api/reports/${report.id}/submit`, { fastTrack: !!report.fastTrack }),
    onSuccess: (r) => {
      ui.message?.success(r.status === 'sent' ? t('report.sentOk') : t('report.submittedOk'));
      refresh(report.eventId);
    },
  });

  return (
    <Space size={4} wrap>
      {report.status === 'awaiting_approval' && canApprove ? (
        <>
          <Button
            type="primary"
            size={size}
            icon={<CheckOutlined />}
            onClick={() => (onApprove ? onApprove() : setApproving(true))}
            data-testid={`approve-${report.id}`}
          >
            {t('inbox.approve')}
          </Button>
          <Button size={size} danger icon={<RollbackOutlined />} onClick={() => setReturning(true)}>
            {t('inbox.return')}
          </Button>
        </>
      ) : null}
      {canCountersign ? (
        <Button
          size={size}
          icon={<FileDoneOutlined />}
          loading={countersign.isPending}
          onClick={() => countersign.mutate()}
        >
          {t('inbox.countersign')}
        </Button>
      ) : null}
      {report.status === 'draft' || report.status === 'returned' ? (
        <>
          <Button size={size} icon={<EditOutlined />} onClick={() => nav(`/reports/${report.id}/edit`)}>
            {t('common.edit')}
          </Button>
          <Button
            size={size}
            type="primary"
            icon={<SendOutlined />}
            loading={submit.isPending}
            onClick={() => submit.mutate()}
            data-testid={`submit-${report.id}`}
          >
            {report.fastTrack ? t('report.sendNow') : t('report.submitForApproval')}
          </Button>
        </>
      ) : null}
      {approving ? (
        <ApproveDialog
          report={report}
          open={approving}
          onClose={() => setApproving(false)}
          onApproved={approved}
        />
      ) : null}
      <ReturnModal
        open={returning}
        loading={ret.isPending}
        onCancel={() => setReturning(false)}
        onOk={(reason) => ret.mutate(reason)}
      />
    </Space>
  );
}

function ReturnModal({
  open,
  loading,
  onCancel,
  onOk,
}: {
  open: boolean;
  loading: boolean;
  onCancel: () => void;
  onOk: (reason: string) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Modal
      open={open}
      title={t('inbox.returnTitle')}
      okText={t('inbox.returnOk')}
      okButtonProps={{ danger: true }}
      onCancel={onCancel}
      onOk={() => form.submit()}
      confirmLoading={loading}
      destroyOnHidden
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={(v) => onOk(v.reason.trim())}>
        <Form.Item
          name="reason"
          label={t('inbox.returnReason')}
          rules={[{ required: true, whitespace: true, message: t('inbox.returnReasonRequired') }]}
        >
          <Input.TextArea autoSize={{ minRows: 3 }} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
