import { CheckOutlined, FormOutlined, MessageOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, DatePicker, Form, Input, Modal, Row, Select, Space, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type List } from '../../api';
import { QueryState } from '../../components/page';
import { fmtDuration, fmtTime, nowWall, wallToIso } from '../../format';
import { ui } from '../../notify';
import { useSession } from '../../session';
import type { EventItem } from '../../types';
import { UnitsBelowSelect } from './PhoneCall';
import { useReportLabel } from './shared';
import './strings';

export interface Instruction {
  id: string;
  eventId: string;
  reportId: string | null;
  userId: string;
  userName: string;
  unitId: string;
  text: string;
  at: string;
  dueAt: string | null;
  targets: Array<{
    unitId: string;
    unitName: string;
    ackedAt: string | null;
    feedback: string | null;
    feedbackAt: string | null;
    /** the unit's supervised task (督办) for this instruction, when it has a feedback due time */
    taskId?: string | null;
    taskStatus?: 'open' | 'done' | 'overdue' | null;
  }>;
}

export const canInstruct = (hasRole: (...r: any[]) => boolean) =>
  hasRole('leader', 'principal', 'duty_leader');

export function useInstructions(eventId: string) {
  return useQuery({
    queryKey: ['instructions', eventId],
    queryFn: () => api.get<List<Instruction>>(`/api/events/${eventId}/instructions`),
  });
}

function refresh(qc: ReturnType<typeof useQueryClient>, eventId: string) {
  void qc.invalidateQueries({ queryKey: ['instructions', eventId] });
  void qc.invalidateQueries({ queryKey: ['timeline', eventId] });
}

