import { MutationCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { ApiError, setUnauthorizedHandler } from './api';
import { PageLoading } from './components/PageLoading';
import { AppLayout } from './layout/AppLayout';
import { LiveProvider } from './live';
import { navEntries } from './nav';
import { showError, ui } from './notify';
import LoginPage from './pages/LoginPage';

const PublicTipoffPage = lazy(() => import('./pages/inspections/PublicTipoffPage'));
const FieldReportPage = lazy(() => import('./pages/field/FieldReportPage'));

import NotFoundPage from './pages/NotFoundPage';
import { SessionProvider, useMeQuery } from './session';

const queryClient: QueryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (n, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && n < 2,
      refetchOnWindowFocus: true,
      staleTime: 10_000,
    },
  },
  mutationCache: new MutationCache({
    // whatever was done may discharge an obligation: the next step (and the tab title) follow at once
    onSuccess: (): void => {
      void queryClient.invalidateQueries({ queryKey: ['obligations'] });
    },
    onError: (e, _v, _c, m) => {
      if (m.meta?.silent) return;
      if (e instanceof ApiError && e.status === 401) return;
      showError(e);
    },
  }),
});

setUnauthorizedHandler(() => {
  if (window.location.pathname.startsWith('/login') || window.location.pathname.startsWith('/tipoff')) return;
  queryClient.clear();
  const next = encodeURIComponent(window.location.pathname + window.location.search);
  window.location.assign(`/login?next=${next}`);
});

function UiBridge() {
  const { message, notification } = AntApp.useApp();
  useEffect(() => {
    ui.message = message;
    ui.notification = notification;
  }, [message, notification]);
  return null;
}

function RequireAuth({
  children,
}: {
  children: (me: NonNullable<ReturnType<typeof useMeQuery>['data']>) => ReactNode;
}) {
  const q = useMeQuery();
  const loc = useLocation();
  if (q.isLoading) return <PageLoading full />;
  if (!q.data && q.error instanceof ApiError && q.error.status === 0 && loc.pathname === '/field') {
    // the server cannot be reached: the field report's drafts on this device are still shown (and kept)
    return (
      <Suspense fallback={<PageLoading full />}>
        <div className="field-offline-shell">
          <FieldReportPage me={null} />
        </div>
      </Suspense>
    );
  }
  if (!q.data) {
    const next = encodeURIComponent(loc.pathname + loc.search);
    return <Navigate to={loc.pathname === '/' ? '/login' : `/login?next=${next}`} replace />;
  }
  return <>{children(q.data)}</>;
}

function Shell() {
  return (
    <RequireAuth>
      {(me) => (
        <SessionProvider me={me}>
          <LiveProvider>
            <AppLayout>
              <Suspense fallback={<PageLoading />}>
                <Routes>
                  {navEntries.map((e) => (
                    <Route key={e.path} path={e.path} element={e.element} />
                  ))}
                  <Route path="*" element={<NotFoundPage />} />
                </Routes>
              </Suspense>
            </AppLayout>
          </LiveProvider>
        </SessionProvider>
      )}
    </RequireAuth>
  );
}

export function Root() {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  return (
    <ConfigProvider
      locale={en ? enUS : zhCN}
      button={{ autoInsertSpace: false }}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: {
          colorPrimary: '#1f4fa8',
          colorInfo: '#1f4fa8',
          colorError: '#c8102e',
          borderRadius: 6,
          fontFamily:
            '"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC",-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif',
        },
        components: {
          Layout: { headerBg: '#0f2f66', siderBg: '#ffffff', bodyBg: '#f2f4f8', headerHeight: 56 },
          Menu: { itemSelectedBg: '#e8efff', itemSelectedColor: '#1f4fa8' },
        },
      }}
    >
      <AntApp>
        <UiBridge />
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              {/* 举报: public, no session needed */}
              <Route
                path="/tipoff"
                element={
                  <Suspense fallback={<PageLoading full />}>
                    <PublicTipoffPage />
                  </Suspense>
                }
              />
              <Route path="/*" element={<Shell />} />
            </Routes>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
