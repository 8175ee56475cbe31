import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import type { FormInstance } from 'antd';
import { Col, Form, Input, InputNumber, Row, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ElementKey } from '../../types';
import { ELEMENT_KEYS } from '../../types';
import { CASUALTY_KEYS } from './shared';

export type PendingState = Partial<Record<ElementKey, { on?: boolean; reason?: string }>>;

/** A "待核实" switch next to an element; on → a reason is required. */
export function PendingToggle({ name }: { name: ElementKey }) {
  const { t } = useTranslation();
  return (
    <div className="pending-toggle">
      <Form.Item name={['pending', name, 'on']} valuePropName="checked" noStyle>
        <Switch size="small" data-testid={`pending-${name}`} />
      </Form.Item>{' '}
      <span className="muted">{t('element.pending')}</span>
    </div>
  );
}

export function PendingReason({ name, form }: { name: ElementKey; form: FormInstance }) {
  const { t } = useTranslation();
  const on = Form.useWatch(['pending', name, 'on'], form);
  if (!on) return null;
  return (
    <Form.Item
      name={['pending', name, 'reason']}
      rules={[{ required: true, whitespace: true, message: t('report.pendingReasonRequired') }]}
      style={{ marginTop: -8 }}
    >
      <Input
        size="small"
        prefix={<ExclamationCircleFilled style={{ color: '#d48806' }} />}
        placeholder={t('report.pendingReasonPh')}
        maxLength={200}
      />
    </Form.Item>
  );
}

/** One text element with its 待核实 switch and reason. */
export function ElementField({
  name,
  form,
  rows = 2,
  placeholder,
  requiredAll,
}: {
  name: Exclude<ElementKey, 'occurredAt' | 'casualties'>;
  form: FormInstance;
  rows?: number;
  placeholder?: string;
  /** initial / final reports need every element (or a 待核实 reason). */
  requiredAll: boolean;
}) {
  const { t } = useTranslation();
  const pendingOn = Form.useWatch(['pending', name, 'on'], form);
  return (
    <>
      <div className="element-row">
        <div className="element-main">
          <Form.Item
            name={['elements', name]}
            label={t(`element.${name}`)}
            tooltip={t(`elementHint.${name}`)}
            rules={[
              {
                required: requiredAll && !pendingOn,
                whitespace: true,
                message: t('report.elementRequired', { name: t(`element.${name}`) }),
              },
            ]}
          >
            <Input.TextArea
              autoSize={{ minRows: rows, maxRows: 10 }}
              placeholder={placeholder ?? t(`elementPh.${name}`)}
              maxLength={4000}
            />
          </Form.Item>
        </div>
        <PendingToggle name={name} />
      </div>
      <PendingReason name={name} form={form} />
    </>
  );
}

export function CasualtyInputs({ prefix = ['casualties'] }: { prefix?: string[] }) {
  const { t } = useTranslation();
  return (
    <Row gutter={12}>
      {CASUALTY_KEYS.map((k) => (
        <Col key={k} xs={12} sm={8} md={4} style={{ minWidth: 110 }}>
          <Form.Item name={[...prefix, k]} label={t(`casualty.${k}`)} initialValue={0}>
            <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      ))}
    </Row>
  );
}

export type CheckState = 'ok' | 'pending' | 'missing';

export function ElementChecklist({ states }: { states: Record<ElementKey, CheckState> }) {
  const { t } = useTranslation();
  return (
    <div data-testid="element-checklist">
      {ELEMENT_KEYS.map((k) => (
        <div key={k} className="element-check" data-state={states[k]}>
          {states[k] === 'ok' ? (
            <CheckCircleFilled className="ok" />
          ) : states[k] === 'pending' ? (
            <ExclamationCircleFilled className="pending" />
          ) : (
            <CloseCircleFilled className="missing" />
          )}
          <span style={{ flex: 1 }}>{t(`element.${k}`)}</span>
          <span className={states[k]}>{t(`check.${states[k]}`)}</span>
        </div>
      ))}
    </div>
  );
}

/** Pending reasons from the form state, only for switched-on elements. */
export function pendingOf(p: PendingState | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(p ?? {})) if (v?.on && v.reason?.trim()) out[k] = v.reason.trim();
  return out;
}