/** 批示: a leader names the units below that must carry it out, optionally with a due time for feedback. */
export function InstructionModal({
  event,
  open,
  onClose,
}: {
  event: EventItem;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const label = useReportLabel();
  const [form] = Form.useForm<{ text: string; toUnitIds: string[]; dueAt?: Dayjs; reportId?: string }>();
  useEffect(() => {
    if (open) form.setFieldsValue({ text: '', toUnitIds: [event.responsibleUnitId], dueAt: undefined });
  }, [open, form, event.responsibleUnitId]);
  const save = useMutation({
    mutationFn: (v: { text: string; toUnitIds: string[]; dueAt?: Dayjs; reportId?: string }) =>
      api.post(`/api/events/${event.id}/instructions`, {
        text: v.text.trim(),
        toUnitIds: v.toUnitIds,
        dueAt: v.dueAt ? wallToIso(v.dueAt) : null,
        reportId: v.reportId || null,
      }),
    onSuccess: () => {
      ui.message?.success(t('instr.givenOk'));
      refresh(qc, event.id);
      onClose();
    },
  });
  const reports = (event.reports ?? []).filter((r) => r.status === 'sent' || r.status === 'recorded');
  return (
    <Modal
      open={open}
      title={t('instr.giveTitle', { title: event.title })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('instr.give')}
      confirmLoading={save.isPending}
      width={680}
      destroyOnHidden
      forceRender
    >
      <Form
        form={form}
        name="instr"
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        data-testid="instruction-form"
      >
        <Form.Item
          name="text"
          label={t('instr.text')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 3 }} maxLength={4000} placeholder={t('instr.textPh')} />
        </Form.Item>
        <Form.Item
          name="toUnitIds"
          label={t('instr.to')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <UnitsBelowSelect multiple includeSelf placeholder={t('instr.toPh')} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="dueAt" label={t('instr.due')}>
              <DatePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                style={{ width: '100%' }}
                placeholder={t('instr.dueNone')}
                disabledDate={(d) => d.isBefore(nowWall(), 'day')}
                presets={[
                  { label: fmtDuration(1800), value: nowWall().add(30, 'minute') },
                  { label: fmtDuration(3600), value: nowWall().add(1, 'hour') },
                  { label: fmtDuration(7200), value: nowWall().add(2, 'hour') },
                  { label: fmtDuration(86400), value: nowWall().add(24, 'hour') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="reportId" label={t('instr.report')}>
              <Select
                allowClear
                placeholder={t('instr.reportNone')}
                options={reports.map((r) => ({ value: r.id, label: label(r) }))}
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

function FeedbackModal({
  target,
  onClose,
  eventId,
}: {
  target: { instruction: Instruction; unitName: string } | null;
  onClose: () => void;
  eventId: string;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ text: string }>();
  const save = useMutation({
    mutationFn: (v: { text: string }) =>
      api.post(`/api/instructions/${target!.instruction.id}/feedback`, { text: v.text.trim() }),
    onSuccess: () => {
      ui.message?.success(t('instr.feedbackOk'));
      refresh(qc, eventId);
      onClose();
    },
  });
  return (
    <Modal
      open={!!target}
      title={target ? t('instr.feedbackTitle', { unit: target.unitName }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('instr.feedback')}
      confirmLoading={save.isPending}
      destroyOnHidden
      forceRender
    >
      {target ? <div className="timeline-card">{target.instruction.text}</div> : null}
      <Form
        form={form}
        name="feedback"
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        style={{ marginTop: 12 }}
      >
        <Form.Item
          name="text"
          label={t('instr.feedback')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }]}
        >
          <Input.TextArea autoSize={{ minRows: 4 }} maxLength={4000} placeholder={t('instr.feedbackPh')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The instructions on an event: who gave them, to whom, acknowledged and answered. */
export function InstructionsCard({ event, onGive }: { event: EventItem; onGive?: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { actingUnitId } = useSession();
  const q = useInstructions(event.id);
  const [fb, setFb] = useState<{ instruction: Instruction; unitName: string } | null>(null);
  const ack = useMutation({
    mutationFn: (id: string) => api.post(`/api/instructions/${id}/ack`, {}),
    onSuccess: () => {
      ui.message?.success(t('instr.ackedOk'));
      refresh(qc, event.id);
    },
  });
  const items = q.data?.items ?? [];
  // nothing to show yet: the action sits in the page header
  if (!items.length && !q.error) return null;
  return (
    <Card
      size="small"
      className="section-gap"
      data-testid="instructions"
      title={
        <>
          <FormOutlined /> {t('instr.title')}
        </>
      }
      extra={
        onGive ? (
          <Button size="small" type="link" onClick={onGive}>
            {t('instr.give')}
          </Button>
        ) : null
      }
    >
      <QueryState loading={q.isLoading} error={q.error} empty={!items.length} emptyText={t('instr.empty')}>
        {items.map((ins) => {
          const overdue = (tg: Instruction['targets'][number]) =>
            !!ins.dueAt && !tg.feedbackAt && new Date(ins.dueAt).getTime() < Date.now();
          return (
            <div key={ins.id} className="timeline-card instruction" style={{ marginBottom: 10 }}>
              <div>
                <strong>{t('instr.by', { name: ins.userName })}</strong>
                <span className="timeline-time"> {fmtTime(ins.at)}</span>
                {ins.dueAt ? (
                  <Tag style={{ marginLeft: 8 }} color="gold">
                    {t('instr.dueAt', { time: fmtTime(ins.dueAt) })}
                  </Tag>
                ) : null}
              </div>
              <div className="instruction-text">{ins.text}</div>
              {ins.targets.map((tg) => {
                const mine = tg.unitId === actingUnitId;
                return (
                  <div key={tg.unitId} className="instruction-target">
                    <Space size={4} wrap>
                      <span>→ {tg.unitName}</span>
                      {tg.ackedAt ? (
                        <Tag color="green">{t('instr.acked', { time: fmtTime(tg.ackedAt) })}</Tag>
                      ) : (
                        <Tag color="red">{t('instr.notAcked')}</Tag>
                      )}
                      {tg.feedbackAt ? (
                        <Tag color="blue">{t('instr.feedbackAt', { time: fmtTime(tg.feedbackAt) })}</Tag>
                      ) : overdue(tg) ? (
                        <Tag color="error">{t('instr.overdue')}</Tag>
                      ) : (
                        <Tag>{t('instr.noFeedback')}</Tag>
                      )}
                      {tg.taskId && tg.taskStatus ? (
                        <Link to={`/tasks/${tg.taskId}`} data-testid="instruction-task">
                          <Tag
                            color={
                              tg.taskStatus === 'done'
                                ? 'green'
                                : tg.taskStatus === 'overdue'
                                  ? 'error'
                                  : 'processing'
                            }
                          >
                            {t('instr.task', { status: t(`instr.taskStatus.${tg.taskStatus}`) })}
                          </Tag>
                        </Link>
                      ) : null}
                      {mine && !tg.ackedAt ? (
                        <Button
                          size="small"
                          type="primary"
                          icon={<CheckOutlined />}
                          loading={ack.isPending}
                          onClick={() => ack.mutate(ins.id)}
                          data-testid="instruction-ack"
                        >
                          {t('instr.ack')}
                        </Button>
                      ) : null}
                      {mine && !tg.feedbackAt ? (
                        <Button
                          size="small"
                          icon={<MessageOutlined />}
                          onClick={() => setFb({ instruction: ins, unitName: tg.unitName })}
                          data-testid="instruction-feedback"
                        >
                          {t('instr.feedback')}
                        </Button>
                      ) : null}
                    </Space>
                    {tg.feedback ? <div className="instruction-feedback">{tg.feedback}</div> : null}
                  </div>
                );
              })}
            </div>
          );
        })}
      </QueryState>
      <FeedbackModal target={fb} onClose={() => setFb(null)} eventId={event.id} />
    </Card>
  );
}
