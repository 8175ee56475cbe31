import { EditOutlined, SafetyCertificateOutlined, SearchOutlined, TeamOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Empty, Input, Row, Select, Space, Tabs, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, qs } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { useSession, useUnitName } from '../../session';
import { UNIT_KINDS } from '../../types';
import { KIND_ICONS } from '../../units';
import { ConfirmationTag, type DefectItem, fmtDate, type StaffingItem } from './shared';
import './responsibility.css';

interface DefectPage {
  items: DefectItem[];
  total: number;
  nextCursor: string | null;
}
interface StaffingReport {
  items: StaffingItem[];
  summary: { checked: number; withProblems: number };
}

function UnitCell({
  u,
}: {
  u: { unitId: string; name: string; kind: string; level: string | null; parentId: string | null };
}) {
  const { t } = useTranslation();
  const unitName = useUnitName();
  return (
    <div>
      <span className="unit-node">
        {KIND_ICONS[u.kind as keyof typeof KIND_ICONS]}
        <strong>{u.name}</strong>
      </span>
      <div className="muted" style={{ fontSize: 12 }}>
        {u.kind === 'area' && u.level ? t(`areaLevel.${u.level}`) : t(`unitKind.${u.kind}`)}
        {u.parentId ? ` · ${unitName(u.parentId)}` : ''}
      </div>
    </div>
  );
}

function Problems({ list }: { list: Array<{ code: string; message: string }> }) {
  return (
    <ul className="resp-problems">
      {list.map((p) => (
        <li key={p.code} data-code={p.code}>
          {p.message}
        </li>
      ))}
    </ul>
  );
}

