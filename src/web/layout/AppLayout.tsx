import {
  BellOutlined,
  DownOutlined,
  IdcardOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Avatar, Badge, Drawer, Dropdown, Layout, Menu, type MenuProps, Segmented, Tag, Tooltip } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, matchPath, useLocation, useNavigate } from 'react-router-dom';
import { api, type List } from '../api';
import { useNarrow } from '../components/ResponsiveTable';
import { RoleTags } from '../components/tags';
import { type Lang, setLang } from '../i18n';
import { useLive } from '../live';
import { canSee, type NavEntry, navEntries, navGroups } from '../nav';
import { type Inbox, inboxCount } from '../pages/emergency/inbox';
import { OverdueTitle } from '../pages/emergency/NextStep';
import { useSession, useSignOut, useUnitName } from '../session';
import type { IntakeItem } from '../types';
import { Logo } from './Logo';

const { Header, Sider, Content } = Layout;

function useBadgeCounts(seesIntake: boolean): Record<string, number> {
  const intake = useQuery({
    queryKey: ['intake', 'badge'],
    queryFn: () => api.get<List<IntakeItem>>('/api/intake'),
    enabled: seesIntake,
    refetchInterval: 60_000,
    retry: false,
  });
  const inbox = useQuery({
    queryKey: ['reports', 'inbox'],
    queryFn: () => api.get<Inbox>('/api/inbox'),
    refetchInterval: 60_000,
    retry: false,
  });
  return {
    intake: (intake.data?.items ?? []).filter((i) => !i.signedAt).length,
    inbox: inboxCount(inbox.data),
  };
}

function findEntry(pathname: string): NavEntry | undefined {
  const exact = navEntries.find((e) => matchPath({ path: e.path, end: true }, pathname));
  return exact;
}

