import { Spin } from 'antd';

export function PageLoading({ full = false }: { full?: boolean }) {
  return (
    <div className={full ? 'page-loading page-loading-full' : 'page-loading'}>
      <Spin size="large" />
    </div>
  );
}
