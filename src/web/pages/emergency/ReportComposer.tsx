import type { FormInstance } from 'antd';
import { Alert, DatePicker, Form, Input } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { isoToWall, nowWall, wallToIso } from '../../format';
import type { Casualties, Elements, ReportKind } from '../../types';
import {
  CasualtyInputs,
  ElementField,
  PendingReason,
  type PendingState,
  PendingToggle,
  pendingOf,
} from './ReportForm';

export interface ComposerValues {
  occurredAt?: Dayjs | null;
  casualtiesOn?: boolean;
  casualties?: Partial<Casualties>;
  elements?: Partial<
    Record<'place' | 'cause' | 'scope' | 'loss' | 'measures' | 'nextSteps' | 'contact' | 'correction', string>
  >;
  pending?: PendingState;
}

export const needsAll = (kind: ReportKind) => kind === 'initial' || kind === 'final';

export function composerInitial(
  elements: Elements | undefined,
  pending: Record<string, string> | undefined,
): ComposerValues {
  const el = elements ?? {};
  const p: PendingState = {};
  for (const [k, reason] of Object.entries(pending ?? {})) p[k as keyof PendingState] = { on: true, reason };
  return {
    occurredAt: el.occurredAt ? isoToWall(el.occurredAt) : null,
    casualtiesOn: !!el.casualties,
    casualties: typeof el.casualties === 'object' ? el.casualties : undefined,
    elements: {
      place: el.place,
      cause: el.cause,
      scope: el.scope,
      loss: el.loss,
      measures: el.measures,
      nextSteps: el.nextSteps,
      contact: el.contact,
      correction: (el as any).correction,
    },
    pending: p,
  };
}

/** The elements of a report as the API takes them. */
export function composerToBody(kind: ReportKind, v: ComposerValues) {
  const elements: Record<string, unknown> = {};
  if (v.occurredAt) elements.occurredAt = wallToIso(v.occurredAt);
  if (needsAll(kind) || v.casualtiesOn)
    elements.casualties = {
      dead: 0,
      missing: 0,
      seriouslyInjured: 0,
      lightlyInjured: 0,
      trapped: 0,
      ...v.casualties,
    };
  for (const [k, val] of Object.entries(v.elements ?? {}))
    if (typeof val === 'string' && val.trim()) elements[k] = val.trim();
  return { elements, pendingElements: pendingOf(v.pending) };
}

/** The element fields of a follow-up, verification or final report (or an edited draft). */
export function ReportComposer({
  form,
  kind,
  showCorrection,
}: {
  form: FormInstance<ComposerValues>;
  kind: ReportKind;
  showCorrection?: boolean;
}) {
  const { t } = useTranslation();
  const all = needsAll(kind);
  const casualtiesOn = Form.useWatch('casualtiesOn', form);
  const pendingTime = Form.useWatch(['pending', 'occurredAt', 'on'], form);
  return (
    <>
      {all ? null : <Alert type="info" showIcon title={t('compose.onlyNew')} style={{ marginBottom: 16 }} />}
      <div className="element-row">
        <div className="element-main">
          <Form.Item
            name="occurredAt"
            label={t('element.occurredAt')}
            rules={[{ required: all && !pendingTime, message: t('report.occurredRequired') }]}
          >
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              style={{ width: 240 }}
              disabledDate={(d) => d.isAfter(nowWall(), 'day')}
            />
          </Form.Item>
        </div>
        <PendingToggle name="occurredAt" />
      </div>
      <PendingReason name="occurredAt" form={form} />
      <ElementField name="place" form={form} rows={1} requiredAll={all} />
      {all ? null : (
        <Form.Item name="casualtiesOn" valuePropName="checked" style={{ marginBottom: 8 }}>
          <CheckboxLabel text={t('compose.casualtiesChanged')} />
        </Form.Item>
      )}
      {all || casualtiesOn ? (
        <>
          <div className="element-row">
            <div className="element-main">
              <CasualtyInputs />
            </div>
            <PendingToggle name="casualties" />
          </div>
          <PendingReason name="casualties" form={form} />
        </>
      ) : null}
      <ElementField name="cause" form={form} rows={3} requiredAll={all} />
      <ElementField name="scope" form={form} rows={1} requiredAll={all} />
      <ElementField name="loss" form={form} rows={1} requiredAll={all} />
      <ElementField name="measures" form={form} rows={3} requiredAll={all} />
      <ElementField name="nextSteps" form={form} rows={2} requiredAll={all} />
      <ElementField name="contact" form={form} rows={1} requiredAll={all} />
      {showCorrection || !all ? (
        <Form.Item
          name={['elements', 'correction']}
          label={t('element.correction')}
          tooltip={t('elementHint.correction')}
        >
          <Input.TextArea
            autoSize={{ minRows: 1, maxRows: 6 }}
            maxLength={4000}
            placeholder={t('elementPh.correction')}
          />
        </Form.Item>
      ) : null}
    </>
  );
}

import { Checkbox } from 'antd';

function CheckboxLabel({
  text,
  checked,
  onChange,
}: {
  text: string;
  checked?: boolean;
  onChange?: (e: any) => void;
}) {
  return (
    <Checkbox checked={checked} onChange={onChange}>
      {text}
    </Checkbox>
  );
}