export function AppLayout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { me, seesIntake } = useSession();
  const loc = useLocation();
  const nav = useNavigate();
  const signOut = useSignOut();
  const unitName = useUnitName();
  const { connected } = useLive();
  const [collapsed, setCollapsed] = useState(() => localStorage.getItem('jibao.sider') === 'collapsed');
  const counts = useBadgeCounts(seesIntake);
  // phone-sized screens: the menu is a drawer opened from the header, closed on every navigation
  const narrow = useNarrow();
  const [drawerOpen, setDrawerOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: close the drawer when the page changes
  useEffect(() => setDrawerOpen(false), [loc.pathname]);
  const unreadQ = useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: () => api.get<{ unread: number; unacked: number }>('/api/notifications/unread-count'),
    refetchInterval: 60_000,
    retry: false,
  });
  const unread = unreadQ.data?.unread ?? 0;
  const navUser = { roles: me.roles, seesIntake };

  const current = findEntry(loc.pathname);
  const selectedKey = current?.hidden ? (current.path.startsWith('/events') ? '/events' : '') : current?.path;

  const items: MenuProps['items'] = (() => {
    const label = (e: NavEntry) => {
      const n = e.badge ? counts[e.badge] : 0;
      return (
        <span className="menu-label">
          <span>{t(e.label)}</span>
          {e.wip ? <span className="menu-wip">{t('common.wipShort')}</span> : null}
          {n ? <Badge count={n} size="small" className="menu-badge" /> : null}
        </span>
      );
    };
    const visible = navEntries.filter((e) => !e.hidden && canSee(e, navUser));
    const out: NonNullable<MenuProps['items']> = [];
    for (const e of visible.filter((x) => !x.group))
      out.push({ key: e.path, icon: e.icon, label: <Link to={e.path}>{label(e)}</Link> });
    for (const g of navGroups) {
      const children = visible.filter((e) => e.group === g.key);
      if (!children.length) continue;
      out.push({
        key: `group:${g.key}`,
        icon: g.icon,
        label: t(g.label),
        children: children.map((e) => ({
          key: e.path,
          icon: e.icon,
          label: <Link to={e.path}>{label(e)}</Link>,
        })),
      });
    }
    return out;
  })();

  const openKeys = navGroups.map((g) => `group:${g.key}`);
  const lang: Lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const unitLabel = me.unit?.name ?? unitName(me.unitId);

  const userMenu: MenuProps = {
    items: [
      { key: 'unit', icon: <IdcardOutlined />, label: t('header.myUnit') },
      { type: 'divider' },
      { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), danger: true },
    ],
    onClick: ({ key }) => {
      if (key === 'unit') nav('/me/unit');
      if (key === 'logout') void signOut();
    },
  };

  const menu = (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={selectedKey ? [selectedKey] : []}
      defaultOpenKeys={openKeys}
      className="app-menu"
      style={{ borderInlineEnd: 0 }}
    />
  );

  return (
    <Layout className={narrow ? 'app-layout app-narrow' : 'app-layout'}>
      <OverdueTitle />
      <Header className="app-header">
        <div className="app-header-left">
          <button
            type="button"
            className="hdr-btn"
            aria-label={t('header.toggleMenu')}
            data-testid="menu-toggle"
            onClick={() => {
              if (narrow) return setDrawerOpen(true);
              localStorage.setItem('jibao.sider', collapsed ? 'open' : 'collapsed');
              setCollapsed(!collapsed);
            }}
          >
            {collapsed || narrow ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
          </button>
          <Link to="/" className="brand">
            <Logo size={32} />
            <span className="brand-name">{t('app.name')}</span>
            <span className="brand-sep" />
            <span className="brand-sub">{t('app.subtitle')}</span>
          </Link>
        </div>
        <div className="app-header-right">
          <Tooltip title={connected ? t('header.liveOn') : t('header.liveOff')}>
            <span className={connected ? 'live-dot on' : 'live-dot'} data-testid="live-indicator">
              {connected ? t('header.live') : t('header.offline')}
            </span>
          </Tooltip>
          <Tooltip title={t('nav.notifications')}>
            <button
              type="button"
              className="hdr-btn"
              onClick={() => nav('/notifications')}
              aria-label={t('nav.notifications')}
            >
              <Badge count={unread} size="small" offset={[4, -4]}>
                <BellOutlined style={{ color: 'rgba(255,255,255,0.85)', fontSize: 16 }} />
              </Badge>
            </button>
          </Tooltip>
          <Segmented
            size="small"
            className="lang-switch"
            value={lang}
            onChange={(v) => setLang(v as Lang)}
            options={[
              { label: '中文', value: 'zh-CN' },
              { label: 'EN', value: 'en' },
            ]}
          />
          <Dropdown menu={userMenu} trigger={['click']}>
            <button type="button" className="user-chip" data-testid="user-menu">
              <Avatar size={30} className="user-avatar">
                {me.name.slice(0, 1)}
              </Avatar>
              <span className="user-text">
                <span className="user-name">{me.name}</span>
                <span className="user-unit">{unitLabel}</span>
              </span>
              <DownOutlined className="user-caret" />
            </button>
          </Dropdown>
        </div>
      </Header>
      <Layout>
        {narrow ? (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={280}
            title={t('app.name')}
            className="app-drawer"
            styles={{ body: { padding: 0 } }}
          >
            <div className="sider-roles">
              <div className="sider-roles-title">{t('header.roles')}</div>
              <RoleTags roles={me.roles} />
              {me.roles.length === 0 ? <Tag>{t('header.noRole')}</Tag> : null}
            </div>
            {menu}
          </Drawer>
        ) : (
          <Sider
            width={lang === 'en' ? 260 : 224}
            collapsedWidth={64}
            collapsed={collapsed}
            className="app-sider"
            theme="light"
          >
            <div className="sider-roles">
              {collapsed ? null : (
                <>
                  <div className="sider-roles-title">{t('header.roles')}</div>
                  <RoleTags roles={me.roles} />
                  {me.roles.length === 0 ? <Tag>{t('header.noRole')}</Tag> : null}
                </>
              )}
            </div>
            {menu}
          </Sider>
        )}
        <Content className="app-content">
          <div className="app-content-inner">{children}</div>
          <footer className="app-footer">{t('app.footer')}</footer>
        </Content>
      </Layout>
    </Layout>
  );
}
