import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Descriptions, Empty, Form, Image, Input, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { fmtTime, wallToIso } from '../../format';
import { ui } from '../../notify';
import './sources.strings';
import '../tasks/strings';
import { endOfDay, type Hazard, HazardStatus, SeverityTag, uploadPhoto } from './shared';

/** One hazard: what was found, its photos, and the rectify / verify actions the API allows the caller. */
export default function HazardPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const qc = useQueryClient();
  const key = ['inspections', 'hazard', id];
  const q = useQuery({ queryKey: key, queryFn: () => api.get<Hazard>(`/api/inspections/hazards/${id}`) });
  const done = (h: Hazard) => {
    qc.setQueryData(key, h);
    void qc.invalidateQueries({ queryKey: ['inspections', 'hazards'] });
    ui.message?.success(t('insp.hazard.done'));
  };
  const [rectifyForm] = Form.useForm();
  const [verifyForm] = Form.useForm();
  const [sendingBack, setSendingBack] = useState(false);
  const rectify = useMutation({
    mutationFn: (v: any) =>
      api.post<Hazard>(`/api/inspections/hazards/${id}/rectification`, {
        text: v.text,
        ...(v.at ? { at: wallToIso(v.at) } : {}),
      }),
    onSuccess: (h) => {
      rectifyForm.resetFields();
      done(h);
    },
  });
  const verify = useMutation({
    mutationFn: (v: { accepted: boolean; note?: string; rectifyBy?: any }) =>
      api.post<Hazard>(`/api/inspections/hazards/${id}/verify`, {
        accepted: v.accepted,
        note: v.note ?? null,
        rectifyBy: v.rectifyBy ? endOfDay(v.rectifyBy) : null,
      }),
    onSuccess: (h) => {
      verifyForm.resetFields();
      setSendingBack(false);
      done(h);
    },
  });
  const photo = useMutation({
    mutationFn: (f: File) => uploadPhoto(id!, f),
    onSuccess: done,
  });
  const h = q.data;
  return (
    <>
      <PageHeader title={t('insp.nav.hazard')} tag={h ? <HazardStatus h={h} /> : null} />
      <QueryState loading={q.isLoading} error={q.error}>
        {h ? (
          <>
            <Card style={{ marginBottom: 16 }}>
              <Descriptions column={{ xs: 1, md: 2 }} size="small">
                <Descriptions.Item label={t('insp.hazard.place')}>{h.place}</Descriptions.Item>
                <Descriptions.Item label={t('insp.hazard.severity')}>
                  <SeverityTag s={h.severity} />
                </Descriptions.Item>
                <Descriptions.Item label={t('insp.hazard.sector')}>{h.sector}</Descriptions.Item>
                <Descriptions.Item label={t('insp.hazard.campaign')}>
                  {h.campaignTitle ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('insp.hazard.responsible')}>
                  {h.responsibleUnitName}
                </Descriptions.Item>
                <Descriptions.Item label={t('insp.hazard.recording')}>
                  {h.recordingUnitName}
                </Descriptions.Item>
                <Descriptions.Item label={t('insp.hazard.lead')}>{h.leadUnitName ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('insp.hazard.foundAt')}>{fmtTime(h.foundAt)}</Descriptions.Item>
                <Descriptions.Item label={t('insp.hazard.rectifyBy')}>
                  <span data-testid="rectify-by">{fmtTime(h.rectifyBy)}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('insp.hazard.firstRectifyBy')}>
                  {fmtTime(h.firstRectifyBy)}
                </Descriptions.Item>
                <Descriptions.Item label={t('insp.hazard.description')} span={2}>
                  <span style={{ whiteSpace: 'pre-wrap' }}>{h.description}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('insp.hazard.reportedAt')}>
                  {fmtTime(h.reportedAt)}
                </Descriptions.Item>
                <Descriptions.Item label={t('insp.hazard.sentBack')}>{h.sentBackCount}</Descriptions.Item>
                <Descriptions.Item label={t('insp.hazard.rectification')} span={2}>
                  {h.rectificationText ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('insp.hazard.verifyNote')} span={2}>
                  {h.verifyNote ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('insp.hazard.measures')}>
                  {h.measures.length
                    ? h.measures.map((m) => (
                        <Tag key={m} color={m === 'suspend' && h.suspended ? 'red' : undefined}>
                          {t(`insp.hazard.measure.${m}`)}
                        </Tag>
                      ))
                    : '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('insp.hazard.enforcement')}>
                  {h.enforcement
                    ? [h.enforcement.units.map((u) => u.unitName).join('、'), h.enforcement.penalty]
                        .filter(Boolean)
                        .join('；')
                    : '—'}
                </Descriptions.Item>
                {h.supervisedTask ? (
                  <Descriptions.Item label={t('insp.hazard.task')}>
                    <Link to={`/tasks/${h.supervisedTask.id}`} data-testid="hazard-task">
                      {t('insp.hazard.taskLink')}
                    </Link>{' '}
                    <Tag
                      color={
                        h.supervisedTask.status === 'overdue'
                          ? 'error'
                          : h.supervisedTask.status === 'done'
                            ? 'success'
                            : 'processing'
                      }
                    >
                      {t(`tasks.status.${h.supervisedTask.status}`)}
                    </Tag>
                  </Descriptions.Item>
                ) : null}
                {h.closedAt ? (
                  <Descriptions.Item label={t('insp.hazard.closedAt')}>
                    {fmtTime(h.closedAt)}
                  </Descriptions.Item>
                ) : null}
              </Descriptions>
            </Card>
            <Card title={t('insp.hazard.photos')} style={{ marginBottom: 16 }}>
              {h.photos.length ? (
                <Image.PreviewGroup>
                  <Space wrap>
                    {h.photos.map((p) => (
                      <Image
                        key={p.id}
                        width={120}
                        height={90}
                        style={{ objectFit: 'cover' }}
                        src={`/api/inspections/photos/${p.id}`}
                        alt={p.filename}
                      />
                    ))}
                  </Space>
                </Image.PreviewGroup>
              ) : (
                <Empty description={t('insp.hazard.noPhotos')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
              )}
              {h.can.addPhoto && h.status !== 'closed' ? (
                <div style={{ marginTop: 12 }}>
                  <input
                    type="file"
                    accept="image/*"
                    capture="environment"
                    aria-label={t('insp.hazard.addPhoto')}
                    style={{ maxWidth: '100%' }}
                    onChange={(e) => {
                      const f = e.target.files?.[0];
                      if (f) photo.mutate(f);
                      e.target.value = '';
                    }}
                  />
                </div>
              ) : null}
            </Card>
            {h.can.rectify && h.status === 'open' ? (
              <Card title={t('insp.hazard.rectify')} style={{ marginBottom: 16 }}>
                <Form form={rectifyForm} layout="vertical" onFinish={(v) => rectify.mutate(v)}>
                  <Form.Item name="text" label={t('insp.hazard.rectifyText')} rules={[{ required: true }]}>
                    <Input.TextArea rows={3} maxLength={4000} data-testid="rectify-text" />
                  </Form.Item>
                  <Form.Item name="at" label={t('insp.hazard.rectifyAt')}>
                    <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" inputReadOnly />
                  </Form.Item>
                  <Button
                    type="primary"
                    htmlType="submit"
                    loading={rectify.isPending}
                    data-testid="rectify-submit"
                  >
                    {t('insp.hazard.rectify')}
                  </Button>
                </Form>
              </Card>
            ) : null}
            {h.can.verify && h.status === 'reported' ? (
              <Card title={t('insp.hazard.verify')} style={{ marginBottom: 16 }}>
                <Form
                  form={verifyForm}
                  layout="vertical"
                  onFinish={(v) => verify.mutate({ accepted: false, note: v.note, rectifyBy: v.rectifyBy })}
                >
                  {sendingBack ? (
                    <>
                      <Form.Item name="note" label={t('insp.hazard.note')} rules={[{ required: true }]}>
                        <Input.TextArea rows={2} maxLength={2000} data-testid="verify-note" />
                      </Form.Item>
                      <Form.Item name="rectifyBy" label={t('insp.hazard.newRectifyBy')}>
                        <DatePicker inputReadOnly />
                      </Form.Item>
                    </>
                  ) : null}
                  <Space wrap>
                    <Button
                      type="primary"
                      loading={verify.isPending}
                      onClick={() => verify.mutate({ accepted: true })}
                      data-testid="verify-accept"
                    >
                      {t('insp.hazard.accept')}
                    </Button>
                    {sendingBack ? (
                      <Button
                        danger
                        htmlType="submit"
                        loading={verify.isPending}
                        data-testid="verify-sendback"
                      >
                        {t('insp.hazard.sendBack')}
                      </Button>
                    ) : (
                      <Button danger onClick={() => setSendingBack(true)} data-testid="verify-sendback-open">
                        {t('insp.hazard.sendBack')}
                      </Button>
                    )}
                  </Space>
                </Form>
              </Card>
            ) : null}
          </>
        ) : null}
      </QueryState>
    </>
  );
}
