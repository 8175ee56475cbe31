import { CameraOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Segmented, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api';
import { fmtTime } from '../../format';
import { type Lang, setLang } from '../../i18n';
import './strings';
import './sources.strings';

/** Photos from the phone's camera, added by the receipt right after the tip-off (a separate upload each). */
function TipoffPhotos({ receipt }: { receipt: string }) {
  const { t } = useTranslation();
  const [count, setCount] = useState(0);
  const upload = useMutation({
    mutationFn: (f: File) => {
      const fd = new FormData();
      fd.append('file', f, f.name);
      return api.upload<{ photos: number }>(`/api/public/tipoffs/${encodeURIComponent(receipt)}/photos`, fd);
    },
    onSuccess: (r) => setCount(r.photos),
  });
  return (
    <div className="tipoff-photos" style={{ marginTop: 12 }}>
      <div className="receipt-label">{t('insp.tipPhoto.title')}</div>
      <p className="public-muted">{t('insp.tipPhoto.hint')}</p>
      {count < 5 ? (
        <label
          className="ant-btn ant-btn-default ant-btn-block"
          style={{ display: 'flex', justifyContent: 'center', gap: 6 }}
        >
          <CameraOutlined />
          <span>{t('insp.tipPhoto.pick')}</span>
          <input
            type="file"
            accept="image/*"
            capture="environment"
            data-testid="tipoff-photo"
            style={{ display: 'none' }}
            disabled={upload.isPending}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) upload.mutate(f);
              e.target.value = '';
            }}
          />
        </label>
      ) : null}
      {count ? (
        <Alert
          style={{ marginTop: 8 }}
          type="success"
          showIcon
          data-testid="tipoff-photo-count"
          title={t('insp.tipPhoto.added', { n: count })}
        />
      ) : null}
    </div>
  );
}

const COLOR = { received: 'blue', investigating: 'orange', closed: 'green' } as const;
type Status = { status: keyof typeof COLOR; updatedAt: string };

/**
 * 举报 — the public page, no sign-in, phone-first: the tip-off form, the receipt shown large once sent, and the
 * status look-up by receipt. Nothing here asks who the visitor is.
 */
export default function PublicTipoffPage() {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm();
  const [receipt, setReceipt] = useState<string | null>(null);
  const [lookupValue, setLookupValue] = useState('');
  const areas = useQuery({
    queryKey: ['public', 'tipoff-areas'],
    queryFn: () =>
      api.get<{ items: { code: string; name: string; level: string | null }[] }>('/api/public/tipoff-areas'),
    staleTime: 60 * 60_000,
  });
  const send = useMutation({
    mutationFn: (v: any) =>
      api.post<{ receipt: string }>('/api/public/tipoffs', {
        text: v.text,
        place: v.place || null,
        contact: v.contact || null,
        divisionCode: v.divisionCode || null,
      }),
    onSuccess: (r) => {
      setReceipt(r.receipt);
      form.resetFields();
      window.scrollTo({ top: 0 });
    },
  });
  const lookup = useMutation({
    meta: { silent: true },
    mutationFn: (r: string) => api.get<Status>(`/api/public/tipoffs/${encodeURIComponent(r.trim())}`),
  });
  const notFound = lookup.error instanceof ApiError && lookup.error.status === 404;
  return (
    <div className="public-page">
      <header className="public-header">
        <span className="public-brand">{t('insp.pub.title')}</span>
        <Segmented
          size="small"
          className="lang-switch"
          value={i18n.language === 'en' ? 'en' : 'zh-CN'}
          onChange={(v) => setLang(v as Lang)}
          options={[
            { label: '中文', value: 'zh-CN' },
            { label: 'EN', value: 'en' },
          ]}
        />
      </header>
      <main className="public-main">
        <div className="page-header">
          <h1 className="page-title">{t('insp.pub.title')}</h1>
        </div>
        {receipt ? (
          <Card className="public-card" data-testid="receipt-card">
            <div className="receipt-label">{t('insp.pub.receipt')}</div>
            <div className="receipt" data-testid="receipt">
              {receipt}
            </div>
            <Alert type="info" showIcon title={t('insp.pub.receiptHint')} />
            <TipoffPhotos receipt={receipt} />
            <Button block style={{ marginTop: 12 }} onClick={() => setReceipt(null)}>
              {t('insp.pub.again')}
            </Button>
          </Card>
        ) : (
          <Card className="public-card">
            <p className="public-intro">{t('insp.pub.intro')}</p>
            <Form form={form} layout="vertical" onFinish={(v) => send.mutate(v)}>
              <Form.Item name="divisionCode" label={t('insp.pub.area')}>
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={t('insp.pub.areaPick')}
                  options={(areas.data?.items ?? []).map((a) => ({ value: a.code, label: a.name }))}
                />
              </Form.Item>
              <Form.Item name="text" label={t('insp.pub.text')} rules={[{ required: true }]}>
                <Input.TextArea
                  rows={5}
                  maxLength={5000}
                  placeholder={t('insp.pub.textHint')}
                  data-testid="tipoff-text"
                />
              </Form.Item>
              <Form.Item name="place" label={t('insp.pub.place')}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="contact" label={t('insp.pub.contact')}>
                <Input maxLength={200} inputMode="tel" />
              </Form.Item>
              <Button
                type="primary"
                htmlType="submit"
                block
                size="large"
                loading={send.isPending}
                data-testid="tipoff-send"
              >
                {t('insp.pub.send')}
              </Button>
            </Form>
          </Card>
        )}
        <Card className="public-card" title={t('insp.pub.lookup')}>
          <Space.Compact style={{ width: '100%' }}>
            <Input
              value={lookupValue}
              onChange={(e) => setLookupValue(e.target.value)}
              placeholder="XXXX-XXXX-XXXX-XXXX"
              aria-label={t('insp.pub.receiptInput')}
              data-testid="lookup-input"
              onPressEnter={() => lookupValue.trim() && lookup.mutate(lookupValue)}
            />
            <Button
              type="primary"
              onClick={() => lookupValue.trim() && lookup.mutate(lookupValue)}
              loading={lookup.isPending}
              data-testid="lookup-submit"
            >
              {t('insp.pub.query')}
            </Button>
          </Space.Compact>
          {lookup.data ? (
            <div style={{ marginTop: 12 }} data-testid="lookup-result">
              {t('insp.pub.status')}：
              <Tag color={COLOR[lookup.data.status]}>{t(`insp.tipoff.st.${lookup.data.status}`)}</Tag>
              <span className="public-muted">
                {t('insp.pub.updatedAt')} {fmtTime(lookup.data.updatedAt)}
              </span>
            </div>
          ) : null}
          {notFound ? (
            <Alert style={{ marginTop: 12 }} type="warning" showIcon title={t('insp.pub.notFound')} />
          ) : null}
          {lookup.error && !notFound ? (
            <Alert style={{ marginTop: 12 }} type="error" showIcon title={(lookup.error as Error).message} />
          ) : null}
        </Card>
      </main>
    </div>
  );
}
