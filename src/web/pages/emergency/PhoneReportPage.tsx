import { PhoneOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, DatePicker, Divider, Form, Input, Radio, Row } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api';
import { PageHeader } from '../../components/page';
import { LEVEL_COLORS, ROMAN } from '../../components/tags';
import { nowWall, wallToIso } from '../../format';
import { ui } from '../../notify';
import { useUnits } from '../../session';
import type { Casualties, EventItem, Level } from '../../types';
import { LEVELS } from '../../types';
import { CategoryPicker } from './CategoryPicker';
import {
  actingOf,
  CallerFields,
  type CallerValues,
  callerBody,
  SaidFields,
  UnitsBelowSelect,
} from './PhoneCall';
import './strings';

interface Values extends CallerValues {
  title?: string;
  category?: string[];
  level?: Level | 'none';
  occurredAt?: Dayjs;
  address?: string;
  responsibleUnitId?: string;
  cause?: string;
  scope?: string;
  measures?: string;
  casualties?: Partial<Casualties>;
}

/** 电话接报: the duty officer records a phone report and registers the event in one step. */
export default function PhoneReportPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const { byId } = useUnits();
  const [form] = Form.useForm<Values>();
  const level = Form.useWatch('level', form);
  // one key per filled-in form: a retried click never registers the event twice
  const key = useRef(api.newKey());
  const initial = useMemo<Values>(
    () => ({
      calledAt: nowWall(),
      // no risky defaults: when it happened and how grave it is are asked, not assumed
      casualties: { dead: 0, missing: 0, seriouslyInjured: 0, lightlyInjured: 0, trapped: 0 },
    }),
    [],
  );

  const save = useMutation({
    mutationFn: (v: Values) => {
      const said = [
        v.cause?.trim(),
        v.scope?.trim() ? `${t('phone.scopeLabel')}${v.scope.trim()}` : '',
        v.measures?.trim() ? `${t('phone.measuresLabel')}${v.measures.trim()}` : '',
      ]
        .filter(Boolean)
        .join('\n');
      return api.post<EventItem>(
        '/api/events',
        {
          title: v.title!.trim(),
          categoryCode: v.category![v.category!.length - 1],
          level: v.level === 'none' ? null : v.level,
          occurredAt: wallToIso(v.occurredAt!),
          place: { address: v.address!.trim() },
          responsibleUnitId: v.responsibleUnitId,
          source: 'phone',
          summary: said || undefined,
          casualties: {
            dead: 0,
            missing: 0,
            seriouslyInjured: 0,
            lightlyInjured: 0,
            trapped: 0,
            ...v.casualties,
          },
          ...callerBody(v),
        },
        { idempotencyKey: key.current },
      );
    },
    onSuccess: (ev) => {
      ui.message?.success(t('phone.registeredOk'));
      void qc.invalidateQueries({ queryKey: ['events'] });
      void qc.invalidateQueries({ queryKey: ['intake'] });
      nav(`/events/${ev.id}`);
    },
  });

  const onValuesChange = (changed: Partial<Values>) => {
    // the responsible unit follows the caller until the officer picks another one
    if ('callerUnitId' in changed && !form.isFieldTouched('responsibleUnitId'))
      form.setFieldValue(
        'responsibleUnitId',
        actingOf(changed.callerUnitId ? byId.get(changed.callerUnitId) : undefined, byId),
      );
  };

  const req = (field: string) => [
    { required: true, whitespace: true, message: t('phone.required', { field }) },
  ];
  const levelOptions: Array<Level | 'none'> = [...LEVELS, 'none'];

  return (
    <>
      <PageHeader title={t('phone.title')} subtitle={t('phone.hint')} />
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initial}
        onValuesChange={onValuesChange}
        onFinish={(v) => save.mutate(v)}
        onFinishFailed={() => ui.message?.warning(t('report.fixForm'))}
        scrollToFirstError
        data-testid="phone-form"
      >
        <Row gutter={16}>
          <Col xs={24} xl={16}>
            <Card>
              <div className="form-section-title">
                <PhoneOutlined /> {t('phone.sectionCaller')}
              </div>
              <CallerFields />
              <Divider />
              <div className="form-section-title">{t('phone.sectionEvent')}</div>
              <Form.Item name="title" label={t('event.title')} rules={req(t('event.title'))}>
                <Input maxLength={120} placeholder={t('phone.titlePh')} showCount />
              </Form.Item>
              <Row gutter={12}>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="category"
                    label={t('event.category')}
                    rules={[{ required: true, message: t('report.categoryRequired') }]}
                  >
                    <CategoryPicker />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="level"
                    label={t('event.level')}
                    rules={[{ required: true, message: t('report.levelRequired') }]}
                  >
                    <Radio.Group optionType="button" className="level-picker" buttonStyle="solid">
                      {levelOptions.map((l) => {
                        const c = LEVEL_COLORS[l];
                        const on = level === l;
                        return (
                          <Radio.Button
                            key={l}
                            value={l}
                            data-testid={`phone-level-${l}`}
                            style={
                              on
                                ? { background: c.bg, borderColor: c.border, color: c.fg }
                                : { color: c.border === '#d4b106' ? '#8a6d00' : c.bg }
                            }
                          >
                            {l === 'none' ? t('level.none') : `${ROMAN[l]} ${t(`level.${l}`)}`}
                          </Radio.Button>
                        );
                      })}
                    </Radio.Group>
                  </Form.Item>
                </Col>
              </Row>
              <Row gutter={12}>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="occurredAt"
                    label={t('element.occurredAt')}
                    rules={[{ required: true, message: t('report.occurredRequired') }]}
                  >
                    <DatePicker
                      showTime={{ format: 'HH:mm' }}
                      format="YYYY-MM-DD HH:mm"
                      style={{ width: '100%' }}
                      placeholder={t('report.occurredPh')}
                      disabledDate={(d) => d.isAfter(nowWall(), 'day')}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="responsibleUnitId"
                    label={t('phone.responsibleUnit')}
                    tooltip={t('phone.responsibleHint')}
                  >
                    <UnitsBelowSelect includeSelf />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="address" label={t('element.place')} rules={req(t('element.place'))}>
                <Input maxLength={200} placeholder={t('elementPh.place')} />
              </Form.Item>
              <Divider />
              <div className="form-section-title">{t('phone.sectionSaid')}</div>
              <SaidFields />
            </Card>
          </Col>
          <Col xs={24} xl={8}>
            <Card size="small" className="sticky-side">
              <div className="muted" style={{ fontSize: 13, marginBottom: 12 }}>
                {t('phone.sideHint')}
              </div>
              <Button
                type="primary"
                size="large"
                block
                icon={<PhoneOutlined />}
                htmlType="submit"
                loading={save.isPending}
                data-testid="phone-submit"
              >
                {t('phone.register')}
              </Button>
            </Card>
          </Col>
        </Row>
      </Form>
    </>
  );
}