/** 责任与配备: units of my area with defects (responsible persons, duty phone) and staffing problems. */
export default function ResponsibilityPage() {
  const { t } = useTranslation();
  const { hasRole } = useSession();
  const [kind, setKind] = useState<string | undefined>();
  const [search, setSearch] = useState('');
  const [tab, setTab] = useState('defects');

  const defects = useInfiniteQuery({
    queryKey: ['units', 'defects', kind ?? null],
    queryFn: ({ pageParam }) =>
      api.get<DefectPage>(`/api/units/defects${qs({ kind, limit: 200, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (p) => p.nextCursor ?? undefined,
  });
  const staffing = useQuery({
    queryKey: ['units', 'staffing', 'problems'],
    queryFn: () => api.get<StaffingReport>('/api/units/staffing?onlyProblems=1'),
  });

  const s = search.trim();
  const defectItems = useMemo(
    () =>
      (defects.data?.pages ?? [])
        .flatMap((p) => p.items)
        .filter((u) => !s || u.name.includes(s) || (u.divisionCode ?? '').startsWith(s)),
    [defects.data, s],
  );
  const staffingItems = useMemo(
    () =>
      (staffing.data?.items ?? []).filter(
        (u) => !s || u.name.includes(s) || (u.divisionCode ?? '').startsWith(s),
      ),
    [staffing.data, s],
  );
  const defectTotal = defects.data?.pages[0]?.total;
  const staffingBad = staffing.data?.summary.withProblems;

  const editLink = (unitId: string) => (
    <Link to={`/responsibility/units/${unitId}`} data-testid={`resp-edit-${unitId}`}>
      <EditOutlined /> {t('resp.edit')}
    </Link>
  );

  return (
    <>
      <PageHeader title={t('resp.title')} subtitle={t('resp.sub')} />
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Card className="stat-card clickable" onClick={() => setTab('defects')}>
            <div className="stat-icon" style={{ background: defectTotal ? '#d46b08' : '#389e0d' }}>
              <SafetyCertificateOutlined />
            </div>
            <div>
              <div className="stat-label">{t('resp.defectUnits')}</div>
              <div className="stat-value" data-testid="resp-defect-total">
                {defectTotal ?? '—'}
              </div>
            </div>
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card className="stat-card clickable" onClick={() => setTab('staffing')}>
            <div className="stat-icon" style={{ background: staffingBad ? '#cf1322' : '#389e0d' }}>
              <TeamOutlined />
            </div>
            <div>
              <div className="stat-label">{t('resp.staffingUnits')}</div>
              <div className="stat-value">
                {staffingBad ?? '—'}
                {staffing.data ? (
                  <span className="muted" style={{ fontSize: 13, fontWeight: 400, marginLeft: 8 }}>
                    {t('resp.staffingChecked', { n: staffing.data.summary.checked })}
                  </span>
                ) : null}
              </div>
            </div>
          </Card>
        </Col>
      </Row>
      <Card className="section-gap">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          tabBarExtraContent={
            <Space wrap>
              <Input
                allowClear
                prefix={<SearchOutlined />}
                placeholder={t('resp.search')}
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                style={{ width: 200 }}
              />
              {tab === 'defects' ? (
                <Select
                  allowClear
                  value={kind}
                  onChange={setKind}
                  placeholder={t('resp.allKinds')}
                  style={{ width: 140 }}
                  options={UNIT_KINDS.map((k) => ({ value: k, label: t(`unitKind.${k}`) }))}
                />
              ) : null}
            </Space>
          }
          items={[
            {
              key: 'defects',
              label: `${t('resp.tabDefects')}${defectTotal !== undefined ? t('common.count', { n: defectTotal }) : ''}`,
              children: (
                <QueryState loading={defects.isLoading} error={defects.error}>
                  <ResponsiveTable<DefectItem>
                    rowKey="unitId"
                    size="small"
                    dataSource={defectItems}
                    pagination={false}
                    data-testid="resp-defects"
                    locale={{
                      emptyText: (
                        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('resp.noDefects')} />
                      ),
                    }}
                    columns={[
                      { title: t('resp.unit'), width: 230, render: (_v, u) => <UnitCell u={u} /> },
                      {
                        title: t('resp.list'),
                        render: (_v, u) =>
                          u.responsible ? (
                            <div>
                              <ConfirmationTag status={u.responsible.status} />
                              {u.responsible.missingTiers.length ? (
                                <span className="resp-missing">
                                  {t('resp.missing', {
                                    tiers: u.responsible.missingTiers
                                      .map((x) => t(`resp.tier.${x}`))
                                      .join('、'),
                                  })}
                                </span>
                              ) : null}
                            </div>
                          ) : (
                            <span className="muted">—</span>
                          ),
                      },
                      {
                        title: t('resp.confirmedAt'),
                        width: 110,
                        render: (_v, u) => (
                          <span className="mono">{fmtDate(u.responsible?.confirmedAt)}</span>
                        ),
                      },
                      {
                        title: t('resp.expiresAt'),
                        width: 110,
                        render: (_v, u) => (
                          <span
                            className={`mono${u.responsible?.status === 'expired' ? ' deadline-late' : ''}`}
                          >
                            {fmtDate(u.responsible?.expiresAt)}
                          </span>
                        ),
                      },
                      {
                        title: t('resp.dutyPhone'),
                        width: 100,
                        render: (_v, u) =>
                          u.dutyPhoneMissing ? (
                            <Tag color="error">{t('resp.noPhone')}</Tag>
                          ) : (
                            <span className="muted">{t('resp.hasPhone')}</span>
                          ),
                      },
                      {
                        title: t('resp.action'),
                        width: 110,
                        render: (_v, u) => (u.responsible ? editLink(u.unitId) : null),
                      },
                    ]}
                  />
                  {defects.hasNextPage ? (
                    <div style={{ textAlign: 'center', marginTop: 12 }}>
                      <Button
                        loading={defects.isFetchingNextPage}
                        onClick={() => void defects.fetchNextPage()}
                      >
                        {t('common.loadMore')}
                      </Button>
                    </div>
                  ) : null}
                </QueryState>
              ),
            },
            {
              key: 'staffing',
              label: `${t('resp.tabStaffing')}${staffingBad !== undefined ? t('common.count', { n: staffingBad }) : ''}`,
              children: (
                <QueryState loading={staffing.isLoading} error={staffing.error}>
                  <ResponsiveTable<StaffingItem>
                    rowKey="unitId"
                    size="small"
                    dataSource={staffingItems}
                    pagination={false}
                    data-testid="resp-staffing"
                    locale={{
                      emptyText: (
                        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('resp.noStaffing')} />
                      ),
                    }}
                    columns={[
                      { title: t('resp.unit'), width: 230, render: (_v, u) => <UnitCell u={u} /> },
                      {
                        title: t('resp.rule'),
                        width: 190,
                        render: (_v, u) => (
                          <span className="muted">
                            {u.rule === 'township' ? t('resp.ruleTownship') : t('resp.ruleDept')}
                          </span>
                        ),
                      },
                      {
                        title: t('resp.fullTime'),
                        width: 70,
                        align: 'center',
                        render: (_v, u) =>
                          u.rule === 'township' ? (
                            <span className={u.fullTime < 1 ? 'deadline-late' : undefined}>{u.fullTime}</span>
                          ) : (
                            u.fullTime
                          ),
                      },
                      {
                        title: t('resp.partTime'),
                        width: 70,
                        align: 'center',
                        render: (_v, u) =>
                          u.rule === 'township' ? (
                            <span className={u.partTime < 1 || u.partTime > 2 ? 'deadline-late' : undefined}>
                              {u.partTime}
                            </span>
                          ) : (
                            u.partTime
                          ),
                      },
                      {
                        title: t('resp.officers'),
                        width: 90,
                        align: 'center',
                        render: (_v, u) => (
                          <span
                            className={u.rule !== 'township' && u.officers < 1 ? 'deadline-late' : undefined}
                          >
                            {u.officers}
                          </span>
                        ),
                      },
                      { title: t('resp.problems'), render: (_v, u) => <Problems list={u.problems} /> },
                      {
                        title: t('resp.action'),
                        width: 170,
                        render: (_v, u) => (
                          <Space size={12}>
                            {editLink(u.unitId)}
                            {hasRole('admin') ? (
                              <Link to="/admin/users">
                                <TeamOutlined /> {t('resp.manageUsers')}
                              </Link>
                            ) : null}
                          </Space>
                        ),
                      },
                    ]}
                  />
                </QueryState>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
