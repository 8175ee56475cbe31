import { useQuery } from '@tanstack/react-query';
import { Tag, TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegisterKind } from '../../../contract/resources';
import { api, type List } from '../../api';
import { useSession, useUnits } from '../../session';
import { useCategories } from '../emergency/shared';
import './strings';

export {
  INTERNAL_KINDS,
  PLAN_KINDS,
  READINESS,
  REGISTER_KINDS,
  REGISTER_PATHS,
  RESPONSE_LEVELS,
  type RegisterKind,
  SHELTER_TYPES,
  STOCK_MOVE_KINDS,
  SUPPLY_ITEMS,
  TEAM_TYPES,
} from '../../../contract/resources';

export interface Entry {
  id: string;
  kind: RegisterKind;
  unitId: string;
  unitName: string;
  name: string;
  address: string | null;
  lng: number | null;
  lat: number | null;
  contactName: string | null;
  phone: string | null;
  phoneHidden: boolean;
  readiness: string | null;
  categoryCodes: string[];
  [field: string]: unknown;
  can: { edit: boolean; moveStock: boolean; dispatch: boolean };
}

export interface StockLine {
  warehouseId: string;
  warehouseName: string;
  itemCode: string;
  itemName: string;
  unit: string;
  quantity: number;
  expiringSoon: boolean;
  batches: { expiresOn: string | null; quantity: number; expiringSoon: boolean }[];
}

export interface PlanTask {
  level: string;
  title: string;
  unitId: string;
  unitName: string;
  withinMinutes: number;
}
export interface Plan {
  id: string;
  title: string;
  kind: string;
  ownerUnitId: string;
  ownerUnitName: string;
  categoryCodes: string[];
  levels: string[];
  reviseBy: string;
  version: number;
  tasks: PlanTask[];
  supplies: { itemCode: string; itemName: string | null; unit: string | null; quantity: number }[];
  createdAt: string;
  can: { activate: boolean; edit: boolean; publish: boolean };
}

export interface Activation {
  id: string;
  planId: string;
  planTitle: string;
  eventId: string;
  level: string;
  planVersion: number;
  tasks: {
    id: string;
    title: string;
    unitId: string;
    unitName?: string;
    dueAt: string;
    status: 'open' | 'done' | 'overdue';
  }[];
  warning: string | null;
  warningText: string | null;
  activatedAt: string;
  activatedByName: string | null;
}

export const READINESS_COLORS: Record<string, string> = {
  ready: 'success',
  standby: 'processing',
  deployed: 'warning',
  unavailable: 'default',
};

export function ReadinessTag({ value }: { value: string | null }) {
  const { t } = useTranslation();
  if (!value) return null;
  return <Tag color={READINESS_COLORS[value]}>{t(`res.readiness.${value}`)}</Tag>;
}

/** The units a person may register for: the unit they act for (an office: its area); admins any they see. */
export function useOwnerChoices() {
  const { units } = useUnits();
  const { actingUnitId, hasRole } = useSession();
  return useMemo(() => {
    const mine = units.filter((u) => u.id === actingUnitId);
    const list = hasRole('admin') ? units.filter((u) => u.kind === 'area' || u.kind === 'department') : mine;
    return list.map((u) => ({ value: u.id, label: u.name }));
  }, [units, actingUnitId, hasRole]);
}

/** Units in the area the person acts for (task units of a plan). */
export function useAreaUnits() {
  const { units, byId } = useUnits();
  const { actingUnitId } = useSession();
  return useMemo(() => {
    const inArea = (id: string): boolean => {
      let cur = byId.get(id);
      while (cur) {
        if (cur.id === actingUnitId) return true;
        cur = cur.parentId ? byId.get(cur.parentId) : undefined;
      }
      return false;
    };
    return units
      .filter((u) => inArea(u.id) && !['party_office', 'gov_office', 'confidential_bureau'].includes(u.kind))
      .map((u) => ({ value: u.id, label: u.name }));
  }, [units, byId, actingUnitId]);
}

export function useWarehouses() {
  return useQuery({
    queryKey: ['resources', 'warehouse'],
    queryFn: () => api.get<List<Entry>>('/api/resources/warehouses'),
  });
}

/** Several event categories, picked in the tree (a class covers everything below it). */
export function CategoriesSelect({
  id,
  value,
  onChange,
}: {
  id?: string;
  value?: string[];
  onChange?: (v: string[]) => void;
}) {
  const cats = useCategories();
  return (
    <TreeSelect
      id={id}
      multiple
      showSearch
      treeNodeFilterProp="label"
      value={value}
      onChange={(v) => onChange?.(v as string[])}
      treeData={cats.options as never}
      fieldNames={{ label: 'label', value: 'value', children: 'children' }}
      style={{ width: '100%' }}
      allowClear
    />
  );
}

export function useCategoryName() {
  return useCategories().name;
}
