/**
 * The navigation and route list of the web app, in one place. To add a page, append an entry to `navEntries`
 * (and, for a new section of the side menu, a group to `navGroups`). Strings are i18n keys: add them with
 * `addTranslations` from ./i18n in your page file, or to locales/zh-CN.ts and locales/en.ts.
 */
import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  CalendarOutlined,
  CameraOutlined,
  ClockCircleOutlined,
  ContainerOutlined,
  DashboardOutlined,
  EditOutlined,
  FileDoneOutlined,
  FileProtectOutlined,
  FileSearchOutlined,
  FireOutlined,
  FlagOutlined,
  IdcardOutlined,
  InboxOutlined,
  MessageOutlined,
  NotificationOutlined,
  PartitionOutlined,
  PhoneOutlined,
  ReadOutlined,
  SafetyCertificateOutlined,
  SafetyOutlined,
  SendOutlined,
  SettingOutlined,
  SolutionOutlined,
  TeamOutlined,
  UnorderedListOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { lazy, type ReactNode } from 'react';
import './pages/duty/strings';
import './pages/notifications/strings';
import './pages/responsibility/strings';
import './pages/rules/strings';
import './pages/tasks/strings';
import type { Role } from './types';
import './pages/accountability/strings';
import './pages/emergency/strings';
import './pages/inspections/strings';
import './pages/inspections/sources.strings';
import './pages/resources/strings';
import './pages/settings/strings';
import './pages/field/strings';
import './pages/affairs/strings';

export interface NavUser {
  roles: Role[];
  /** The user sits in an office that sees its area's intake. */
  seesIntake: boolean;
}

export interface NavEntry {
  /** Route path (react-router syntax, e.g. '/events/:id'). */
  path: string;
  /** i18n key of the menu label and page title. */
  label: string;
  icon?: ReactNode;
  element: ReactNode;
  /** Key of a group in `navGroups`; none = a top-level menu item. */
  group?: string;
  /** Shown to users holding any of these roles (omit = everybody). */
  roles?: Role[];
  /** A finer check than roles. */
  visible?: (u: NavUser) => boolean;
  /** Route only, not in the menu (detail pages). */
  hidden?: boolean;
  /** Still being built: the menu shows a small marker. */
  wip?: boolean;
  /** A live counter shown next to the menu label (key into the badge counts of the layout). */
  badge?: string;
}

export interface NavGroup {
  key: string;
  label: string;
  icon: ReactNode;
}

