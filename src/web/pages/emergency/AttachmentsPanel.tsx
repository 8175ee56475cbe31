import { DownloadOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Space, Upload } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, type List } from '../../api';
import { fmtTime } from '../../format';
import { showError, ui } from '../../notify';
import './strings';

interface Attachment {
  id: string;
  reportId: string;
  filename: string;
  mime: string;
  size: number;
  at: string;
}

function fmtSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Photos and documents on a report: the list for everyone who sees it; upload for the report's own unit. */
export function AttachmentsPanel({
  reportId,
  eventId,
  canUpload,
}: {
  reportId: string;
  eventId: string;
  canUpload: boolean;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['attachments', reportId],
    queryFn: () => api.get<List<Attachment>>(`/api/reports/${reportId}/attachments`),
  });
  const upload = useMutation({
    mutationFn: (file: File) => {
      const fd = new FormData();
      fd.append('file', file, file.name);
      return api.upload<Attachment>(`/api/reports/${reportId}/attachments`, fd);
    },
    onSuccess: (a) => {
      ui.message?.success(t('att.uploadedOk', { name: a.filename }));
      void qc.invalidateQueries({ queryKey: ['attachments', reportId] });
      void qc.invalidateQueries({ queryKey: ['timeline', eventId] });
    },
  });
  const items = q.data?.items ?? [];
  if (!items.length && !canUpload) return null;
  return (
    <div className="report-attachments" data-testid={`attachments-${reportId}`}>
      <Space size={[8, 4]} wrap align="center">
        <span className="muted">
          <PaperClipOutlined /> {t('att.label')}
        </span>
        {items.length ? null : <span className="muted">{t('att.empty')}</span>}
        {items.map((a) => (
          <Button
            key={a.id}
            size="small"
            type="link"
            icon={<DownloadOutlined />}
            title={`${fmtTime(a.at)} · ${fmtSize(a.size)}`}
            onClick={() => api.download(`/api/attachments/${a.id}`, a.filename).catch(showError)}
            style={{ paddingInline: 2 }}
          >
            {a.filename} <span className="muted">({fmtSize(a.size)})</span>
          </Button>
        ))}
        {canUpload ? (
          <Upload
            showUploadList={false}
            multiple
            beforeUpload={(file) => {
              upload.mutate(file as File);
              return false;
            }}
          >
            <Button size="small" icon={<UploadOutlined />} loading={upload.isPending}>
              {t('att.upload')}
            </Button>
          </Upload>
        ) : null}
      </Space>
    </div>
  );
}
