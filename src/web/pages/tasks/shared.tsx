import { Space, Tag } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession, useUnits } from '../../session';
import { OFFICE_KINDS, type Unit } from '../../types';
import './strings';
import './tasks.css';

export type TaskStatus = 'open' | 'done' | 'overdue';

import type { TaskSource } from '../../../contract/tasks';

export { TASK_SOURCES, type TaskSource } from '../../../contract/tasks';

export interface Task {
  id: string;
  title: string;
  source: TaskSource;
  sourceId: string | null;
  ownerUnitId: string;
  ownerUnitName: string;
  issuerUnitId: string;
  issuerUnitName: string;
  issuerName: string | null;
  leaderName: string | null;
  collectionId: string | null;
  issuedAt: string;
  dueAt: string;
  reportEveryDays: number | null;
  completedAt: string | null;
  lastProgressAt: string | null;
  status: TaskStatus;
  overdue: boolean;
  completedLate: boolean;
  progressMissed: boolean;
  progress?: Array<{
    id: string;
    kind: 'progress' | 'reopen';
    at: string;
    text: string;
    done: boolean;
    userName: string | null;
    unitName: string | null;
  }>;
  /** where the record the task came from is shown (an instruction → its event page), on the detail only */
  sourceLink?: string | null;
  can: { progress: boolean; reopen: boolean };
}

export interface TaskList {
  items: Task[];
  nextCursor: string | null;
  can: { issue: boolean };
}

export interface Collection {
  id: string;
  title: string;
  source: TaskSource;
  issuerUnitName: string;
  dueAt: string;
  createdAt: string;
  units: Array<{
    taskId: string;
    unitId: string;
    unitName: string;
    status: TaskStatus;
    filed: boolean;
    overdue: boolean;
    completedAt: string | null;
    lastProgressAt: string | null;
  }>;
  notFiled: Array<{ unitId: string; unitName: string; taskId: string }>;
  counts: { total: number; filed: number; notFiled: number; overdue: number };
}

const COLORS: Record<TaskStatus, string> = { open: 'processing', done: 'success', overdue: 'error' };

export function TaskStatusTag({ task }: { task: Pick<Task, 'status' | 'progressMissed' | 'completedLate'> }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      <Tag color={COLORS[task.status]} data-testid={`task-status-${task.status}`}>
        {t(`tasks.status.${task.status}`)}
      </Tag>
      {task.progressMissed && task.status !== 'done' ? <Tag color="warning">{t('tasks.missed')}</Tag> : null}
      {task.completedLate ? <Tag color="orange">{t('tasks.late')}</Tag> : null}
    </Space>
  );
}

/** Units a task may be given to: areas and departments in the subtree of the unit the user acts for. */
export function useOwnerUnits(): Unit[] {
  const { units, byId } = useUnits();
  const { actingUnitId } = useSession();
  return useMemo(() => {
    const under = (u: Unit): boolean => {
      for (let cur: Unit | undefined = u, i = 0; cur && i < 20; cur = byId.get(cur.parentId ?? ''), i++)
        if (cur.id === actingUnitId) return true;
      return false;
    };
    return units.filter(
      (u) => !OFFICE_KINDS.includes(u.kind) && !u.disabled && under(u) && u.id !== actingUnitId,
    );
  }, [units, byId, actingUnitId]);
}
