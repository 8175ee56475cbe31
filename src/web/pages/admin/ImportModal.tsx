import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Result, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api } from '../../api';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { ui } from '../../notify';

interface RowError {
  key: number;
  row: number;
  column?: string;
  field?: string;
  message: string;
}

/** Whatever shape the server reports row errors in: [{row, message}] under errors / rows / details. */
function rowErrorsOf(x: any): RowError[] {
  const list = x?.errors ?? x?.details?.errors ?? x?.rowErrors ?? x?.details?.rows ?? [];
  if (!Array.isArray(list)) return [];
  return list.map((e: any, i: number) => ({
    key: i,
    row: Number(e.row ?? e.rowNumber ?? e.line ?? 0),
    column: e.column ?? e.header,
    field: e.field,
    message: String(e.message ?? e.error ?? e.code ?? ''),
  }));
}

/** Excel import: upload the file, show the per-row errors or what was created. */
export function ImportModal({
  open,
  onClose,
  title,
  uploadPath,
  templatePath,
  templateName,
  onDone,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  uploadPath: string;
  templatePath?: string;
  templateName?: string;
  onDone?: () => void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<any>(null);
  const [errors, setErrors] = useState<RowError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);

  const reset = () => {
    setResult(null);
    setErrors([]);
    setFailure(null);
  };

  const upload = async (file: File) => {
    reset();
    setBusy(true);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      const r = await api.upload<any>(uploadPath, form);
      setResult(r ?? {});
      setErrors(rowErrorsOf(r));
      onDone?.();
    } catch (e) {
      const err = e as ApiError;
      setFailure(err.message);
      setErrors(rowErrorsOf(err));
    } finally {
      setBusy(false);
    }
  };

  const counts = result
    ? ['rows', 'created', 'updated', 'unchanged', 'skipped']
        .filter((k) => typeof result[k] === 'number')
        .map((k) => t(`import.${k}`, { n: result[k] }))
        .join('，')
    : '';

  return (
    <Modal
      open={open}
      title={title}
      onCancel={() => {
        reset();
        onClose();
      }}
      footer={
        <Button
          type="primary"
          onClick={() => {
            reset();
            onClose();
          }}
        >
          {t('common.close')}
        </Button>
      }
      width={720}
      destroyOnHidden
    >
      <Upload.Dragger
        accept=".xlsx"
        multiple={false}
        showUploadList={false}
        disabled={busy}
        beforeUpload={(f) => {
          void upload(f as File);
          return false;
        }}
        data-testid="import-dragger"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{busy ? t('import.uploading') : t('import.drop')}</p>
        <p className="ant-upload-hint">{t('import.hint')}</p>
      </Upload.Dragger>
      {templatePath ? (
        <Button
          type="link"
          icon={<DownloadOutlined />}
          style={{ paddingLeft: 0, marginTop: 8 }}
          onClick={() =>
            api
              .download(templatePath, templateName ?? 'template.xlsx')
              .catch((e) => ui.message?.error(e.message))
          }
        >
          {t('import.template')}
        </Button>
      ) : null}
      {failure ? (
        <Alert type="error" showIcon title={failure} style={{ marginTop: 12 }} data-testid="import-failure" />
      ) : null}
      {result && !errors.length ? (
        <Result status="success" title={t('import.ok')} subTitle={counts} data-testid="import-ok" />
      ) : null}
      {result && errors.length ? (
        <Alert
          type="warning"
          showIcon
          title={t('import.partial', { n: errors.length })}
          description={counts}
          style={{ marginTop: 12 }}
        />
      ) : null}
      {errors.length ? (
        <ResponsiveTable<RowError>
          data-testid="import-errors"
          style={{ marginTop: 12 }}
          size="small"
          rowKey="key"
          dataSource={errors}
          pagination={errors.length > 10 ? { pageSize: 10 } : false}
          columns={[
            {
              title: t('import.row'),
              dataIndex: 'row',
              width: 80,
              render: (r) => t('import.rowN', { n: r }),
            },
            {
              title: t('import.column'),
              dataIndex: 'column',
              width: 140,
              render: (c, r) => c ?? r.field ?? '—',
            },
            { title: t('import.error'), dataIndex: 'message' },
          ]}
        />
      ) : null}
    </Modal>
  );
}
