import { FileWordOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Drawer,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type List, qs } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { fmtTime, nowWall, wallToIso } from '../../format';
import { showError, ui } from '../../notify';
import './strings';

interface Notice {
  id: string;
  number: string;
  title: string;
  year: number;
  from: string;
  to: string;
  createdAt: string;
  offenceCount: number;
  totalPoints: number;
  periodText?: string;
  offences?: Array<{
    kind: string;
    unitName: string;
    text: string;
    points: number;
    eventId: string | null;
    repeat: number;
  }>;
  totals?: Array<{ unitId: string; unitName: string; count: number; points: number }>;
}
interface RankRow {
  unitId: string;
  unitName: string;
  rank: number;
  score: number;
  deducted: number;
  offences: number;
  byOffence: Record<string, number>;
}
interface Deduction {
  id: string;
  noticeNumber: string | null;
  unitName: string;
  offence: string;
  eventId: string | null;
  eventTitle: string | null;
  zeroReport: boolean;
  points: number;
  repeat: number;
  offenceAt: string;
}

function NoticeDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['notice', id],
    queryFn: () => api.get<Notice>(`/api/notices/${id}`),
    enabled: !!id,
  });
  const n = q.data;
  return (
    <Drawer open={!!id} onClose={onClose} size="large" title={n ? `${n.number}　${n.title}` : ''}>
      <QueryState loading={q.isLoading} error={q.error}>
        {n ? (
          <>
            <Button
              type="primary"
              icon={<FileWordOutlined />}
              style={{ marginBottom: 16 }}
              onClick={() => api.download(`/api/notices/${n.id}.docx`, `${n.number}${n.title}.docx`)}
            >
              {t('acc.download')}
            </Button>
            <ResponsiveTable
              size="small"
              rowKey="unitId"
              pagination={false}
              dataSource={n.totals ?? []}
              columns={[
                { title: t('acc.unit'), dataIndex: 'unitName' },
                { title: t('acc.offences'), dataIndex: 'count', align: 'right' },
                { title: t('acc.points'), dataIndex: 'points', align: 'right' },
              ]}
              style={{ marginBottom: 16 }}
            />
            <ol style={{ paddingLeft: 20 }}>
              {(n.offences ?? []).map((o, i) => (
                <li key={i} style={{ marginBottom: 8 }}>
                  <Tag color={o.kind === 'late' ? 'orange' : 'red'}>{t(`acc.offence.${o.kind}`)}</Tag>
                  {o.text}
                  {o.eventId ? (
                    <>
                      {' '}
                      <Link to={`/events/${o.eventId}/trace`}>{t('acc.trace')}</Link>
                    </>
                  ) : null}
                </li>
              ))}
            </ol>
          </>
        ) : null}
      </QueryState>
    </Drawer>
  );
}

function NewNoticeModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const now = nowWall();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([now.startOf('month'), now]);
  const [title, setTitle] = useState('');
  const [key] = useState(api.newKey());
  const m = useMutation({
    mutationFn: () =>
      api.post<Notice>(
        '/api/notices',
        {
          from: wallToIso(range[0].startOf('day')),
          to: wallToIso(range[1].add(1, 'day').startOf('day')),
          title: title || null,
        },
        { idempotencyKey: key },
      ),
    onSuccess: (n) => {
      ui.message?.success(t('acc.noticeCreated', { number: n.number }));
      void qc.invalidateQueries({ queryKey: ['notices'] });
      void qc.invalidateQueries({ queryKey: ['rankings'] });
      onClose();
    },
    onError: showError,
  });
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t('acc.newNotice')}
      onOk={() => m.mutate()}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('acc.period')}>
          <DatePicker.RangePicker
            allowClear={false}
            value={range}
            onChange={(v) => v?.[0] && v?.[1] && setRange([v[0], v[1]])}
          />
        </Form.Item>
        <Form.Item label={t('acc.noticeTitle')}>
          <Input
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            placeholder={t('acc.noticeTitlePh')}
            maxLength={200}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function NoticesPage() {
  const { t } = useTranslation();
  const [year, setYear] = useState(nowWall().year());
  const [open, setOpen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const notices = useQuery({
    queryKey: ['notices', year],
    queryFn: () => api.get<List<Notice> & { can?: { issue: boolean } }>(`/api/notices${qs({ year })}`),
  });
  const ranks = useQuery({
    queryKey: ['rankings', year],
    queryFn: () => api.get<{ annualTarget: number; items: RankRow[] }>(`/api/rankings${qs({ year })}`),
  });
  const deds = useQuery({
    queryKey: ['deductions', year],
    queryFn: () => api.get<List<Deduction>>(`/api/deductions${qs({ year })}`),
  });
  const years = Array.from({ length: 5 }, (_, i) => nowWall().year() - i);
  const kinds = ['late', 'missed', 'concealed', 'false'];

  return (
    <>
      <PageHeader
        title={t('nav.notices')}
        extra={
          <Space>
            <Select
              value={year}
              onChange={setYear}
              options={years.map((y) => ({ value: y, label: `${y}` }))}
              style={{ width: 100 }}
            />
            {notices.data?.can?.issue ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                {t('acc.newNotice')}
              </Button>
            ) : null}
          </Space>
        }
      />
      <Card>
        <Tabs
          items={[
            {
              key: 'notices',
              label: t('acc.notices'),
              children: (
                <QueryState
                  loading={notices.isLoading}
                  error={notices.error}
                  empty={!notices.data?.items.length}
                >
                  <ResponsiveTable<Notice>
                    rowKey="id"
                    dataSource={notices.data?.items ?? []}
                    pagination={{ pageSize: 20 }}
                    columns={[
                      { title: t('acc.number'), dataIndex: 'number', width: 200 },
                      {
                        title: t('acc.title'),
                        dataIndex: 'title',
                        render: (v, n) => (
                          <Button
                            type="link"
                            size="small"
                            style={{ padding: 0 }}
                            onClick={() => setOpen(n.id)}
                          >
                            {v}
                          </Button>
                        ),
                      },
                      {
                        title: t('acc.period'),
                        render: (_, n) =>
                          `${fmtTime(n.from).slice(0, 10)} ~ ${dayjs(n.to).subtract(1, 'second').format('YYYY-MM-DD')}`,
                      },
                      { title: t('acc.offences'), dataIndex: 'offenceCount', align: 'right' },
                      { title: t('acc.points'), dataIndex: 'totalPoints', align: 'right' },
                      { title: t('acc.issuedAt'), dataIndex: 'createdAt', render: (v) => fmtTime(v) },
                      {
                        title: t('common.actions'),
                        render: (_, n) => (
                          <Space>
                            <Button
                              type="link"
                              size="small"
                              style={{ padding: 0 }}
                              onClick={() => setOpen(n.id)}
                            >
                              {t('acc.view')}
                            </Button>
                            <Button
                              type="link"
                              size="small"
                              style={{ padding: 0 }}
                              onClick={() =>
                                api.download(`/api/notices/${n.id}.docx`, `${n.number}${n.title}.docx`)
                              }
                            >
                              <FileWordOutlined /> Word
                            </Button>
                          </Space>
                        ),
                      },
                    ]}
                  />
                </QueryState>
              ),
            },
            {
              key: 'rankings',
              label: t('acc.rankings'),
              children: (
                <QueryState loading={ranks.isLoading} error={ranks.error} empty={!ranks.data?.items.length}>
                  <Alert
                    type="info"
                    showIcon
                    style={{ marginBottom: 12 }}
                    title={t('acc.target', { n: ranks.data?.annualTarget ?? 100 })}
                  />
                  <ResponsiveTable<RankRow>
                    rowKey="unitId"
                    size="small"
                    dataSource={ranks.data?.items ?? []}
                    pagination={{ pageSize: 50 }}
                    columns={[
                      { title: t('acc.rank'), dataIndex: 'rank', width: 70, align: 'center' },
                      { title: t('acc.unit'), dataIndex: 'unitName' },
                      ...kinds.map((k) => ({
                        title: t(`acc.offence.${k}`),
                        key: k,
                        align: 'right' as const,
                        render: (_: unknown, r: RankRow) => r.byOffence[k] ?? 0,
                      })),
                      { title: t('acc.deducted'), dataIndex: 'deducted', align: 'right' },
                      {
                        title: t('acc.score'),
                        dataIndex: 'score',
                        align: 'right',
                        render: (v: number) => (
                          <Typography.Text
                            strong
                            type={v < (ranks.data?.annualTarget ?? 100) ? 'danger' : undefined}
                          >
                            {v}
                          </Typography.Text>
                        ),
                      },
                    ]}
                  />
                </QueryState>
              ),
            },
            {
              key: 'deductions',
              label: t('acc.deductions'),
              children: (
                <QueryState loading={deds.isLoading} error={deds.error} empty={!deds.data?.items.length}>
                  <ResponsiveTable<Deduction>
                    rowKey="id"
                    size="small"
                    dataSource={deds.data?.items ?? []}
                    columns={[
                      { title: t('acc.issuedAt'), dataIndex: 'offenceAt', render: (v) => fmtTime(v) },
                      { title: t('acc.unit'), dataIndex: 'unitName' },
                      {
                        title: t('acc.offences'),
                        dataIndex: 'offence',
                        render: (v, d) => (
                          <>
                            <Tag color={v === 'late' ? 'orange' : 'red'}>{t(`acc.offence.${v}`)}</Tag>
                            {d.zeroReport ? <Tag>{t('acc.zero')}</Tag> : null}
                            {d.repeat ? <Tag color="purple">{t('acc.repeat')}</Tag> : null}
                          </>
                        ),
                      },
                      {
                        title: t('acc.title'),
                        dataIndex: 'eventTitle',
                        render: (v, d) =>
                          d.eventId ? <Link to={`/events/${d.eventId}/trace`}>{v}</Link> : (v ?? '—'),
                      },
                      { title: t('acc.points'), dataIndex: 'points', align: 'right' },
                      { title: t('acc.number'), dataIndex: 'noticeNumber' },
                    ]}
                  />
                </QueryState>
              ),
            },
          ]}
        />
      </Card>
      <NoticeDrawer id={open} onClose={() => setOpen(null)} />
      <NewNoticeModal open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
