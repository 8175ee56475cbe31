import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Form, Modal, Radio, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { QueryState } from '../../components/page';
import { fmtTime } from '../../format';
import { addTranslations } from '../../i18n';
import { ui } from '../../notify';
import type { Elements, Report } from '../../types';
import { type ComposerValues, composerInitial, composerToBody, ReportComposer } from './ReportComposer';
import { CasualtiesText, useReportLabel } from './shared';

addTranslations(
  {
    upward: {
      action: '转报上级',
      hint: '已按来报填好全部要素，报告单位、签发人和联系方式为本级的。核对后即可报出。',
      sources: '来源报告',
      conflicts: '以下要素各单位报告不一致，请逐项选择采用哪一个（伤亡人数不会相加）：',
      choose: '请选择',
      unresolved: '还有 {{n}} 项不一致的要素未选择。',
      signer: '签发人：{{name}}',
      sentOk: '已转报上级',
      submittedOk: '已提交审签，审签后转报上级',
    },
  },
  {
    upward: {
      action: 'Report upward',
      hint: 'Every element is filled in from what arrived; the reporting unit, signer and contact are your level’s. Check and send.',
      sources: 'Source reports',
      conflicts:
        'The units reported these elements differently. Choose which value to use for each (casualties are never added up):',
      choose: 'Choose one',
      unresolved: '{{n}} conflicting element(s) still to choose.',
      signer: 'Signer: {{name}}',
      sentOk: 'Reported upward',
      submittedOk: 'Submitted for approval; it goes upward once approved',
    },
  },
);

type ConflictValue = { reportId: string; unitId: string; unitName: string; value: unknown };
export interface UpwardDraft {
  eventId: string;
  unitId: string;
  kind: 'initial' | 'followup';
  elements: Elements;
  pendingElements: Record<string, string>;
  sourceReportIds: string[];
  conflicts: Record<string, ConflictValue[]>;
  signer: { userId: string; name: string };
  contact: string;
  fastTrack: boolean;
  sources: Array<{ reportId: string; unitId: string; unitName: string; kind: string; at: string }>;
}

function ValueText({ element, value }: { element: string; value: unknown }) {
  if (element === 'casualties') return <CasualtiesText c={value as any} />;
  if (element === 'occurredAt' && typeof value === 'string') return <>{fmtTime(value)}</>;
  return <>{String(value)}</>;
}

/**
 * 转报上级: the level's own report, filled from the report(s) that reached it. Nothing is typed again: the
 * elements come from the sources, the contact and signer are the level's; conflicting elements are chosen here.
 */
