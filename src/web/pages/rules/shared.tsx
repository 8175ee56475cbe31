import {
  ExclamationCircleOutlined,
  HistoryOutlined,
  RollbackOutlined,
  SaveOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Drawer, Empty, Input, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type List as ApiList, api } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { fmtTime } from '../../format';
import { type Issue, issueText } from '../../issues';
import { showError, ui } from '../../notify';
import type { Category } from '../../types';
import './rules.css';
import './strings';

export type RuleKind = 'must_report' | 'timeliness' | 'responsible_departments';

export interface RuleSet<T> {
  kind: RuleKind;
  version: number;
  body: T;
  note: string | null;
  createdAt: string;
}

export interface RuleVersion {
  version: number;
  note: string | null;
  createdAt: string;
  createdBy: string | null;
}

export type { Issue };

/** Durations of a limit as users say them: 10分钟, 2小时, 1小时30分钟 (en: 10 min, 2 h). */
export function fmtMinutes(m: number | null | undefined, en: boolean): string {
  if (m === null || m === undefined || Number.isNaN(m)) return '—';
  const h = Math.floor(m / 60);
  const r = m % 60;
  if (en) return h ? (r ? `${h} h ${r} min` : `${h} h`) : `${r} min`;
  return h ? (r ? `${h}小时${r}分钟` : `${h}小时`) : `${r}分钟`;
}

const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The category tree, for sub-class pickers and code-prefix pickers. */
export function useCategoryTree() {
  const { i18n } = useTranslation();
  const q = useQuery({
    queryKey: ['categories'],
    queryFn: () => api.get<ApiList<Category> | Category[]>('/api/categories'),
    staleTime: 60 * 60_000,
    retry: false,
  });
  const en = i18n.language === 'en';
  return useMemo(() => {
    const raw = q.data;
    const items: Category[] = Array.isArray(raw) ? raw : (raw?.items ?? []);
    const label = (c: Category) => (en && c.nameEn ? c.nameEn : c.name);
    const byCode = new Map(items.map((c) => [c.code, c]));
    /** 11000 → 11, 11A00 → 11A, 11A01 → 11A01 */
    const prefixOf = (c: Category) =>
      c.code.endsWith('000') ? c.code.slice(0, 2) : c.code.endsWith('00') ? c.code.slice(0, 3) : c.code;
    const byPrefix = new Map(items.map((c) => [prefixOf(c), c]));
    const kids = (parent: string | null) => items.filter((c) => (c.parentCode ?? null) === parent);
    type Node = { value: string; title: string; selectable?: boolean; children?: Node[] };
    // sub-classes (depth 2) under their top class; the top classes are headings only
    const subclassTree: Node[] = kids(null).map((top) => ({
      value: top.code,
      title: `${top.code} ${label(top)}`,
      selectable: false,
      children: kids(top.code).map((s) => ({ value: s.code, title: `${s.code} ${label(s)}` })),
    }));
    const prefixNode = (c: Category): Node => {
      const children = kids(c.code).map(prefixNode);
      return {
        value: prefixOf(c),
        title: `${prefixOf(c)} ${label(c)}`,
        children: children.length ? children : undefined,
      };
    };
    const prefixTree: Node[] = kids(null).map(prefixNode);
    const name = (code: string) => {
      const c = byCode.get(code);
      return c ? label(c) : code;
    };
    const prefixName = (p: string) => {
      const c = byPrefix.get(p);
      return c ? label(c) : null;
    };
    return { loading: q.isLoading, items, subclassTree, prefixTree, name, prefixName };
  }, [q.data, q.isLoading, en]);
}

/** User names for "who saved this version" (the list the caller may see; unknown ids stay short). */
function useUserNames() {
  const q = useQuery({
    queryKey: ['users', 'names'],
    queryFn: () => api.get<ApiList<{ id: string; name: string }>>('/api/users'),
    staleTime: 5 * 60_000,
    retry: false,
  });
  return useMemo(() => new Map((q.data?.items ?? []).map((u) => [u.id, u.name])), [q.data]);
}

