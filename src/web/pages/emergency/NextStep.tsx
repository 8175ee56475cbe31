import { ClockCircleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Space, Tag } from 'antd';
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
  action: { verb: string; href: string };
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
  const q = useQuery({
    queryKey: ['obligations'],
    queryFn: () => api.get<{ next: Obligation | null; items: Obligation[] }>('/api/obligations'),
    refetchInterval: 30_000,
  });
  const o = q.data?.next;
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
          {(q.data?.items.length ?? 0) > 1 ? (
            <span className="muted">{t('next.more', { n: (q.data?.items.length ?? 1) - 1 })}</span>
          ) : null}
        </Space>
        <Button
          type="primary"
          danger={o.overdue}
          onClick={() => nav(o.action.href)}
          data-testid="next-step-go"
        >
          {t('next.go')}
        </Button>
      </Space>
    </Card>
  );
}
