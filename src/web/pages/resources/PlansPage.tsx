import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api, type List, qs } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { ROMAN } from '../../components/tags';
import { useSession } from '../../session';
import { PLAN_KINDS, type Plan, useCategoryName } from './shared';

/** 应急预案: the plans the person may read, by kind; editors register new ones. */
export default function PlansPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const { hasRole } = useSession();
  const [kind, setKind] = useState('');
  const catName = useCategoryName();
  const q = useQuery({
    queryKey: ['plans', kind],
    queryFn: () => api.get<List<Plan>>(`/api/plans${qs({ kind: kind || undefined })}`),
  });
  return (
    <>
      <PageHeader
        title={t('res.plans.title')}
        subtitle={t('res.plans.subtitle')}
        extra={
          hasRole('editor', 'admin') ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => nav('/plans/new')}
              data-testid="plan-add"
            >
              {t('res.plans.add')}
            </Button>
          ) : null
        }
      />
      <Card>
        <Select
          style={{ width: 180, marginBottom: 12 }}
          value={kind}
          onChange={setKind}
          aria-label={t('res.plans.kind')}
          options={[
            { value: '', label: t('res.plans.kind') },
            ...PLAN_KINDS.map((k) => ({ value: k, label: t(`res.plans.kinds.${k}`) })),
          ]}
        />
        <QueryState loading={q.isLoading} error={q.error}>
          <ResponsiveTable<Plan>
            data-testid="plans-table"
            rowKey="id"
            dataSource={q.data?.items ?? []}
            pagination={false}
            locale={{ emptyText: t('res.plans.empty') }}
            onRow={(r) => ({ onClick: () => nav(`/plans/${r.id}`), style: { cursor: 'pointer' } })}
            columns={[
              {
                key: 'title',
                title: t('res.plans.titleLabel'),
                render: (_: unknown, r: Plan) => <Link to={`/plans/${r.id}`}>{r.title}</Link>,
              },
              {
                key: 'kind',
                title: t('res.plans.kind'),
                render: (_: unknown, r: Plan) => t(`res.plans.kinds.${r.kind}`),
              },
              { key: 'owner', title: t('res.plans.owner'), dataIndex: 'ownerUnitName' },
              {
                key: 'cats',
                title: t('res.plans.categories'),
                render: (_: unknown, r: Plan) =>
                  r.kind === 'overall' && !r.categoryCodes.length ? (
                    '—'
                  ) : (
                    <Space wrap size={4}>
                      {r.categoryCodes.map((c) => (
                        <Tag key={c}>{catName(c)}</Tag>
                      ))}
                    </Space>
                  ),
              },
              {
                key: 'levels',
                title: t('res.plans.levels'),
                render: (_: unknown, r: Plan) =>
                  r.levels.map((l) => ROMAN[l as keyof typeof ROMAN]).join(' '),
              },
              { key: 'revise', title: t('res.plans.reviseBy'), dataIndex: 'reviseBy' },
            ]}
          />
        </QueryState>
      </Card>
    </>
  );
}
