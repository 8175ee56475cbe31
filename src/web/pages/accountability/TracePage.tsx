import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Descriptions, Empty, Row, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, type List } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { DeadlineStatusTag, LevelTag } from '../../components/tags';
import { fmtDuration, fmtTime } from '../../format';
import { useUnitName } from '../../session';
import type { EventItem } from '../../types';
import './strings';
import '../emergency/calls.strings';

interface Step {
  action: string;
  unitId: string | null;
  unitName: string | null;
  userId: string | null;
  userName: string | null;
  at: string;
  dwellSeconds: number;
  toUnitId?: string;
  toUnitName?: string | null;
  actorUnitId?: string;
  actorUnitName?: string | null;
  asRole?: string;
}
interface TraceDeadline {
  fromUnitId: string;
  fromUnitName: string;
  toUnitId: string | null;
  channel: 'phone' | 'written';
  dueAt: string;
  metAt: string | null;
  status: 'pending' | 'met' | 'late' | 'missed';
  limitMinutes: number;
  overdueSeconds: number;
  responsible: Array<{ userId: string; name: string; roles: string[]; tier: number }>;
}
interface Trace {
  eventId: string;
  occurredAt: string;
  steps: Step[];
  deadlines: TraceDeadline[];
}

const GREEN = '#52c41a';
const RED = '#f5222d';
const GREY = '#91caff';
const ms = (iso: string) => new Date(iso).getTime();

/** A bar from occurrence: the unit's limit marked, green up to it, red beyond. */
function LimitBar({
  total,
  limit,
  value,
  color,
}: {
  total: number;
  limit: number | null;
  value: number;
  color: string;
}) {
  const w = (x: number) => `${Math.min(100, (Math.max(0, x) / total) * 100)}%`;
  return (
    <div style={{ position: 'relative', height: 14, background: '#f5f5f5', borderRadius: 3 }}>
      {limit !== null && limit < value ? (
        <>
          <div
            style={{
              position: 'absolute',
              left: 0,
              width: w(limit),
              height: '100%',
              background: GREEN,
              borderRadius: '3px 0 0 3px',
            }}
          />
          <div
            style={{
              position: 'absolute',
              left: w(limit),
              width: `calc(${w(value)} - ${w(limit)})`,
              height: '100%',
              background: RED,
            }}
          />
        </>
      ) : (
        <div
          style={{
            position: 'absolute',
            left: 0,
            width: w(value),
            height: '100%',
            background: color,
            borderRadius: 3,
          }}
        />
      )}
      {limit !== null ? (
        <div
          style={{
            position: 'absolute',
            left: w(limit),
            top: -3,
            bottom: -3,
            borderLeft: '2px dashed #595959',
          }}
        />
      ) : null}
    </div>
  );
}

/** /trace without an event: pick one. */
function PickEvent() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const list = useQuery({
    queryKey: ['events', 'trace-pick'],
    queryFn: () => api.get<List<EventItem>>('/api/events?limit=100'),
  });
  return (
    <>
      <PageHeader title={t('acc.trace')} />
      <Card>
        <Select
          showSearch
          style={{ width: '100%', maxWidth: 640 }}
          placeholder={t('acc.pickEvent')}
          loading={list.isLoading}
          optionFilterProp="label"
          options={(list.data?.items ?? []).map((e) => ({
            value: e.id,
            label: `${fmtTime(e.occurredAt)} ${e.title}`,
          }))}
          onChange={(v: string) => nav(`/events/${v}/trace`)}
        />
      </Card>
    </>
  );
}

export default function TracePage() {
  const { id } = useParams();
  if (!id) return <PickEvent />;
  return <EventTrace id={id} />;
}

