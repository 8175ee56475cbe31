import { CameraOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, Descriptions, Empty, Form, Image, Input, List, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { api } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { fmtTime } from '../../format';
import { ui } from '../../notify';
import { type HazardSource, WatchTag } from './SourcesPage';
import './sources.strings';

interface SourceDetail extends HazardSource {
  checks: Array<{
    id: string;
    at: string;
    note: string | null;
    abnormal: boolean;
    userName: string;
    photoUrl: string | null;
  }>;
  readings: Array<{
    id: string;
    metric: string;
    value: number;
    unit: string | null;
    at: string;
    alarm: boolean;
  }>;
}

/**
 * One major hazard source: its watch (the next check due, missed ones in red), the check-in button with an optional
 * photo from the camera (phone-first), the check-ins and the monitoring readings.
 */
export default function SourcePage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const qc = useQueryClient();
  const key = ['inspections', 'source', id];
  const q = useQuery({
    queryKey: key,
    queryFn: () => api.get<SourceDetail>(`/api/resources/hazard-sources/${id}`),
  });
  const [form] = Form.useForm();
  const [photo, setPhoto] = useState<File | null>(null);
  const check = useMutation({
    mutationFn: (v: { note?: string; abnormal?: boolean }) => {
      const url = `/api/resources/hazard-sources/${id}/checks`;
      if (!photo) return api.post<SourceDetail>(url, { note: v.note || null, abnormal: !!v.abnormal });
      const fd = new FormData();
      if (v.note) fd.append('note', v.note);
      fd.append('abnormal', v.abnormal ? 'true' : 'false');
      fd.append('photo', photo, photo.name);
      return api.upload<SourceDetail>(url, fd);
    },
    onSuccess: (s) => {
      qc.setQueryData(key, s);
      void qc.invalidateQueries({ queryKey: ['inspections', 'sources'] });
      form.resetFields();
      setPhoto(null);
      ui.message?.success(t('insp.src.checked'));
    },
  });
  const s = q.data;
  return (
    <>
      <PageHeader title={t('insp.nav.source')} tag={s ? <WatchTag s={s} /> : null} />
      <QueryState loading={q.isLoading} error={q.error}>
        {s ? (
          <>
            <div
              className="source-name"
              data-testid="source-name"
              style={{ fontSize: 18, fontWeight: 600, marginBottom: 12 }}
            >
              {s.name}
              <div style={{ fontSize: 13, fontWeight: 400, color: 'rgba(0,0,0,0.55)' }}>
                {s.place} · {s.unitName}
              </div>
            </div>
            {s.can.checkSource ? (
              <Card title={t('insp.src.checkIn')} style={{ marginBottom: 16 }}>
                <Form form={form} layout="vertical" onFinish={(v) => check.mutate(v)}>
                  <Form.Item name="note" label={t('insp.src.note')}>
                    <Input.TextArea rows={2} maxLength={2000} data-testid="check-note" />
                  </Form.Item>
                  <Form.Item name="abnormal" valuePropName="checked">
                    <Checkbox>{t('insp.src.abnormal')}</Checkbox>
                  </Form.Item>
                  <Form.Item label={t('insp.src.photo')}>
                    <label className="ant-btn ant-btn-default" style={{ display: 'inline-flex', gap: 6 }}>
                      <CameraOutlined />
                      <span>{photo ? photo.name : t('insp.tipPhoto.pick')}</span>
                      <input
                        type="file"
                        accept="image/*"
                        capture="environment"
                        data-testid="check-photo"
                        style={{ display: 'none' }}
                        onChange={(e) => setPhoto(e.target.files?.[0] ?? null)}
                      />
                    </label>
                  </Form.Item>
                  <Button
                    type="primary"
                    size="large"
                    block
                    icon={<CheckCircleOutlined />}
                    htmlType="submit"
                    loading={check.isPending}
                    data-testid="check-in"
                  >
                    {t('insp.src.checkIn')}
                  </Button>
                </Form>
              </Card>
            ) : null}
            <Card style={{ marginBottom: 16 }}>
              <Descriptions column={{ xs: 1, md: 2 }} size="small">
                <Descriptions.Item label={t('insp.src.next')}>
                  <span data-testid="next-check">{fmtTime(s.nextCheckBy)}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('insp.src.last')}>{fmtTime(s.lastCheckAt)}</Descriptions.Item>
                <Descriptions.Item label={t('insp.src.every')}>{s.checkEveryMinutes}</Descriptions.Item>
                <Descriptions.Item label={t('insp.src.missedCount')}>{s.missedCount}</Descriptions.Item>
                <Descriptions.Item label={t('insp.src.unit')}>{s.unitName}</Descriptions.Item>
                <Descriptions.Item label={t('insp.src.area')}>{s.areaName}</Descriptions.Item>
                <Descriptions.Item label={t('insp.src.place')}>{s.place}</Descriptions.Item>
                <Descriptions.Item label={t('insp.src.level')}>{s.level ?? '—'}</Descriptions.Item>
                {s.lng != null && s.lat != null ? (
                  <Descriptions.Item label={`${t('insp.src.lng')} / ${t('insp.src.lat')}`}>
                    {s.lng}, {s.lat}
                  </Descriptions.Item>
                ) : null}
                <Descriptions.Item label={t('insp.src.description')} span={2}>
                  <span style={{ whiteSpace: 'pre-wrap' }}>{s.description ?? '—'}</span>
                </Descriptions.Item>
              </Descriptions>
            </Card>
            <Card title={t('insp.src.checks')} style={{ marginBottom: 16 }}>
              {s.checks.length ? (
                <List
                  size="small"
                  dataSource={s.checks}
                  data-testid="checks"
                  renderItem={(c) => (
                    <List.Item
                      extra={
                        c.photoUrl ? (
                          <Image
                            width={72}
                            height={54}
                            style={{ objectFit: 'cover' }}
                            src={c.photoUrl}
                            alt=""
                          />
                        ) : null
                      }
                    >
                      <Space direction="vertical" size={0}>
                        <span>
                          {fmtTime(c.at)} · {c.userName}{' '}
                          {c.abnormal ? <Tag color="error">{t('insp.src.abnormal')}</Tag> : null}
                        </span>
                        {c.note ? <span style={{ whiteSpace: 'pre-wrap' }}>{c.note}</span> : null}
                      </Space>
                    </List.Item>
                  )}
                />
              ) : (
                <Empty description={t('insp.src.noChecks')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
              )}
            </Card>
            <Card title={t('insp.src.readings')}>
              {s.readings.length ? (
                <List
                  size="small"
                  dataSource={s.readings}
                  renderItem={(r) => (
                    <List.Item>
                      <span>
                        {fmtTime(r.at)} · {r.metric}：<b>{r.value}</b>
                        {r.unit ?? ''} {r.alarm ? <Tag color="error">{t('insp.src.alarm')}</Tag> : null}
                      </span>
                    </List.Item>
                  )}
                />
              ) : (
                <Empty description={t('insp.src.noReadings')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
              )}
            </Card>
          </>
        ) : null}
      </QueryState>
    </>
  );
}