const Dashboard = lazy(() => import('./pages/DashboardPage'));
const MyUnit = lazy(() => import('./pages/MyUnitPage'));
const NewReport = lazy(() => import('./pages/emergency/NewReportPage'));
const Inbox = lazy(() => import('./pages/emergency/InboxPage'));
const Intake = lazy(() => import('./pages/emergency/IntakePage'));
const PhoneReport = lazy(() => import('./pages/emergency/PhoneReportPage'));
const Events = lazy(() => import('./pages/emergency/EventsPage'));
const EventDetail = lazy(() => import('./pages/emergency/EventPage'));
const ReportEdit = lazy(() => import('./pages/emergency/ReportEditPage'));
const Units = lazy(() => import('./pages/admin/UnitsPage'));
const Users = lazy(() => import('./pages/admin/UsersPage'));
const MustReportRules = lazy(() => import('./pages/rules/MustReportPage'));
const TimelinessRules = lazy(() => import('./pages/rules/TimelinessPage'));
const DepartmentRules = lazy(() => import('./pages/rules/DepartmentsPage'));
const Responsibility = lazy(() => import('./pages/responsibility/ResponsibilityPage'));
const ResponsiblePersons = lazy(() => import('./pages/responsibility/ResponsiblePersonsPage'));
const AccStats = lazy(() => import('./pages/accountability/StatsPage'));
const AccNotices = lazy(() => import('./pages/accountability/NoticesPage'));
const AccTrace = lazy(() => import('./pages/accountability/TracePage'));
const AccZero = lazy(() => import('./pages/accountability/ZeroReportsPage'));
const DutyBoard = lazy(() => import('./pages/duty/BoardPage'));
const DutyRoster = lazy(() => import('./pages/duty/RosterPage'));
const DutyShift = lazy(() => import('./pages/duty/ShiftPage'));
const DutySpot = lazy(() => import('./pages/duty/SpotCheckPage'));
const DutyDirectory = lazy(() => import('./pages/duty/DirectoryPage'));
const InspHazards = lazy(() => import('./pages/inspections/HazardsPage'));
const InspHazard = lazy(() => import('./pages/inspections/HazardPage'));
const InspCampaigns = lazy(() => import('./pages/inspections/CampaignsPage'));
const InspCampaign = lazy(() => import('./pages/inspections/CampaignPage'));
const InspTipoffs = lazy(() => import('./pages/inspections/TipoffsPage'));
const InspStats = lazy(() => import('./pages/inspections/StatsPage'));
const InspSources = lazy(() => import('./pages/inspections/SourcesPage'));
const InspSource = lazy(() => import('./pages/inspections/SourcePage'));
const InspSafetyOffices = lazy(() => import('./pages/inspections/SafetyOfficesPage'));
const NotificationsInbox = lazy(() => import('./pages/notifications/InboxPage'));
const NotificationPrefs = lazy(() => import('./pages/notifications/PreferencesPage'));
const Channels = lazy(() => import('./pages/settings/ChannelsPage'));
const AuditLog = lazy(() => import('./pages/settings/AuditLogPage'));
const TasksBoard = lazy(() => import('./pages/tasks/TasksBoardPage'));
const TaskDetail = lazy(() => import('./pages/tasks/TaskPage'));
const TaskIssue = lazy(() => import('./pages/tasks/IssueTaskPage'));
const TaskCollection = lazy(() => import('./pages/tasks/CollectionPage'));
const FieldReport = lazy(() => import('./pages/field/FieldReportPage'));
const ResRegisters = lazy(() => import('./pages/resources/RegistersPage'));
const ResStock = lazy(() => import('./pages/resources/StockPage'));
const Plans = lazy(() => import('./pages/resources/PlansPage'));
const PlanNew = lazy(() => import('./pages/resources/PlanEditPage'));
const PlanDetail = lazy(() => import('./pages/resources/PlanPage'));
const AffairsPieces = lazy(() => import('./pages/affairs/PiecesPage'));
const AffairsCompose = lazy(() => import('./pages/affairs/ComposePage'));
const AffairsPiece = lazy(() => import('./pages/affairs/PiecePage'));
const AffairsCommissions = lazy(() => import('./pages/affairs/CommissionsPage'));
const AffairsScores = lazy(() => import('./pages/affairs/ScoresPage'));
const AffairsTopics = lazy(() => import('./pages/affairs/TopicsPage'));
const AffairsPublications = lazy(() => import('./pages/affairs/PublicationsPage'));

const REPORTERS: Role[] = ['reporter', 'editor', 'duty_officer', 'duty_leader', 'admin'];

export const navGroups: NavGroup[] = [
  { key: 'emergency', label: 'nav.emergency', icon: <AlertOutlined /> },
  { key: 'assessment', label: 'nav.assessment', icon: <BarChartOutlined /> },
  { key: 'duty', label: 'nav.duty', icon: <CalendarOutlined /> },
  { key: 'affairs', label: 'affairs.nav.group', icon: <ReadOutlined /> },
  { key: 'inspections', label: 'insp.nav.group', icon: <SafetyOutlined /> },
  { key: 'resources', label: 'res.nav.group', icon: <ContainerOutlined /> },
  { key: 'admin', label: 'nav.admin', icon: <SettingOutlined /> },
];