export function UpwardModal({
  eventId,
  eventTitle,
  sourceReportIds,
  open,
  onClose,
}: {
  eventId: string;
  eventTitle: string;
  /** null: every report of the event that reached the caller's level */
  sourceReportIds: string[] | null;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const label = useReportLabel();
  const [form] = Form.useForm<ComposerValues>();
  const [fastTrack, setFastTrack] = useState(false);
  const [choices, setChoices] = useState<Record<string, number>>({});
  const created = useRef<string | null>(null);
  const ids = sourceReportIds?.join(',') ?? '';
  const q = useQuery({
    queryKey: ['upward-draft', eventId, ids],
    queryFn: () =>
      api.get<UpwardDraft>(
        `/api/events/${eventId}/reports/upward-draft${ids ? `?sourceReportIds=${encodeURIComponent(ids)}` : ''}`,
      ),
    enabled: open,
    staleTime: 0,
    gcTime: 0,
  });
  const draft = q.data;
  useEffect(() => {
    if (!open || !draft) return;
    form.resetFields();
    form.setFieldsValue(composerInitial(draft.elements, draft.pendingElements));
    setFastTrack(draft.fastTrack);
    setChoices({});
    created.current = null;
  }, [open, draft, form]);
  const conflicts = useMemo(() => Object.entries(draft?.conflicts ?? {}), [draft]);
  const unresolved = conflicts.filter(([k]) => choices[k] === undefined).length;

  const choose = (element: string, i: number) => {
    setChoices((c) => ({ ...c, [element]: i }));
    const value = draft!.conflicts[element][i].value;
    const patch = composerInitial({ [element]: value } as Elements, {});
    if (element === 'occurredAt') form.setFieldValue('occurredAt', patch.occurredAt);
    else if (element === 'casualties') {
      form.setFieldValue('casualties', patch.casualties);
      form.setFieldValue('casualtiesOn', true);
    } else form.setFieldValue(['elements', element as 'place'], value);
  };

  const save = useMutation({
    mutationFn: async (v: ComposerValues) => {
      const body = composerToBody(draft!.kind, v);
      // the picker shows whole seconds: an unchanged time of occurrence goes up exactly as it arrived
      const src = (
        choices.occurredAt !== undefined
          ? draft!.conflicts.occurredAt[choices.occurredAt].value
          : draft!.elements.occurredAt
      ) as string | undefined;
      const shown = body.elements.occurredAt as string | undefined;
      if (src && shown && Math.abs(Date.parse(src) - Date.parse(shown)) < 1000)
        body.elements.occurredAt = src;
      // a retry after a refused submission edits the draft already made instead of making another
      if (created.current) await api.patch(`/api/reports/${created.current}`, { ...body, fastTrack });
      else
        created.current = (
          await api.post<Report>(`/api/events/${eventId}/reports`, {
            kind: draft!.kind,
            ...body,
            sourceReportIds: draft!.sourceReportIds,
            fastTrack,
          })
        ).id;
      return api.post<Report>(`/api/reports/${created.current}/submit`, { fastTrack });
    },
    onSuccess: (r) => {
      ui.message?.success(r.status === 'sent' ? t('upward.sentOk') : t('upward.submittedOk'));
      for (const key of [['event', eventId], ['timeline', eventId], ['intake'], ['reports'], ['inbox']])
        void qc.invalidateQueries({ queryKey: key });
      onClose();
    },
  });

  return (
    <Modal
      open={open}
      title={t('upward.action')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={fastTrack ? t('report.sendNow') : t('report.submitForApproval')}
      okButtonProps={{ disabled: !draft || unresolved > 0, 'data-testid': 'upward-send' } as any}
      confirmLoading={save.isPending}
      width={820}
      destroyOnHidden
      forceRender
    >
      <QueryState loading={q.isLoading} error={q.error}>
        {draft ? (
          <div data-testid="upward-form">
            <Typography.Title level={5} style={{ marginTop: 0 }} data-content>
              {eventTitle}
            </Typography.Title>
            <Alert type="info" showIcon title={t('upward.hint')} style={{ marginBottom: 12 }} />
            <div style={{ marginBottom: 12 }}>
              <Typography.Text type="secondary">{t('upward.sources')}：</Typography.Text>
              <Space size={[4, 4]} wrap>
                {draft.sources.map((s) => (
                  <Tag key={s.reportId}>
                    {s.unitName} · {label({ kind: s.kind as any, seq: 0 })} · {fmtTime(s.at)}
                  </Tag>
                ))}
              </Space>
              <div className="muted" style={{ marginTop: 4 }}>
                {t('upward.signer', { name: draft.signer.name })}
              </div>
            </div>
            {conflicts.length ? (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                data-testid="upward-conflicts"
                title={t('upward.conflicts')}
                description={
                  <div>
                    {conflicts.map(([element, values]) => (
                      <div
                        key={element}
                        className="upward-conflict"
                        data-testid={`upward-conflict-${element}`}
                        style={{ marginTop: 8 }}
                      >
                        <strong>{t(`element.${element}`)}</strong>
                        <Radio.Group
                          value={choices[element]}
                          onChange={(e) => choose(element, e.target.value)}
                          style={{ display: 'flex', flexDirection: 'column', gap: 4, marginTop: 4 }}
                        >
                          {values.map((v, i) => (
                            <Radio key={v.reportId} value={i}>
                              {v.unitName}：<ValueText element={element} value={v.value} />
                            </Radio>
                          ))}
                        </Radio.Group>
                      </div>
                    ))}
                    {unresolved ? (
                      <div style={{ marginTop: 8 }}>{t('upward.unresolved', { n: unresolved })}</div>
                    ) : null}
                  </div>
                }
              />
            ) : null}
            <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} name="upward">
              <ReportComposer form={form} kind={draft.kind} />
              <Radio.Group
                value={fastTrack}
                onChange={(e) => setFastTrack(e.target.value)}
                optionType="button"
                size="small"
              >
                <Radio.Button value={false}>{t('compose.normalPath')}</Radio.Button>
                <Radio.Button value={true}>{t('report.fastTrackShort')}</Radio.Button>
              </Radio.Group>
            </Form>
          </div>
        ) : null}
      </QueryState>
    </Modal>
  );
}
