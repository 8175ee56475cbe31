import { EditOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, Segmented } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api, type List, qs } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { fmtTime } from '../../format';
import { useLiveMessages } from '../../live';
import { useSession } from '../../session';
import { type Piece, PieceStatusTag } from './shared';
import './strings';

/** 信息报送: the unit's own pieces, and for an information section the pieces sent to its office. */
export default function PiecesPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const { hasRole, actingUnitId } = useSession();
  const editor = hasRole('editor');
  const [tab, setTab] = useState<'mine' | 'inbox'>(editor ? 'inbox' : 'mine');
  const q = useInfiniteQuery({
    queryKey: ['affairs', 'pieces', tab],
    queryFn: ({ pageParam }) =>
      api.get<List<Piece>>(
        `/api/affairs/pieces${qs({
          inbox: tab === 'inbox' ? true : undefined,
          unitId: tab === 'mine' ? actingUnitId : undefined,
          cursor: pageParam || undefined,
        })}`,
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  useLiveMessages(() => void q.refetch(), ['affairs.piece']);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader
        title={t('affairs.list.title')}
        subtitle={t('affairs.list.subtitle')}
        extra={
          hasRole('reporter') ? (
            <Button
              type="primary"
              icon={<EditOutlined />}
              onClick={() => nav('/affairs/pieces/new')}
              data-testid="piece-compose"
            >
              {t('affairs.list.compose')}
            </Button>
          ) : null
        }
      />
      <Card>
        {editor ? (
          <Segmented
            style={{ marginBottom: 12 }}
            value={tab}
            onChange={(v) => setTab(v as 'mine' | 'inbox')}
            options={[
              { value: 'inbox', label: t('affairs.list.inbox') },
              { value: 'mine', label: t('affairs.list.mine') },
            ]}
          />
        ) : null}
        <QueryState loading={q.isLoading} error={q.error}>
          <ResponsiveTable<Piece>
            data-testid="pieces-table"
            rowKey="id"
            dataSource={items}
            pagination={false}
            locale={{ emptyText: t('affairs.list.empty') }}
            onRow={(r) => ({ onClick: () => nav(`/affairs/pieces/${r.id}`), style: { cursor: 'pointer' } })}
            columns={[
              {
                key: 'title',
                title: t('affairs.col.title'),
                render: (_: unknown, r: Piece) => <Link to={`/affairs/pieces/${r.id}`}>{r.title}</Link>,
              },
              {
                key: 'kind',
                title: t('affairs.col.kind'),
                render: (_: unknown, r: Piece) => t(`affairs.kind.${r.kind}`),
              },
              { key: 'unit', title: t('affairs.col.unit'), dataIndex: 'unitName' },
              {
                key: 'status',
                title: t('affairs.col.status'),
                render: (_: unknown, r: Piece) => <PieceStatusTag status={r.status} />,
              },
              {
                key: 'sentAt',
                title: t('affairs.col.sentAt'),
                render: (_: unknown, r: Piece) => fmtTime(r.sentAt) || '—',
              },
              { key: 'points', title: t('affairs.col.points'), dataIndex: 'points' },
            ]}
          />
          {q.hasNextPage ? (
            <Button
              style={{ marginTop: 12 }}
              onClick={() => void q.fetchNextPage()}
              loading={q.isFetchingNextPage}
            >
              {t('affairs.list.more')}
            </Button>
          ) : null}
        </QueryState>
      </Card>
    </>
  );
}