export interface EditorApi<T> {
  value: T;
  /** Change the draft (ignored when read only). */
  set: (f: (d: T) => T) => void;
  readOnly: boolean;
  /** The server's (or the local check's) message for a path such as `rows.2.writtenMinutes`. */
  issueAt: (path: string) => string | undefined;
}

/**
 * One rule-set page: the version in force, history, a draft edited by `children`, a required note, saving as a
 * new version, and the server's validation messages.
 */
export function RuleSetPage<T>({
  kind,
  title,
  subtitle,
  describePath,
  check,
  children,
}: {
  kind: RuleKind;
  title: string;
  subtitle: string;
  /** A path of the body in words, for the list of server messages. */
  describePath: (path: string) => string;
  /** Local checks before saving (the server checks again). */
  check?: (body: T) => Issue[];
  children: (e: EditorApi<T>) => ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const names = useUserNames();
  const current = useQuery({
    queryKey: ['rule-set', kind],
    queryFn: () => api.get<RuleSet<T> & { can?: { save: boolean } }>(`/api/rule-sets/${kind}`),
  });
  // the API says whether the caller may save a new version
  const isAdmin = !!current.data?.can?.save;
  const versions = useQuery({
    queryKey: ['rule-set', kind, 'versions'],
    queryFn: () => api.get<ApiList<RuleVersion>>(`/api/rule-sets/${kind}/versions`),
  });
  const [viewing, setViewing] = useState<number | null>(null);
  const old = useQuery({
    queryKey: ['rule-set', kind, viewing],
    queryFn: () => api.get<RuleSet<T>>(`/api/rule-sets/${kind}/${viewing}`),
    enabled: viewing !== null,
  });
  const [draft, setDraft] = useState<T | null>(null);
  const [baseVersion, setBaseVersion] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState(false);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const issuesRef = useRef<HTMLDivElement>(null);
  // bring the list of problems into view when saving failed
  useEffect(() => {
    if (issues.length) issuesRef.current?.scrollIntoView({ behavior: 'smooth', block: 'center' });
  }, [issues]);

  // start (or restart, after someone saved) from the version in force, unless the draft has changes
  const loadedJson = current.data ? JSON.stringify(current.data.body) : null;
  const dirty = draft !== null && loadedJson !== null && JSON.stringify(draft) !== loadedJson;
  useEffect(() => {
    if (!current.data) return;
    if (draft === null || (!dirty && baseVersion !== current.data.version)) {
      setDraft(clone(current.data.body));
      setBaseVersion(current.data.version);
    }
  }, [current.data, draft, dirty, baseVersion]);

  const set = useCallback(
    (f: (d: T) => T) => {
      if (!isAdmin) return;
      setDraft((d) => (d === null ? d : f(clone(d))));
      setIssues([]);
    },
    [isAdmin],
  );

  const save = useMutation({
    mutationFn: () => api.put<RuleSet<T>>(`/api/rule-sets/${kind}`, { body: draft, note: note.trim() }),
    onSuccess: (rs) => {
      ui.message?.success(t('rules.saved', { v: rs.version }));
      qc.setQueryData(['rule-set', kind], rs);
      void qc.invalidateQueries({ queryKey: ['rule-set', kind, 'versions'] });
      setDraft(clone(rs.body));
      setBaseVersion(rs.version);
      setNote('');
      setIssues([]);
    },
    onError: (e) => {
      if (e instanceof ApiError && Array.isArray(e.details?.issues)) {
        setIssues(e.details.issues as Issue[]);
        ui.message?.error(e.message.length > 80 ? t('rules.fixFirst') : e.message);
      } else if (e instanceof ApiError && e.code === 'bad_rule_set') {
        setIssues([{ path: '', message: e.message }]);
      } else showError(e);
    },
  });

  const trySave = () => {
    if (!note.trim()) {
      setNoteError(true);
      return false;
    }
    const local = draft !== null && check ? check(draft) : [];
    if (local.length) {
      setIssues(local);
      ui.message?.error(t('rules.fixFirst'));
      return false;
    }
    return true;
  };

  const issueAt = useCallback(
    (path: string) => {
      const m = issues.find((i) => i.path === path || i.path.startsWith(`${path}.`));
      return m === undefined ? undefined : issueText(m, i18n.language === 'en');
    },
    [issues, i18n.language],
  );

  const en = i18n.language === 'en';
  const items = versions.data?.items ?? [];
  const inForce = current.data;
  const inForceMeta = items.find((v) => v.version === inForce?.version);
  const who = (v: RuleVersion) =>
    v.createdBy
      ? (names.get(v.createdBy) ?? t('rules.unknownUser', { id: v.createdBy.slice(0, 8) }))
      : t('rules.system');

  const shown: T | null = viewing !== null ? (old.data?.body ?? null) : draft;
  const readOnly = !isAdmin || viewing !== null;
  const nextVersion = (items[0]?.version ?? inForce?.version ?? 0) + 1;

  return (
    <div className="rules-page">
      <PageHeader
        title={title}
        subtitle={subtitle}
        tag={
          inForce ? (
            <Tag color="blue" data-testid="rules-version">
              {t('rules.inForce', { v: inForce.version })}
            </Tag>
          ) : null
        }
        extra={
          <Button icon={<HistoryOutlined />} onClick={() => setHistoryOpen(true)} data-testid="rules-history">
            {t('rules.history')}
            {items.length ? t('common.count', { n: items.length }) : ''}
          </Button>
        }
      />
      {inForce ? (
        <div className="rules-inforce muted">
          {fmtTime(inForce.createdAt)}
          {inForceMeta ? ` · ${who(inForceMeta)}` : ''}
          {inForce.note ? ` · ${inForce.note}` : ''}
        </div>
      ) : null}
      <Alert type="warning" showIcon className="rules-alert" title={t('rules.frozenWarning')} />
      {!isAdmin ? <Alert type="info" showIcon className="rules-alert" title={t('rules.readOnly')} /> : null}
      {viewing !== null ? (
        <Alert
          type="info"
          showIcon
          className="rules-alert"
          title={t('rules.viewingOld', { v: viewing })}
          action={
            <Space>
              {isAdmin && old.data ? (
                <Button
                  size="small"
                  onClick={() => {
                    setDraft(clone(old.data.body));
                    ui.message?.info(t('rules.restored', { v: viewing }));
                    setViewing(null);
                  }}
                >
                  {t('rules.restoreOld')}
                </Button>
              ) : null}
              <Button size="small" type="primary" onClick={() => setViewing(null)}>
                {t('rules.backToCurrent')}
              </Button>
            </Space>
          }
        />
      ) : null}
      <div ref={issuesRef} />
      {issues.length ? (
        <Alert
          type="error"
          showIcon
          className="rules-alert"
          data-testid="rules-issues"
          title={t('rules.invalid')}
          description={
            <ul className="rules-issues">
              {issues.map((i) => (
                <li key={`${i.path}|${i.message}`}>
                  {i.path ? <strong>{describePath(i.path)}：</strong> : null}
                  {issueText(i, en)}
                </li>
              ))}
            </ul>
          }
          closable={{ onClose: () => setIssues([]) }}
        />
      ) : null}

      <QueryState
        loading={current.isLoading || (viewing !== null && old.isLoading)}
        error={current.error ?? old.error}
      >
        {shown !== null ? children({ value: shown, set, readOnly, issueAt }) : null}
      </QueryState>

      {isAdmin && viewing === null && draft !== null ? (
        <Card className="rules-savebar" size="small" data-testid="rules-savebar">
          <div className="rules-savebar-inner">
            <div className="rules-savebar-state">
              {dirty ? (
                <Tag color="orange" icon={<ExclamationCircleOutlined />}>
                  {t('rules.dirty')}
                </Tag>
              ) : (
                <Tag>{t('rules.clean')}</Tag>
              )}
            </div>
            <div className="rules-savebar-note">
              <Input
                value={note}
                onChange={(e) => {
                  setNote(e.target.value);
                  if (e.target.value.trim()) setNoteError(false);
                }}
                maxLength={500}
                status={noteError ? 'error' : undefined}
                placeholder={t('rules.notePh')}
                prefix={<span className="rules-note-label">{t('rules.note')}</span>}
                data-testid="rules-note"
              />
              {noteError ? <div className="rules-note-error">{t('rules.noteRequired')}</div> : null}
            </div>
            <Space>
              <Button
                icon={<RollbackOutlined />}
                disabled={!dirty}
                onClick={() => {
                  if (current.data) setDraft(clone(current.data.body));
                  setIssues([]);
                }}
              >
                {t('rules.discard')}
              </Button>
              <Popconfirm
                title={t('rules.saveConfirm', { v: nextVersion })}
                description={<div style={{ maxWidth: 280 }}>{t('rules.saveConfirmText')}</div>}
                open={confirmOpen}
                onOpenChange={(o) => {
                  if (!o) setConfirmOpen(false);
                }}
                onConfirm={() => {
                  setConfirmOpen(false);
                  save.mutate();
                }}
                okButtonProps={{ 'data-testid': 'rules-save-ok' } as Record<string, string>}
              >
                <Button
                  type="primary"
                  icon={<SaveOutlined />}
                  disabled={!dirty}
                  loading={save.isPending}
                  data-testid="rules-save"
                  onClick={() => {
                    if (trySave()) setConfirmOpen(true);
                  }}
                >
                  {t('rules.save')}
                </Button>
              </Popconfirm>
            </Space>
          </div>
        </Card>
      ) : null}

      <Drawer
        title={t('rules.history')}
        open={historyOpen}
        onClose={() => setHistoryOpen(false)}
        size={440}
        data-testid="rules-history-drawer"
      >
        <QueryState
          loading={versions.isLoading}
          error={versions.error}
          empty={!items.length}
          emptyText={t('rules.historyEmpty')}
        >
          <List<RuleVersion>
            dataSource={items}
            locale={{ emptyText: <Empty description={t('rules.historyEmpty')} /> }}
            renderItem={(v) => (
              <List.Item
                className={viewing === v.version ? 'rules-version-active' : undefined}
                actions={[
                  <Button
                    key="view"
                    size="small"
                    type="link"
                    onClick={() => {
                      setViewing(v.version === inForce?.version ? null : v.version);
                      setHistoryOpen(false);
                    }}
                  >
                    {t('rules.view')}
                  </Button>,
                ]}
              >
                <List.Item.Meta
                  title={
                    <Space size={6}>
                      <span className="mono rules-vno">{t('rules.vno', { v: v.version })}</span>
                      {v.version === inForce?.version ? <Tag color="blue">{t('rules.current')}</Tag> : null}
                      <span className="muted rules-vmeta">
                        {fmtTime(v.createdAt)} · {who(v)}
                      </span>
                    </Space>
                  }
                  description={
                    <Typography.Paragraph ellipsis={{ rows: 2, expandable: true }} style={{ margin: 0 }}>
                      {v.note || (en ? '(no note)' : '（未填写说明）')}
                    </Typography.Paragraph>
                  }
                />
              </List.Item>
            )}
          />
        </QueryState>
      </Drawer>
    </div>
  );
}

/** `rows.2.writtenMinutes` → 第 3 行 · 书面报告 */
export function rowPath(
  path: string,
  fields: Record<string, string>,
  t: (k: string, o?: any) => string,
): string {
  const parts = path.split('.');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (/^\d+$/.test(p)) {
      if (i === 1) out.push(t('rules.row', { n: Number(p) + 1 }));
      else out.push(`#${Number(p) + 1}`);
    } else out.push(fields[p] ?? p);
  }
  return out.join(' · ');
}
