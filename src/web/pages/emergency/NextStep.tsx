import { ClockCircleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Space, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api';
import { LevelTag } from '../../components/tags';
import { fmtDuration, fmtShort } from '../../format';
import { addTranslations } from '../../i18n';
import { useUnitName } from '../../session';
import type { Level } from '../../types';

addTranslations(
  {
    next: {
      label: '下一步',
      more: '另有 {{n}} 项待办',
      left: '剩余 {{d}}',
      over: '已超时 {{d}}',
      go: '去处理',
      overdueTitle: '（{{n}} 项逾期）',
      verb: {
        call: '记录去电',
        report: '写报告',
        followup: '写续报',
        countersign: '去补签',
        approve: '去审签',
        feedback: '去反馈',
        sign: '签收',
        answer: '去答复',
      },
      what: {
        phone: '须于 {{time}} 前电话报{{unit}}',
        written: '书面报告须于 {{time}} 前报{{unit}}',
        followup: '续报须于 {{time}} 前报出',
        countersign: '补签已报出的报告',
        approval: '审签报告（{{time}} 前）',
        instruction: '领导批示落实反馈（{{time}} 前）',
        instructionNoDue: '领导批示落实反馈',
        unsigned: '签收来报（{{time}} 前）',
        request: '答复上级调度（{{time}} 前）',
        requestNoDue: '答复上级调度',
      },
    },
  },
  {
    next: {
      label: 'Next step',
      more: '{{n}} more to do',
      left: '{{d}} left',
      over: '{{d}} overdue',
      go: 'Go',
      overdueTitle: '({{n}} overdue) ',
      verb: {
        call: 'Record call',
        report: 'Write report',
        followup: 'Follow-up',
        countersign: 'Countersign',
        approve: 'Approve',
        feedback: 'Report back',
        sign: 'Sign',
        answer: 'Answer',
      },
      what: {
        phone: 'Phone {{unit}} by {{time}}',
        written: 'Written report to {{unit}} by {{time}}',
        followup: 'Follow-up report due by {{time}}',
        countersign: 'Countersign a report sent on fast track',
        approval: 'Approve a report (by {{time}})',
        instruction: 'Report back on an instruction (by {{time}})',
        instructionNoDue: 'Report back on an instruction',
        unsigned: 'Sign for an arrival (by {{time}})',
        request: 'Answer a request from above (by {{time}})',
        requestNoDue: 'Answer a request from above',
      },
    },
  },
);

export interface Obligation {
  kind: 'deadline' | 'followup' | 'countersign' | 'approval' | 'instruction' | 'unsigned' | 'request';
  eventId: string;
  eventTitle: string;
  level: Level | null;
  dueAt: string | null;
  overdue: boolean;
  secondsLeft: number | null;
  prominent: boolean;
  channel?: 'phone' | 'written';
  toUnitId?: string;
  refId?: string;
  action: { verb: string; href: string };
}

interface ObligationList {
  unitId: string;
  now: string;
  next: Obligation | null;
  items: Obligation[];
}

/** Re-renders every `ms` so countdowns move between fetches. */
function useTick(ms: number) {
  const [, set] = useState(0);
  useEffect(() => {
    const i = setInterval(() => set((n) => n + 1), ms);
    return () => clearInterval(i);
  }, [ms]);
}

/**
 * What the caller's unit owes, by the server's clock: the answer's `now` fixes the offset between the
 * server and this device, so "剩余 33 分" and "overdue" never depend on a wrong device clock.
 */
export function useObligations() {
  useTick(15_000);
  const q = useQuery({
    queryKey: ['obligations'],
    queryFn: async () => {
      const sent = Date.now();
      const d = await api.get<ObligationList>('/api/obligations');
      const offset = new Date(d.now).getTime() - (sent + Date.now()) / 2;
      return { ...d, offset };
    },
    refetchInterval: 30_000,
    retry: false,
  });
  const offset = q.data?.offset ?? 0;
  const serverNow = Date.now() + offset;
  const items = (q.data?.items ?? []).map((o) => {
    if (!o.dueAt) return o;
    const secondsLeft = Math.round((new Date(o.dueAt).getTime() - serverNow) / 1000);
    return { ...o, secondsLeft, overdue: secondsLeft <= 0 };
  });
  return { query: q, items, next: items[0] ?? null, overdue: items.filter((o) => o.overdue).length };
}

/** The browser tab says how many obligations are overdue: "（2 项逾期）急报 · …". */
export function OverdueTitle() {
  const { t } = useTranslation();
  const { overdue } = useObligations();
  const base = `${t('app.name')} · ${t('app.subtitle')}`;
  const title = overdue ? `${t('next.overdueTitle', { n: overdue })}${base}` : base;
  useEffect(() => {
    document.title = title;
  }, [title]);
  return null;
}

/**
 * One obligation on a line: what is due, by when, the time left (red when overdue, Ⅰ–Ⅲ and casualty events
 * marked), and the button that does it.
 */
export function ObligationLine({
  o,
  onAct,
  size = 'small',
}: {
  o: Obligation;
  onAct: (o: Obligation) => void;
  size?: 'small' | 'middle';
}) {
  const { t } = useTranslation();
  const text = useObligationText();
  const left = o.secondsLeft;
  return (
    <div
      className={`obligation${o.overdue ? ' obligation-overdue' : ''}${o.prominent ? ' obligation-prominent' : ''}`}
      data-testid="obligation"
      data-kind={o.kind}
      data-overdue={o.overdue}
    >
      <span className={o.overdue ? 'deadline-late obligation-text' : 'obligation-text'}>
        {o.prominent ? <LevelTag level={o.level} short /> : null}
        <strong>{text(o)}</strong>
        {left !== null ? (
          <span className={o.overdue ? 'deadline-late' : 'muted'} data-testid="obligation-left">
            {' — '}
            {o.overdue ? t('next.over', { d: fmtDuration(-left) }) : t('next.left', { d: fmtDuration(left) })}
          </span>
        ) : null}
      </span>
      <Button
        size={size}
        type="primary"
        danger={o.overdue}
        onClick={(e) => {
          e.stopPropagation();
          onAct(o);
        }}
        data-testid="obligation-act"
      >
        {t(`next.verb.${o.action.verb}`, t('next.go'))}
      </Button>
    </div>
  );
}

/** Where the button of an obligation leads from a page other than its event's: the event page, asked to act. */
export function obligationHref(o: Obligation): string {
  if (o.kind === 'unsigned') return o.action.href;
  const q = new URLSearchParams({ do: o.action.verb, ...(o.refId ? { ref: o.refId } : {}) });
  return `/events/${o.eventId}?${q}`;
}

/** What the obligation asks, in words: "须于 20:05 前电话报东城区". */
export function useObligationText() {
  const { t } = useTranslation();
  const unitName = useUnitName();
  return (o: Obligation) => {
    const time = o.dueAt ? fmtShort(o.dueAt) : '';
    const unit = o.toUnitId ? unitName(o.toUnitId) : '';
    if (o.kind === 'deadline') return t(`next.what.${o.channel ?? 'written'}`, { time, unit });
    if ((o.kind === 'instruction' || o.kind === 'request') && !o.dueAt) return t(`next.what.${o.kind}NoDue`);
    return t(`next.what.${o.kind}`, { time });
  };
}

/** The next thing the caller's unit owes, by the server's clock, with the button that does it. */
export function NextStepCard() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const text = useObligationText();
  const { next: o, items } = useObligations();
  if (!o) return null;
  const left = o.secondsLeft;
  return (
    <Card
      size="small"
      className={`section-gap next-step${o.overdue ? ' next-step-overdue' : ''}`}
      style={{ marginBottom: 16, borderColor: o.overdue ? '#ff4d4f' : o.prominent ? '#faad14' : undefined }}
      data-testid="next-step"
      data-overdue={o.overdue}
    >
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          <Tag color={o.overdue ? 'red' : 'blue'} icon={<ClockCircleOutlined />}>
            {t('next.label')}
          </Tag>
          <LevelTag level={o.level} short />
          <strong className={o.overdue ? 'deadline-late' : undefined}>{text(o)}</strong>
          <span data-content>{o.eventTitle}</span>
          {left !== null ? (
            <span className={o.overdue ? 'deadline-late' : 'muted'}>
              {o.overdue
                ? t('next.over', { d: fmtDuration(-left) })
                : t('next.left', { d: fmtDuration(left) })}
            </span>
          ) : null}
          {items.length > 1 ? <span className="muted">{t('next.more', { n: items.length - 1 })}</span> : null}
        </Space>
        <Button
          type="primary"
          danger={o.overdue}
          onClick={() => nav(obligationHref(o))}
          data-testid="next-step-go"
        >
          {t('next.go')}
        </Button>
      </Space>
    </Card>
  );
}
