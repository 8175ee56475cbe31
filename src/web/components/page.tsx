import { ToolOutlined } from '@ant-design/icons';
import { Alert, Card, Empty, Result, Skeleton, Tag } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';

export function PageHeader({
  title,
  subtitle,
  extra,
  tag,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  extra?: ReactNode;
  tag?: ReactNode;
}) {
  return (
    <div className="page-header">
      <div>
        <h1 className="page-title">
          {title}
          {tag}
        </h1>
        {subtitle ? <div className="page-subtitle">{subtitle}</div> : null}
      </div>
      {extra ? <div className="page-extra">{extra}</div> : null}
    </div>
  );
}

/** A page that is not ready yet, shown as such (never a blank screen). */
export function UnderConstruction({ title, description }: { title: string; description?: string }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader
        title={title}
        tag={
          <Tag color="orange" className="wip-tag">
            {t('common.wip')}
          </Tag>
        }
      />
      <Card>
        <Result
          icon={<ToolOutlined style={{ color: '#1d4ed8' }} />}
          title={t('common.wipTitle', { name: title })}
          subTitle={description ?? t('common.wipText')}
        />
      </Card>
    </>
  );
}

/** Loading / error / empty states for a query in one place. */
export function QueryState({
  loading,
  error,
  empty,
  emptyText,
  children,
}: {
  loading?: boolean;
  error?: unknown;
  empty?: boolean;
  emptyText?: ReactNode;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  if (loading) return <Skeleton active paragraph={{ rows: 4 }} />;
  if (error) {
    const e = error as ApiError;
    if (e instanceof ApiError && e.status === 404)
      return <Empty description={t('common.notAvailable')} image={Empty.PRESENTED_IMAGE_SIMPLE} />;
    return <Alert type="error" showIcon title={t('common.loadFailed')} description={e?.message} />;
  }
  if (empty)
    return <Empty description={emptyText ?? t('common.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return <>{children}</>;
}
