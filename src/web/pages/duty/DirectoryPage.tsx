import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Input, Space, Switch, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { showError } from '../../notify';
import './strings';

interface Item {
  unit: { id: string; name: string; kind: string; parentName: string | null };
  dutyPhone: string | null;
  fax: string | null;
  responsible: { tier: string; name: string; phone: string | null }[];
  onDuty: { role: 'officer' | 'leader'; name: string; phone: string | null }[];
  defects: string[];
}

/** 值班通讯录: searchable, exportable; units nobody can be reached at are flagged. */
export default function DirectoryPage() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [defects, setDefects] = useState(false);
  const r = useQuery({
    queryKey: ['duty', 'directory', q, defects],
    queryFn: () =>
      api.get<{ items: Item[] }>(
        `/api/duty/directory?defects=${defects ? 1 : 0}${q ? `&q=${encodeURIComponent(q)}` : ''}`,
      ),
  });
  return (
    <>
      <PageHeader
        title={t('duty.dir.title')}
        extra={
          <Space wrap>
            <Input.Search
              allowClear
              placeholder={t('duty.dir.search')}
              onSearch={setQ}
              style={{ width: 260, maxWidth: '100%' }}
            />
            <Space>
              <Switch checked={defects} onChange={setDefects} />
              {t('duty.dir.defectsOnly')}
            </Space>
            <Button
              icon={<DownloadOutlined />}
              onClick={() =>
                api
                  .download(
                    `/api/duty/directory.xlsx${q ? `?q=${encodeURIComponent(q)}` : ''}`,
                    '值班通讯录.xlsx',
                  )
                  .catch(showError)
              }
            >
              {t('duty.dir.export')}
            </Button>
          </Space>
        }
      />
      <Card>
        <QueryState loading={r.isLoading} error={r.error}>
          <ResponsiveTable
            size="small"
            rowKey={(x) => x.unit.id}
            dataSource={r.data?.items ?? []}
            pagination={{ pageSize: 50 }}
            columns={[
              { title: t('duty.unit'), render: (_, x) => x.unit.name },
              { title: t('duty.board.phone'), dataIndex: 'dutyPhone', render: (v) => v ?? '—' },
              {
                title: t('duty.dir.responsible'),
                render: (_, x) =>
                  x.responsible.map((p) => (
                    <div key={p.tier}>
                      {t(`duty.dir.tier.${p.tier}`)}：{p.name} {p.phone ?? '—'}
                    </div>
                  )),
              },
              {
                title: t('duty.dir.onDuty'),
                render: (_, x) =>
                  x.onDuty.map((p) => (
                    <div key={`${p.role}${p.name}`}>
                      {t(`duty.${p.role}`)}：{p.name} {p.phone ?? ''}
                    </div>
                  )),
              },
              {
                title: t('duty.dir.defects'),
                render: (_, x) =>
                  x.defects.map((d) => (
                    <Tag key={d} color="red">
                      {t(`duty.dir.defect.${d}`)}
                    </Tag>
                  )),
              },
            ]}
          />
        </QueryState>
      </Card>
    </>
  );
}
