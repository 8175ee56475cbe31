import { ThunderboltOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { api } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ROMAN } from '../../components/tags';
import { ActivateModal } from './ActivateModal';
import { PlanVersions } from './PlanVersions';
import { type Plan, useCategoryName } from './shared';

/** One plan: scope, tasks per response level, supplies; the leaders of its area activate it on an event. */
export default function PlanPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const catName = useCategoryName();
  const [activating, setActivating] = useState(false);
  const q = useQuery({ queryKey: ['plans', 'one', id], queryFn: () => api.get<Plan>(`/api/plans/${id}`) });
  const p = q.data;
  return (
    <QueryState loading={q.isLoading} error={q.error}>
      {p ? (
        <>
          <PageHeader
            title={p.title}
            subtitle={t('res.plans.version', { v: p.version })}
            extra={
              p.can.activate ? (
                <Button
                  type="primary"
                  danger
                  icon={<ThunderboltOutlined />}
                  onClick={() => setActivating(true)}
                  data-testid="plan-activate"
                >
                  {t('res.plans.activate')}
                </Button>
              ) : null
            }
          />
          <Card>
            <Descriptions
              column={{ xs: 1, md: 2 }}
              items={[
                { key: 'kind', label: t('res.plans.kind'), children: t(`res.plans.kinds.${p.kind}`) },
                { key: 'owner', label: t('res.plans.owner'), children: p.ownerUnitName },
                {
                  key: 'cats',
                  label: t('res.plans.categories'),
                  children: (
                    <Space wrap size={4}>
                      {p.categoryCodes.length
                        ? p.categoryCodes.map((c) => <Tag key={c}>{catName(c)}</Tag>)
                        : t('res.plans.kinds.overall')}
                    </Space>
                  ),
                },
                {
                  key: 'levels',
                  label: t('res.plans.levels'),
                  children: p.levels.map((l) => ROMAN[l as keyof typeof ROMAN]).join(' '),
                },
                { key: 'revise', label: t('res.plans.reviseBy'), children: p.reviseBy },
              ]}
            />
          </Card>
          {p.levels.map((l) => {
            const tasks = p.tasks.filter((x) => x.level === l);
            return (
              <Card
                key={l}
                size="small"
                style={{ marginTop: 16 }}
                title={`${t('res.plans.tasks')} · ${t('res.plans.levelTasks', { level: ROMAN[l as keyof typeof ROMAN] })}`}
                data-testid={`plan-level-${l}`}
              >
                {tasks.length ? (
                  <Table
                    size="small"
                    rowKey={(r) => `${r.title}/${r.unitId}`}
                    pagination={false}
                    dataSource={tasks}
                    scroll={{ x: true }}
                    columns={[
                      { key: 'title', title: t('res.plans.taskTitle'), dataIndex: 'title' },
                      { key: 'unit', title: t('res.plans.taskUnit'), dataIndex: 'unitName' },
                      {
                        key: 'within',
                        title: t('res.plans.within'),
                        render: (_: unknown, r) => t('res.plans.withinShort', { m: r.withinMinutes }),
                      },
                    ]}
                  />
                ) : (
                  <span className="muted">{t('res.plans.noTasks')}</span>
                )}
              </Card>
            );
          })}
          {p.supplies.length ? (
            <Card size="small" style={{ marginTop: 16 }} title={t('res.plans.supplies')}>
              {p.supplies.map((s) => (
                <Tag key={s.itemCode}>
                  {s.itemName ?? s.itemCode} {s.quantity}
                  {s.unit ?? ''}
                </Tag>
              ))}
            </Card>
          ) : null}
          <PlanVersions plan={p} />
          {activating ? <ActivateModal plan={p} onClose={() => setActivating(false)} /> : null}
        </>
      ) : null}
    </QueryState>
  );
}