export const navEntries: NavEntry[] = [
  { path: '/', label: 'nav.dashboard', icon: <DashboardOutlined />, element: <Dashboard /> },

  // 紧急信息
  {
    path: '/reports/new',
    label: 'nav.newReport',
    icon: <EditOutlined />,
    element: <NewReport />,
    group: 'emergency',
    roles: REPORTERS,
  },
  {
    path: '/field',
    label: 'nav.field',
    icon: <CameraOutlined />,
    element: <FieldReport />,
    group: 'emergency',
    roles: ['reporter', 'editor', 'duty_officer', 'duty_leader', 'approver', 'principal'],
  },
  {
    path: '/inbox',
    label: 'nav.inbox',
    icon: <AuditOutlined />,
    element: <Inbox />,
    group: 'emergency',
    badge: 'inbox',
  },
  {
    path: '/intake',
    label: 'nav.intake',
    icon: <InboxOutlined />,
    element: <Intake />,
    group: 'emergency',
    visible: (u) => u.seesIntake,
    badge: 'intake',
  },
  {
    path: '/phone',
    label: 'nav.phoneReport',
    icon: <PhoneOutlined />,
    element: <PhoneReport />,
    group: 'emergency',
    roles: ['editor', 'duty_officer', 'duty_leader', 'reporter', 'approver', 'principal', 'leader'],
    visible: (u) => u.seesIntake,
  },
  {
    path: '/events',
    label: 'nav.events',
    icon: <UnorderedListOutlined />,
    element: <Events />,
    group: 'emergency',
  },
  { path: '/events/:id', label: 'nav.eventDetail', element: <EventDetail />, hidden: true },
  { path: '/reports/:id/edit', label: 'nav.reportEdit', element: <ReportEdit />, hidden: true },

  // 督查督办
  // 政务信息
  {
    path: '/affairs/pieces',
    label: 'affairs.nav.pieces',
    icon: <FileSearchOutlined />,
    element: <AffairsPieces />,
    group: 'affairs',
  },
  {
    path: '/affairs/pieces/new',
    label: 'affairs.nav.compose',
    element: <AffairsCompose />,
    group: 'affairs',
    hidden: true,
  },
  { path: '/affairs/pieces/:id', label: 'affairs.nav.piece', element: <AffairsPiece />, hidden: true },
  {
    path: '/affairs/commissions',
    label: 'affairs.nav.commissions',
    icon: <CalendarOutlined />,
    element: <AffairsCommissions />,
    group: 'affairs',
  },
  {
    path: '/affairs/topics',
    label: 'affairs.nav.topics',
    icon: <FlagOutlined />,
    element: <AffairsTopics />,
    group: 'affairs',
  },
  {
    path: '/affairs/publications',
    label: 'affairs.nav.publications',
    icon: <FileProtectOutlined />,
    element: <AffairsPublications />,
    group: 'affairs',
  },
  {
    path: '/affairs/scores',
    label: 'affairs.nav.scores',
    icon: <BarChartOutlined />,
    element: <AffairsScores />,
    group: 'affairs',
  },

  { path: '/tasks', label: 'tasks.nav.board', icon: <FileDoneOutlined />, element: <TasksBoard /> },
  {
    path: '/tasks/new',
    label: 'tasks.nav.issue',
    element: <TaskIssue />,
    hidden: true,
    roles: ['editor', 'leader', 'principal'],
  },
  {
    path: '/tasks/collections/:id',
    label: 'tasks.nav.collection',
    element: <TaskCollection />,
    hidden: true,
  },
  { path: '/tasks/:id', label: 'tasks.nav.detail', element: <TaskDetail />, hidden: true },

  // 时效与考核
  {
    path: '/stats',
    label: 'nav.stats',
    icon: <BarChartOutlined />,
    element: <AccStats />,
    group: 'assessment',
  },
  {
    path: '/notices',
    label: 'nav.notices',
    icon: <NotificationOutlined />,
    element: <AccNotices />,
    group: 'assessment',
  },
  {
    path: '/trace',
    label: 'nav.trace',
    icon: <FileSearchOutlined />,
    element: <AccTrace />,
    group: 'assessment',
  },
  { path: '/events/:id/trace', label: 'nav.trace', element: <AccTrace />, hidden: true },
  {
    path: '/zero-reports',
    label: 'acc.zr.title',
    icon: <CalendarOutlined />,
    element: <AccZero />,
    group: 'assessment',
  },
  {
    path: '/responsibility',
    label: 'resp.nav',
    icon: <SolutionOutlined />,
    element: <Responsibility />,
    group: 'assessment',
    roles: ['leader', 'editor', 'admin'],
  },
  {
    path: '/responsibility/units/:unitId',
    label: 'resp.nav',
    element: <ResponsiblePersons />,
    hidden: true,
  },

  // 值班值守
  {
    path: '/duty',
    label: 'duty.nav.board',
    icon: <DashboardOutlined />,
    element: <DutyBoard />,
    group: 'duty',
  },
  {
    path: '/duty/roster',
    label: 'duty.nav.roster',
    icon: <CalendarOutlined />,
    element: <DutyRoster />,
    group: 'duty',
  },
  {
    path: '/duty/shift',
    label: 'duty.nav.shift',
    icon: <EditOutlined />,
    element: <DutyShift />,
    group: 'duty',
  },
  {
    path: '/duty/spot-checks',
    label: 'duty.nav.spot',
    icon: <AlertOutlined />,
    element: <DutySpot />,
    group: 'duty',
  },
  {
    path: '/duty/directory',
    label: 'duty.nav.directory',
    icon: <IdcardOutlined />,
    element: <DutyDirectory />,
    group: 'duty',
  },

  // 安全检查
  {
    path: '/inspections/hazards',
    label: 'insp.nav.hazards',
    icon: <WarningOutlined />,
    element: <InspHazards />,
    group: 'inspections',
  },
  { path: '/inspections/hazards/:id', label: 'insp.nav.hazard', element: <InspHazard />, hidden: true },
  {
    path: '/inspections/campaigns',
    label: 'insp.nav.campaigns',
    icon: <FlagOutlined />,
    element: <InspCampaigns />,
    group: 'inspections',
  },
  { path: '/inspections/campaigns/:id', label: 'insp.nav.campaign', element: <InspCampaign />, hidden: true },
  {
    path: '/inspections/sources',
    label: 'insp.nav.sources',
    icon: <FireOutlined />,
    element: <InspSources />,
    group: 'inspections',
  },
  { path: '/inspections/sources/:id', label: 'insp.nav.source', element: <InspSource />, hidden: true },
  {
    path: '/inspections/tipoffs',
    label: 'insp.nav.tipoffs',
    icon: <MessageOutlined />,
    element: <InspTipoffs />,
    group: 'inspections',
  },
  {
    path: '/inspections/stats',
    label: 'insp.nav.stats',
    icon: <BarChartOutlined />,
    element: <InspStats />,
    group: 'inspections',
  },

  // 一网五库
  {
    path: '/plans',
    label: 'res.nav.plans',
    icon: <FileProtectOutlined />,
    element: <Plans />,
    group: 'resources',
  },
  {
    path: '/plans/new',
    label: 'res.nav.planNew',
    element: <PlanNew />,
    hidden: true,
    roles: ['editor', 'admin'],
  },
  { path: '/plans/:id', label: 'res.nav.plan', element: <PlanDetail />, hidden: true },
  {
    path: '/resources',
    label: 'res.nav.registers',
    icon: <TeamOutlined />,
    element: <ResRegisters />,
    group: 'resources',
  },
  {
    path: '/resources/stock',
    label: 'res.nav.stock',
    icon: <InboxOutlined />,
    element: <ResStock />,
    group: 'resources',
  },

  // 系统管理
  {
    path: '/admin/units',
    label: 'nav.units',
    icon: <ApartmentOutlined />,
    element: <Units />,
    group: 'admin',
    roles: ['admin'],
  },
  {
    path: '/admin/users',
    label: 'nav.users',
    icon: <TeamOutlined />,
    element: <Users />,
    group: 'admin',
    roles: ['admin'],
  },
  // rule sets: administrators edit, editors and leaders read
  {
    path: '/admin/rules',
    label: 'rules.nav.mustReport',
    icon: <SafetyCertificateOutlined />,
    element: <MustReportRules />,
    group: 'admin',
    roles: ['admin', 'editor', 'leader'],
  },
  {
    path: '/admin/rules/timeliness',
    label: 'rules.nav.timeliness',
    icon: <ClockCircleOutlined />,
    element: <TimelinessRules />,
    group: 'admin',
    roles: ['admin', 'editor', 'leader'],
  },
  {
    path: '/admin/rules/departments',
    label: 'rules.nav.departments',
    icon: <PartitionOutlined />,
    element: <DepartmentRules />,
    group: 'admin',
    roles: ['admin', 'editor', 'leader'],
  },

  {
    path: '/admin/channels',
    label: 'settings.nav.channels',
    icon: <SendOutlined />,
    element: <Channels />,
    group: 'admin',
    roles: ['admin'],
  },
  {
    path: '/admin/safety-offices',
    label: 'insp.nav.safetyOffices',
    icon: <SafetyCertificateOutlined />,
    element: <InspSafetyOffices />,
    group: 'admin',
    roles: ['admin'],
  },
  {
    path: '/admin/audit-log',
    label: 'settings.nav.auditLog',
    icon: <FileProtectOutlined />,
    element: <AuditLog />,
    group: 'admin',
    roles: ['admin', 'auditor'],
  },

  { path: '/me/unit', label: 'nav.myUnit', icon: <IdcardOutlined />, element: <MyUnit />, hidden: true },
  {
    path: '/notifications',
    label: 'nav.notifications',
    icon: <BellOutlined />,
    element: <NotificationsInbox />,
    hidden: true,
  },
  { path: '/notifications/settings', label: 'notif.nav.prefs', element: <NotificationPrefs />, hidden: true },
];

export function canSee(e: NavEntry, u: NavUser): boolean {
  if (e.roles && !e.roles.some((r) => u.roles.includes(r))) return false;
  if (e.visible && !e.visible(u)) return false;
  return true;
}
