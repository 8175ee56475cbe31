import { PhoneOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Col, DatePicker, Form, Input, Modal, Row, TreeSelect } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { nowWall, wallToIso } from '../../format';
import { ui } from '../../notify';
import { useSession, useUnits } from '../../session';
import type { Casualties, EventItem, Report, Unit } from '../../types';
import { AREAS_FIRST, buildUnitTree, KIND_ICONS, type UnitNode } from '../../units';
import { CasualtyInputs } from './ReportForm';
import './strings';

/** Units at or below the user's acting unit (an office acts for its area), without the user's own unit. */
export function useUnitsBelow(): Unit[] {
  const { units, byId } = useUnits();
  const { actingUnitId, me } = useSession();
  return useMemo(() => {
    const isBelow = (u: Unit) => {
      const seen = new Set<string>();
      let cur: Unit | undefined = u;
      while (cur && !seen.has(cur.id)) {
        if (cur.id === actingUnitId) return true;
        seen.add(cur.id);
        cur = cur.parentId ? byId.get(cur.parentId) : undefined;
      }
      return false;
    };
    return units.filter((u) => !u.disabled && u.id !== me.unitId && u.id !== actingUnitId && isBelow(u));
  }, [units, byId, actingUnitId, me.unitId]);
}

/** The acting unit of a unit: an office stands for its area. */
export function actingOf(u: Unit | undefined, byId: Map<string, Unit>): string | undefined {
  if (!u) return undefined;
  if (['party_office', 'gov_office', 'duty_room', 'confidential_bureau'].includes(u.kind) && u.parentId)
    return byId.get(u.parentId)?.id ?? u.id;
  return u.id;
}

/** A tree picker of the units below (the caller unit, the responsible unit, instruction targets). */
export function UnitsBelowSelect({
  value,
  onChange,
  placeholder,
  multiple,
  id,
  includeSelf,
}: {
  value?: string | string[];
  onChange?: (v: any) => void;
  placeholder?: string;
  multiple?: boolean;
  id?: string;
  includeSelf?: boolean;
}) {
  const below = useUnitsBelow();
  const { byId } = useUnits();
  const { actingUnitId } = useSession();
  const treeData = useMemo(() => {
    const self = byId.get(actingUnitId);
    const withSelf = includeSelf && self && !below.includes(self) ? [self, ...below] : below;
    const map = (n: UnitNode): any => ({
      value: n.unit.id,
      label: n.unit.name,
      title: (
        <span className="unit-node">
          {KIND_ICONS[n.unit.kind]}
          {n.unit.name}
        </span>
      ),
      children: n.children.length ? n.children.map(map) : undefined,
    });
    return buildUnitTree(withSelf, AREAS_FIRST).map(map);
  }, [below, byId, actingUnitId, includeSelf]);
  return (
    <TreeSelect
      id={id}
      value={value}
      onChange={onChange}
      treeData={treeData}
      multiple={multiple}
      placeholder={placeholder}
      showSearch={{ treeNodeFilterProp: 'label' }}
      treeNodeLabelProp="label"
      allowClear
      treeDefaultExpandAll
      style={{ width: '100%' }}
      popupMatchSelectWidth={false}
      listHeight={420}
    />
  );
}

export interface CallerValues {
  callerUnitId?: string;
  callerName?: string;
  callerPost?: string;
  callerPhone?: string;
  calledAt?: Dayjs;
  toldLeaders?: string;
}

/** Caller unit, name, post, phone, call time and who was already told: the head of every phone record. */
export function CallerFields() {
  const { t } = useTranslation();
  const req = (field: string) => [
    { required: true, whitespace: true, message: t('phone.required', { field }) },
  ];
  return (
    <>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item
            name="callerUnitId"
            label={t('phone.callerUnit')}
            rules={[{ required: true, message: t('phone.required', { field: t('phone.callerUnit') }) }]}
          >
            <UnitsBelowSelect placeholder={t('phone.callerUnitPh')} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="calledAt" label={t('phone.calledAt')} rules={[{ required: true }]}>
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              style={{ width: '100%' }}
              allowClear={false}
              disabledDate={(d) => d.isAfter(nowWall(), 'day')}
            />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name="callerName" label={t('phone.callerName')} rules={req(t('phone.callerName'))}>
            <Input maxLength={60} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="callerPost" label={t('phone.callerPost')}>
            <Input maxLength={60} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="callerPhone" label={t('phone.callerPhone')} rules={req(t('phone.callerPhone'))}>
            <Input maxLength={40} prefix={<PhoneOutlined />} inputMode="tel" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="toldLeaders" label={t('phone.toldLeaders')}>
        <Input maxLength={1000} placeholder={t('phone.toldLeadersPh')} />
      </Form.Item>
    </>
  );
}

/** What the caller said: what happened and why, scope, measures and casualties (both phone forms). */
export function SaidFields() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        name="cause"
        label={t('phone.cause')}
        rules={[
          { required: true, whitespace: true, message: t('phone.required', { field: t('phone.cause') }) },
        ]}
      >
        <Input.TextArea autoSize={{ minRows: 3 }} maxLength={4000} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="scope" label={t('phone.scope')}>
            <Input.TextArea autoSize={{ minRows: 1 }} maxLength={4000} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="measures" label={t('phone.measures')}>
            <Input.TextArea autoSize={{ minRows: 1 }} maxLength={4000} />
          </Form.Item>
        </Col>
      </Row>
      <CasualtyInputs />
    </>
  );
}

export function callerBody(v: CallerValues) {
  return {
    callerUnitId: v.callerUnitId,
    callerName: v.callerName?.trim(),
    callerPhone: v.callerPhone?.trim(),
    callerPost: v.callerPost?.trim() || undefined,
    calledAt: v.calledAt ? wallToIso(v.calledAt) : undefined,
    toldLeaders: v.toldLeaders?.trim() || undefined,
  };
}

interface CallValues extends CallerValues {
  cause?: string;
  scope?: string;
  measures?: string;
  casualties?: Partial<Casualties>;
}

/** 记录来电: a further phone call on an existing event, recorded by the receiving office. */
export function RecordCallModal({
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
  const [form] = Form.useForm<CallValues>();
  const key = useRef(api.newKey());
  useEffect(() => {
    if (open) {
      key.current = api.newKey();
      form.resetFields();
      form.setFieldsValue({ calledAt: nowWall(), casualties: { ...event.casualties } });
    }
  }, [open, form, event.casualties]);
  const save = useMutation({
    mutationFn: (v: CallValues) => {
      const elements: Record<string, unknown> = {};
      if (v.cause?.trim()) elements.cause = v.cause.trim();
      if (v.scope?.trim()) elements.scope = v.scope.trim();
      if (v.measures?.trim()) elements.measures = v.measures.trim();
      if (v.casualties) elements.casualties = v.casualties;
      return api.post<Report>(
        `/api/events/${event.id}/reports`,
        { kind: 'phone', elements, ...callerBody(v) },
        { idempotencyKey: key.current },
      );
    },
    onSuccess: () => {
      ui.message?.success(t('phone.recordedOk'));
      void qc.invalidateQueries({ queryKey: ['event', event.id] });
      void qc.invalidateQueries({ queryKey: ['timeline', event.id] });
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title={t('phone.recordCallTitle', { title: event.title })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('phone.recordCall')}
      confirmLoading={save.isPending}
      width={760}
      destroyOnHidden
      forceRender
    >
      <Form
        form={form}
        name="call"
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        data-testid="record-call-form"
      >
        <CallerFields />
        <SaidFields />
      </Form>
    </Modal>
  );
}
