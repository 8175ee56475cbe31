import { useQuery } from '@tanstack/react-query';
import { Breadcrumb, Card, Col, Descriptions, List, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type List as ApiList, api } from '../api';
import { PageHeader, QueryState } from '../components/page';
import { ResponsiveTable } from '../components/ResponsiveTable';
import { RoleTags } from '../components/tags';
import { useSession, useUnits } from '../session';
import type { Role, Unit, User } from '../types';
import { KIND_ICONS, unitChain } from '../units';

export function UnitFacts({ unit }: { unit: Unit }) {
  const { t } = useTranslation();
  const wh = unit.workingHours;
  const days = wh?.days?.length ? wh.days.map((d) => t(`weekday.${d}`)).join('、') : t('unit.weekdays');
  const periods = wh?.periods?.length
    ? wh.periods.map(([a, b]) => `${a}–${b}`).join('，')
    : '08:30–12:00，14:30–17:30';
  return (
    <Descriptions
      column={{ xs: 1, md: 2 }}
      size="small"
      bordered
      items={[
        { key: 'name', label: t('unit.name'), children: unit.name },
        {
          key: 'kind',
          label: t('unit.kind'),
          children: (
            <span className="unit-node">
              {KIND_ICONS[unit.kind]} {t(`unitKind.${unit.kind}`)}
            </span>
          ),
        },
        { key: 'level', label: t('unit.level'), children: unit.level ? t(`areaLevel.${unit.level}`) : '—' },
        {
          key: 'code',
          label: t('unit.divisionCode'),
          children: unit.divisionCode ? <span className="mono">{unit.divisionCode}</span> : '—',
        },
        {
          key: 'phone',
          label: t('unit.dutyPhone'),
          children: unit.dutyPhone || <span className="muted">{t('unit.notSet')}</span>,
        },
        {
          key: 'fax',
          label: t('unit.fax'),
          children: unit.fax || <span className="muted">{t('unit.notSet')}</span>,
        },
        { key: 'wh', label: t('unit.workingHours'), span: 2, children: `${days}　${periods}` },
        {
          key: 'status',
          label: t('unit.status'),
          children: unit.disabled ? (
            <Tag>{t('common.disabled')}</Tag>
          ) : (
            <Tag color="success">{t('common.enabled')}</Tag>
          ),
        },
      ]}
    />
  );
}

const ROLE_ORDER: Role[] = [
  'reporter',
  'approver',
  'principal',
  'duty_officer',
  'duty_leader',
  'editor',
  'leader',
  'admin',
];

export default function MyUnitPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { byId } = useUnits();
  const unitQ = useQuery({
    queryKey: ['unit', me.unitId],
    queryFn: () => api.get<Unit>(`/api/units/${me.unitId}`),
  });
  const actingId = me.actingUnitId ?? me.unitId;
  const actingQ = useQuery({
    queryKey: ['unit', actingId],
    queryFn: () => api.get<Unit>(`/api/units/${actingId}`),
    enabled: actingId !== me.unitId,
  });
  const colleaguesQ = useQuery({
    queryKey: ['users', { unitId: me.unitId }],
    queryFn: () => api.get<ApiList<User>>(`/api/users?unitId=${me.unitId}`),
  });
  const chain = unitChain(byId, me.unitId);

  return (
    <>
      <PageHeader
        title={t('myUnit.title')}
        subtitle={chain.length ? <Breadcrumb items={chain.map((u) => ({ title: u.name }))} /> : me.unit?.name}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card title={t('myUnit.unit')}>
            <QueryState loading={unitQ.isLoading} error={unitQ.error}>
              {unitQ.data ? <UnitFacts unit={unitQ.data} /> : null}
            </QueryState>
          </Card>
          {actingId !== me.unitId ? (
            <Card title={t('myUnit.actingFor')} className="section-gap">
              <Typography.Paragraph type="secondary">{t('myUnit.actingHint')}</Typography.Paragraph>
              <QueryState loading={actingQ.isLoading} error={actingQ.error}>
                {actingQ.data ? <UnitFacts unit={actingQ.data} /> : null}
              </QueryState>
            </Card>
          ) : null}
          <Card title={t('myUnit.colleagues')} className="section-gap">
            <ResponsiveTable<User>
              rowKey="id"
              size="small"
              loading={colleaguesQ.isLoading}
              dataSource={colleaguesQ.data?.items ?? []}
              pagination={false}
              locale={{ emptyText: t('common.empty') }}
              columns={[
                { title: t('user.name'), dataIndex: 'name', width: 100 },
                { title: t('user.post'), dataIndex: 'post', render: (v) => v || '—' },
                { title: t('user.roles'), dataIndex: 'roles', render: (r: Role[]) => <RoleTags roles={r} /> },
                { title: t('user.phone'), dataIndex: 'phone', render: (v) => v || '—' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card title={t('myUnit.myRoles')}>
            <div style={{ marginBottom: 12 }}>
              <Typography.Text strong>{me.name}</Typography.Text>
              <span className="muted">（{me.username}）</span>
            </div>
            <List
              dataSource={ROLE_ORDER.filter((r) => me.roles.includes(r))}
              locale={{ emptyText: t('header.noRole') }}
              renderItem={(r) => (
                <List.Item>
                  <List.Item.Meta title={<RoleTags roles={[r]} />} description={t(`roleDuty.${r}`)} />
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
