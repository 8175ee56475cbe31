import {
  AlertOutlined,
  AuditOutlined,
  ClockCircleOutlined,
  EditOutlined,
  InboxOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Empty, List, Row, Space, Tag } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { type List as ApiList, api } from '../api';
import { PageHeader, QueryState } from '../components/page';
import { LEVEL_COLORS, LevelTag, ROMAN } from '../components/tags';
import { fmtShort } from '../format';
import { useSession, useUnitName } from '../session';
import type { EventItem, IntakeItem, Level } from '../types';
import { type Inbox, inboxCount } from './emergency/inbox';
import { NextStepCard } from './emergency/NextStep';

const LevelPie = lazy(() => import('../components/LevelPie'));

function Stat({
  icon,
  color,
  label,
  value,
  to,
  testId,
}: {
  icon: React.ReactNode;
  color: string;
  label: string;
  value: number | string;
  to: string;
  testId?: string;
}) {
  const nav = useNavigate();
  return (
    <Card className="stat-card clickable" hoverable onClick={() => nav(to)} data-testid={testId}>
      <div className="stat-icon" style={{ background: color }}>
        {icon}
      </div>
      <div>
        <div className="stat-label">{label}</div>
        <div className="stat-value">{value}</div>
      </div>
    </Card>
  );
}

export default function DashboardPage() {
  const { t } = useTranslation();
  const { me, seesIntake, hasRole } = useSession();
  const unitName = useUnitName();
  const events = useQuery({
    queryKey: ['events', 'dashboard'],
    queryFn: () => api.get<ApiList<EventItem>>('/api/events?limit=100'),
  });
  const intake = useQuery({
    queryKey: ['intake', 'dashboard'],
    queryFn: () => api.get<ApiList<IntakeItem>>('/api/intake'),
    enabled: seesIntake,
  });
  const inbox = useQuery({ queryKey: ['reports', 'inbox'], queryFn: () => api.get<Inbox>('/api/inbox') });
  const list = events.data?.items ?? [];
  const open = list.filter((e) => e.status === 'open');
  const overdue = list.filter((e) => (e.overdueDeadlines ?? 0) > 0).length;
  const unsigned = (intake.data?.items ?? []).filter((i) => !i.signedAt).length;
  const byLevel = (['I', 'II', 'III', 'IV', null] as Array<Level | null>).map((l) => ({
    name: l ? `${ROMAN[l]} ${t(`level.${l}`)}` : t('level.none'),
    value: list.filter((e) => e.level === l).length,
    itemStyle: { color: LEVEL_COLORS[l ?? 'none'].bg },
  }));
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { hour: 'numeric', hourCycle: 'h23', timeZone: 'Asia/Shanghai' }).format(
      new Date(),
    ),
  );
  const greet = hour < 6 ? 'night' : hour < 12 ? 'morning' : hour < 18 ? 'afternoon' : 'evening';

  return (
    <>
      <PageHeader
        title={t(`dashboard.greet.${greet}`, { name: me.name })}
        subtitle={t('dashboard.subtitle', { unit: me.unit?.name ?? unitName(me.unitId) })}
        extra={
          hasRole('reporter', 'editor', 'duty_officer', 'duty_leader') ? (
            <Link to="/reports/new">
              <Button type="primary" danger size="large" icon={<EditOutlined />}>
                {t('dashboard.quickReport')}
              </Button>
            </Link>
          ) : null
        }
      />
      <NextStepCard />
      <Row gutter={[16, 16]}>
        {seesIntake ? (
          <Col xs={12} lg={seesIntake ? 6 : 8}>
            <Stat
              icon={<InboxOutlined />}
              color="#c8102e"
              label={t('dashboard.unsigned')}
              value={unsigned}
              to="/intake"
              testId="stat-unsigned"
            />
          </Col>
        ) : null}
        <Col xs={12} lg={seesIntake ? 6 : 8}>
          <Stat
            icon={<AuditOutlined />}
            color="#1f4fa8"
            label={t('dashboard.todo')}
            value={inboxCount(inbox.data)}
            to="/inbox"
          />
        </Col>
        <Col xs={12} lg={seesIntake ? 6 : 8}>
          <Stat
            icon={<AlertOutlined />}
            color="#f57c00"
            label={t('dashboard.open')}
            value={open.length}
            to="/events"
          />
        </Col>
        <Col xs={12} lg={seesIntake ? 6 : 8}>
          <Stat
            icon={<ClockCircleOutlined />}
            color="#7b1fa2"
            label={t('dashboard.overdue')}
            value={overdue}
            to="/events"
          />
        </Col>
      </Row>
      <Row gutter={[16, 16]} className="section-gap">
        <Col xs={24} xl={15}>
          <Card title={t('dashboard.recent')} extra={<Link to="/events">{t('common.more')}</Link>}>
            <QueryState
              loading={events.isLoading}
              error={events.error}
              empty={!list.length}
              emptyText={t('dashboard.noEvents')}
            >
              <List
                dataSource={list.slice(0, 8)}
                renderItem={(e) => (
                  <List.Item extra={<span className="timeline-time">{fmtShort(e.occurredAt)}</span>}>
                    <List.Item.Meta
                      avatar={<LevelTag level={e.level} short />}
                      title={<Link to={`/events/${e.id}`}>{e.title}</Link>}
                      description={
                        <Space size={4} wrap>
                          <span>{unitName(e.responsibleUnitId)}</span>
                          {e.status === 'closed' ? <Tag>{t('eventStatus.closed')}</Tag> : null}
                          {e.overdueDeadlines ? (
                            <Tag color="red">{t('events.overdue', { n: e.overdueDeadlines })}</Tag>
                          ) : null}
                        </Space>
                      }
                    />
                  </List.Item>
                )}
              />
            </QueryState>
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card title={t('dashboard.byLevel')}>
            {list.length ? (
              <Suspense fallback={<div style={{ height: 280 }} />}>
                <LevelPie data={byLevel.filter((d) => d.value > 0)} />
              </Suspense>
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noEvents')} />
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