function EventTrace({ id }: { id: string }) {
  const { t } = useTranslation();
  const unitName = useUnitName();
  const ev = useQuery({ queryKey: ['event', id], queryFn: () => api.get<EventItem>(`/api/events/${id}`) });
  const tr = useQuery({ queryKey: ['trace', id], queryFn: () => api.get<Trace>(`/api/events/${id}/trace`) });
  const trace = tr.data;
  const occurred = trace ? ms(trace.occurredAt) : 0;
  // each unit's earliest limit: steps of that unit are judged against it
  const dueByUnit = new Map<string, { due: number; limit: number }>();
  for (const d of trace?.deadlines ?? []) {
    const cur = dueByUnit.get(d.fromUnitId);
    if (!cur || ms(d.dueAt) < cur.due)
      dueByUnit.set(d.fromUnitId, { due: ms(d.dueAt), limit: ms(d.dueAt) - occurred });
  }
  const steps = trace?.steps ?? [];
  const lastStep = steps.length ? ms(steps[steps.length - 1].at) - occurred : 0;
  const maxDue = Math.max(0, ...[...dueByUnit.values()].map((v) => v.limit));
  const total = Math.max(lastStep, maxDue, 60_000) * 1.05;
  const deadlineTotal =
    Math.max(
      60_000,
      ...(trace?.deadlines ?? []).map((d) =>
        Math.max(d.limitMinutes * 60_000 + d.overdueSeconds * 1000, d.limitMinutes * 60_000),
      ),
    ) * 1.05;

  return (
    <>
      <PageHeader
        title={t('acc.traceOf', { title: ev.data?.title ?? '' })}
        tag={ev.data ? <LevelTag level={ev.data.level} /> : null}
        extra={
          <Link to={`/events/${id}`}>
            <Button icon={<ArrowLeftOutlined />}>{t('acc.backToEvent')}</Button>
          </Link>
        }
      />
      <QueryState loading={tr.isLoading} error={tr.error}>
        <Row gutter={[16, 16]}>
          <Col span={24}>
            <Card title={t('acc.deadlines')}>
              {(trace?.deadlines ?? []).length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : null}
              {(trace?.deadlines ?? []).map((d, i) => {
                const limit = d.limitMinutes * 60_000;
                const took = d.metAt ? limit + d.overdueSeconds * 1000 : null;
                // elapsed from the start of the limit: to the report, or until now while unmet
                const value =
                  d.status === 'met' && d.metAt
                    ? limit - (ms(d.dueAt) - ms(d.metAt))
                    : d.status === 'pending'
                      ? limit - (ms(d.dueAt) - Date.now())
                      : limit + d.overdueSeconds * 1000;
                const bad = d.status === 'late' || d.status === 'missed';
                const tier1 = d.responsible.filter((p) => p.tier === 1);
                const tier2 = d.responsible.filter((p) => p.tier === 2);
                return (
                  <div
                    key={i}
                    data-testid="trace-deadline"
                    data-status={d.status}
                    style={{ marginBottom: 16 }}
                  >
                    <Space wrap style={{ marginBottom: 4 }}>
                      <Typography.Text strong>{d.fromUnitName}</Typography.Text>→ {unitName(d.toUnitId)}
                      <Tag>{t(`channel.${d.channel}`)}</Tag>
                      <DeadlineStatusTag status={d.status} />
                      <span>{t('acc.limit', { d: fmtDuration(d.limitMinutes * 60) })}</span>
                      <span>
                        {took !== null || d.status === 'met'
                          ? t('acc.actual', { d: fmtDuration(value / 1000) })
                          : t('acc.notMet')}
                      </span>
                      {bad ? (
                        <Typography.Text type="danger">
                          {t('acc.overBy', { d: fmtDuration(d.overdueSeconds) })}
                        </Typography.Text>
                      ) : null}
                    </Space>
                    <LimitBar
                      total={deadlineTotal}
                      limit={limit}
                      value={Math.max(value, 0)}
                      color={d.status === 'pending' ? GREY : GREEN}
                    />
                    {bad ? (
                      <Descriptions
                        size="small"
                        column={1}
                        style={{ marginTop: 6 }}
                        title={<span style={{ fontSize: 13 }}>{t('acc.chain')}</span>}
                      >
                        <Descriptions.Item label={t('acc.tier1')}>
                          {tier1.length
                            ? tier1.map((p) => <Tag key={p.userId}>{p.name}</Tag>)
                            : t('acc.nobody')}
                        </Descriptions.Item>
                        <Descriptions.Item label={t('acc.tier2')}>
                          {tier2.length
                            ? tier2.map((p) => <Tag key={p.userId}>{p.name}</Tag>)
                            : t('acc.nobody')}
                        </Descriptions.Item>
                      </Descriptions>
                    ) : null}
                  </div>
                );
              })}
            </Card>
          </Col>
          <Col span={24}>
            <Card
              title={t('acc.steps')}
              extra={<Typography.Text type="secondary">{t('acc.stepsHint')}</Typography.Text>}
            >
              {steps.map((s, i) => {
                const elapsed = ms(s.at) - occurred;
                const due = s.unitId ? dueByUnit.get(s.unitId) : undefined;
                const color = due ? (ms(s.at) <= due.due ? GREEN : RED) : GREY;
                return (
                  <Row
                    key={i}
                    gutter={12}
                    align="middle"
                    style={{ padding: '6px 0', borderBottom: '1px solid #f0f0f0' }}
                    data-testid="trace-step"
                    data-over={color === RED}
                  >
                    <Col flex="150px">
                      <Typography.Text type="secondary">{fmtTime(s.at, true)}</Typography.Text>
                    </Col>
                    <Col flex="260px">
                      <Typography.Text strong>{t(`acc.action.${s.action}`, s.action)}</Typography.Text>
                      <div style={{ fontSize: 12, color: '#8c8c8c' }} data-testid="trace-who">
                        {s.unitName ?? '—'}
                        {s.userName ? ` · ${s.userName}` : ''}
                        {s.asRole ? (
                          <Tag style={{ marginLeft: 4, fontSize: 11 }} data-testid="trace-role">
                            {t(`role.${s.asRole}`, s.asRole)}
                          </Tag>
                        ) : null}
                        {s.actorUnitId && s.actorUnitId !== s.unitId && s.actorUnitName ? (
                          <div>{s.actorUnitName}</div>
                        ) : null}
                        {s.toUnitId ? (
                          <div data-testid="trace-to">
                            → {t('acc.arrivedAt', { unit: s.toUnitName ?? unitName(s.toUnitId) })}
                          </div>
                        ) : null}
                      </div>
                    </Col>
                    <Col flex="auto">
                      <Tooltip
                        title={`${fmtDuration(elapsed / 1000)}${due ? ` / ${t('acc.limit', { d: fmtDuration(due.limit / 1000) })}` : ''}`}
                      >
                        <div>
                          <LimitBar
                            total={total}
                            limit={due ? due.limit : null}
                            value={elapsed}
                            color={color}
                          />
                        </div>
                      </Tooltip>
                    </Col>
                    <Col flex="130px" style={{ textAlign: 'right', fontSize: 12 }}>
                      <div>{fmtDuration(elapsed / 1000)}</div>
                      <div style={{ color: '#8c8c8c' }}>
                        {t('acc.dwell', { d: fmtDuration(s.dwellSeconds) })}
                      </div>
                    </Col>
                  </Row>
                );
              })}
            </Card>
          </Col>
        </Row>
      </QueryState>
    </>
  );
}
