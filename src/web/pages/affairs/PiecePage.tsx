import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, List, Modal, Select, Space, Tag } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { api } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { fmtTime } from '../../format';
import { useLiveMessages } from '../../live';
import { ui } from '../../notify';
import { RichEditor } from './RichEditor';
import { LEADER_LEVELS, type Piece, PieceStatusTag, WHERES } from './shared';
import './affairs.css';
import './strings';

/** The body as the server sanitised it (headings, paragraphs, lists, tables only). */
function BodyView({ html }: { html: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.innerHTML = html;
  }, [html]);
  return <div ref={ref} className="affairs-body" data-testid="piece-body-view" />;
}

function useAct(id: string) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ path, body }: { path: string; body?: unknown }) =>
      api.post<unknown>(`/api/affairs/pieces/${id}/${path}`, body ?? {}, { idempotencyKey: api.newKey() }),
    onSuccess: () => {
      ui.message?.success(t('affairs.detail.done'));
      void qc.invalidateQueries({ queryKey: ['affairs'] });
    },
  });
}

function ReturnButton({ id }: { id: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const act = useAct(id);
  return (
    <>
      <Button danger onClick={() => setOpen(true)} data-testid="piece-return">
        {t('affairs.detail.return')}
      </Button>
      <Modal
        open={open}
        title={t('affairs.detail.return')}
        onCancel={() => setOpen(false)}
        confirmLoading={act.isPending}
        onOk={() =>
          form
            .validateFields()
            .then((v) => act.mutate({ path: 'return', body: v }, { onSuccess: () => setOpen(false) }))
        }
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label={t('affairs.detail.reason')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function AdoptForm({ id }: { id: string }) {
  const { t } = useTranslation();
  const [where, setWhere] = useState<string>('own_daily');
  const act = useAct(id);
  return (
    <Space wrap data-testid="piece-adopt-form">
      <Select
        style={{ width: 200 }}
        value={where}
        onChange={setWhere}
        aria-label={t('affairs.detail.where')}
        options={WHERES.map((w) => ({ value: w, label: t(`affairs.where.${w}`) }))}
      />
      <Button
        type="primary"
        loading={act.isPending}
        onClick={() => act.mutate({ path: 'adoptions', body: { where } })}
        data-testid="piece-adopt"
      >
        {t('affairs.detail.adopt')}
      </Button>
    </Space>
  );
}

function InstructForm({ id }: { id: string }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ leaderLevel: string; leaderName: string; text: string }>();
  const act = useAct(id);
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ leaderLevel: 'county' }}
      data-testid="piece-instruct-form"
      onFinish={(v) =>
        act.mutate(
          { path: 'instructions', body: { ...v, at: new Date().toISOString() } },
          { onSuccess: () => form.resetFields() },
        )
      }
    >
      <Space wrap align="start">
        <Form.Item name="leaderLevel" label={t('affairs.detail.leaderLevel')}>
          <Select
            style={{ width: 140 }}
            options={LEADER_LEVELS.map((l) => ({ value: l, label: t(`affairs.level.${l}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="leaderName"
          label={t('affairs.detail.leaderName')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input style={{ width: 160 }} maxLength={100} />
        </Form.Item>
      </Space>
      <Form.Item name="text" label={t('affairs.detail.text')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea rows={2} maxLength={4000} />
      </Form.Item>
      <Button htmlType="submit" loading={act.isPending} data-testid="piece-instruct">
        {t('affairs.detail.instruct')}
      </Button>
    </Form>
  );
}

/** Edit the title and body: the writer before sending, or a receiving section on a sent piece (a new version). */
function EditForm({ p, onDone }: { p: Piece; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ title: string; body: string; note?: string }>();
  const m = useMutation({
    mutationFn: (v: { title: string; body: string; note?: string }) =>
      api.patch<Piece>(`/api/affairs/pieces/${p.id}`, { ...v, note: v.note || undefined }),
    onSuccess: () => {
      ui.message?.success(t('affairs.compose.saved'));
      void qc.invalidateQueries({ queryKey: ['affairs'] });
      onDone();
    },
  });
  return (
    <Card style={{ marginBottom: 16 }}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ title: p.title, body: p.body }}
        onFinish={(v) => m.mutate(v)}
        data-testid="piece-edit-form"
      >
        <Form.Item
          name="title"
          label={t('affairs.compose.pieceTitle')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="body" label={t('affairs.compose.body')} rules={[{ required: true }]}>
          <RichEditor />
        </Form.Item>
        <Form.Item name="note" label={t('affairs.detail.editNote')}>
          <Input maxLength={2000} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={m.isPending}>
            {t('affairs.compose.save')}
          </Button>
          <Button onClick={onDone}>{t('affairs.detail.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}

/** 信息: the body, its state and who may act on it now (the answer's `can`), adoptions, instructions, versions. */
export default function PiecePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const q = useQuery({
    queryKey: ['affairs', 'piece', id],
    queryFn: () => api.get<Piece>(`/api/affairs/pieces/${id}`),
  });
  useLiveMessages(() => void q.refetch(), ['affairs.piece']);
  const act = useAct(id);
  const [editing, setEditing] = useState(false);
  const p = q.data;
  return (
    <QueryState loading={q.isLoading} error={q.error}>
      {p ? (
        <>
          <PageHeader
            title={p.title}
            tag={<PieceStatusTag status={p.status} />}
            extra={
              <Space wrap>
                {p.can.submitPiece ? (
                  <Button
                    type="primary"
                    loading={act.isPending}
                    onClick={() => act.mutate({ path: 'submit' })}
                    data-testid="piece-submit"
                  >
                    {t('affairs.detail.submit')}
                  </Button>
                ) : null}
                {p.can.approvePiece ? (
                  <Button
                    type="primary"
                    loading={act.isPending}
                    onClick={() => act.mutate({ path: 'approve' })}
                    data-testid="piece-approve"
                  >
                    {t('affairs.detail.approve')}
                  </Button>
                ) : null}
                {p.can.edit && !editing ? (
                  <Button onClick={() => setEditing(true)} data-testid="piece-edit">
                    {t('affairs.detail.edit')}
                  </Button>
                ) : null}
                {p.can.returnPiece ? <ReturnButton id={p.id} /> : null}
              </Space>
            }
          />
          {p.returnReason && p.status !== 'sent' ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              message={t('affairs.detail.returnReason', { reason: p.returnReason })}
            />
          ) : null}
          {p.can.adopt && p.warnings?.length ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              data-testid="piece-warnings"
              message={t('affairs.warn.title')}
              description={
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {p.warnings.map((w) => (
                    <li key={w.code}>
                      {t(`affairs.warn.${w.code}`, {
                        years: w.years?.join('、') ?? '',
                        at: fmtTime(w.mediaReportedAt),
                        share: Math.round((w.share ?? 0) * 100),
                        pieces: w.pieces ?? 0,
                      })}
                    </li>
                  ))}
                </ul>
              }
            />
          ) : null}
          {editing ? <EditForm p={p} onDone={() => setEditing(false)} /> : null}
          <Card>
            <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} style={{ marginBottom: 12 }}>
              <Descriptions.Item label={t('affairs.col.kind')}>
                {t(`affairs.kind.${p.kind}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('affairs.col.unit')}>
                {p.unitName} · {p.createdByName}
              </Descriptions.Item>
              <Descriptions.Item label={t('affairs.detail.to')}>
                {p.recipients.map((r) => r.name).join('、')}
              </Descriptions.Item>
              {p.commissionTitle ? (
                <Descriptions.Item label={t('affairs.col.commission')}>{p.commissionTitle}</Descriptions.Item>
              ) : null}
              <Descriptions.Item label={t('affairs.col.sentAt')}>
                {fmtTime(p.firstSentAt) || '—'}
                {p.sameDay !== null ? (
                  <Tag style={{ marginLeft: 8 }} color={p.sameDay ? 'success' : 'default'}>
                    {p.sameDay ? t('affairs.detail.sameDay') : t('affairs.detail.notSameDay')}
                  </Tag>
                ) : null}
              </Descriptions.Item>
              <Descriptions.Item label={t('affairs.col.points')}>
                <span data-testid="piece-points">{p.points}</span>
              </Descriptions.Item>
            </Descriptions>
            {/* the body was sanitised on the server: headings, paragraphs, lists and tables only */}
            <BodyView html={p.body} />
            {p.files.length ? (
              <Space wrap style={{ marginTop: 12 }} data-testid="piece-files">
                {p.files.map((f) =>
                  f.mime.startsWith('image/') ? (
                    <a key={f.id} href={`/api/affairs/files/${f.id}`} target="_blank" rel="noreferrer">
                      <img
                        src={`/api/affairs/files/${f.id}`}
                        alt={f.filename}
                        style={{ maxWidth: 240, maxHeight: 180 }}
                      />
                    </a>
                  ) : (
                    <a key={f.id} href={`/api/affairs/files/${f.id}`}>
                      {f.filename}
                    </a>
                  ),
                )}
              </Space>
            ) : null}
          </Card>
          <Card title={t('affairs.detail.adoptions')} style={{ marginTop: 16 }} data-testid="piece-adoptions">
            <List
              size="small"
              locale={{ emptyText: t('affairs.detail.none') }}
              dataSource={p.adoptions}
              renderItem={(a) => (
                <List.Item>
                  {t(`affairs.where.${a.where}`)} · {a.officeName} · {fmtTime(a.at)} ·{' '}
                  {t('affairs.detail.points', { n: a.points })}
                </List.Item>
              )}
            />
            {p.can.adopt ? <AdoptForm id={p.id} /> : null}
          </Card>
          <Card
            title={t('affairs.detail.instructions')}
            style={{ marginTop: 16 }}
            data-testid="piece-instructions"
          >
            <List
              size="small"
              locale={{ emptyText: t('affairs.detail.none') }}
              dataSource={p.instructions}
              renderItem={(i) => (
                <List.Item>
                  {t(`affairs.level.${i.leaderLevel}`)} {i.leaderName}：{i.text} · {fmtTime(i.at)} ·{' '}
                  {t('affairs.detail.points', { n: i.points })}
                </List.Item>
              )}
            />
            {p.can.instruct ? <InstructForm id={p.id} /> : null}
          </Card>
          {p.versions && p.versions.length > 1 ? (
            <Card title={t('affairs.detail.versions')} style={{ marginTop: 16 }}>
              <List
                size="small"
                dataSource={[...p.versions].reverse()}
                renderItem={(v) => (
                  <List.Item>
                    <div style={{ width: '100%' }}>
                      <div className="affairs-muted">
                        {t('affairs.detail.version', { n: v.version })} · {v.unitName} {v.editedByName} ·{' '}
                        {fmtTime(v.at)} {v.note ?? ''}
                      </div>
                      <div>{v.title}</div>
                    </div>
                  </List.Item>
                )}
              />
            </Card>
          ) : null}
        </>
      ) : null}
    </QueryState>
  );
}
