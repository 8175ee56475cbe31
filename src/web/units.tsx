import {
  ApartmentOutlined,
  BankOutlined,
  EnvironmentOutlined,
  HomeOutlined,
  PhoneOutlined,
  SafetyOutlined,
  ShopOutlined,
  ThunderboltOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import type { ReactNode } from 'react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { useUnits } from './session';
import type { Unit, UnitKind } from './types';

const KIND_ORDER: UnitKind[] = [
  'party_office',
  'gov_office',
  'duty_room',
  'confidential_bureau',
  'emergency_office',
  'department',
  'enterprise',
  'area',
];

export const KIND_ICONS: Record<UnitKind, ReactNode> = {
  area: <EnvironmentOutlined />,
  party_office: <BankOutlined />,
  gov_office: <HomeOutlined />,
  duty_room: <PhoneOutlined />,
  confidential_bureau: <SafetyOutlined />,
  emergency_office: <ThunderboltOutlined />,
  department: <ApartmentOutlined />,
  enterprise: <ShopOutlined />,
};

export interface UnitNode {
  unit: Unit;
  children: UnitNode[];
}

/** Townships and other areas first, then offices and departments: the order callers and targets are picked in. */
export const AREAS_FIRST: UnitKind[] = ['area', ...KIND_ORDER.filter((k) => k !== 'area')];

/** The unit tree from parentId; units whose parent is not visible become roots. */
export function buildUnitTree(units: Unit[], order: UnitKind[] = KIND_ORDER): UnitNode[] {
  const nodes = new Map<string, UnitNode>(units.map((u) => [u.id, { unit: u, children: [] }]));
  const roots: UnitNode[] = [];
  for (const n of nodes.values()) {
    const p = n.unit.parentId ? nodes.get(n.unit.parentId) : undefined;
    if (p) p.children.push(n);
    else roots.push(n);
  }
  const sort = (list: UnitNode[]) => {
    list.sort((a, b) => {
      const k = order.indexOf(a.unit.kind) - order.indexOf(b.unit.kind);
      if (k) return k;
      return (
        (a.unit.divisionCode ?? '').localeCompare(b.unit.divisionCode ?? '') ||
        a.unit.name.localeCompare(b.unit.name, 'zh-CN')
      );
    });
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Ancestors of a unit, from the top down (itself included). */
export function unitChain(byId: Map<string, Unit>, id: string | null | undefined): Unit[] {
  const out: Unit[] = [];
  let cur = id ? byId.get(id) : undefined;
  const seen = new Set<string>();
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    out.unshift(cur);
    cur = cur.parentId ? byId.get(cur.parentId) : undefined;
  }
  return out;
}

interface TreeData {
  value: string;
  title: ReactNode;
  label: string;
  disabled?: boolean;
  children?: TreeData[];
}

export function UnitTreeSelect({
  value,
  onChange,
  placeholder,
  filter,
  allowClear = true,
  style,
  id,
}: {
  value?: string | null;
  onChange?: (v: string | undefined) => void;
  placeholder?: string;
  /** Units that may be picked (others are shown greyed). */
  filter?: (u: Unit) => boolean;
  allowClear?: boolean;
  style?: React.CSSProperties;
  id?: string;
}) {
  const { t } = useTranslation();
  const { units, isLoading } = useUnits();
  const treeData = useMemo(() => {
    const map = (n: UnitNode): TreeData => ({
      value: n.unit.id,
      label: n.unit.name,
      title: (
        <span className="unit-node">
          {KIND_ICONS[n.unit.kind]}
          {n.unit.name}
        </span>
      ),
      disabled: filter ? !filter(n.unit) : false,
      children: n.children.length ? n.children.map(map) : undefined,
    });
    return buildUnitTree(units.filter((u) => !u.disabled)).map(map);
  }, [units, filter]);
  return (
    <TreeSelect
      id={id}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v as string | undefined)}
      treeData={treeData}
      placeholder={placeholder ?? t('unit.pick')}
      showSearch={{ treeNodeFilterProp: 'label' }}
      treeNodeLabelProp="label"
      allowClear={allowClear}
      loading={isLoading}
      treeDefaultExpandAll={units.length < 80}
      style={{ width: '100%', ...style }}
      popupMatchSelectWidth={false}
      listHeight={420}
    />
  );
}

/** Which optional endpoints the server offers (from its OpenAPI document), so new features appear as they land. */
export function useApiPaths() {
  const q = useQuery({
    queryKey: ['openapi-paths'],
    queryFn: async () => {
      const doc = await api.get<{ paths: Record<string, Record<string, unknown>> }>('/api/openapi.json');
      const set = new Set<string>();
      for (const [p, methods] of Object.entries(doc.paths ?? {}))
        for (const m of Object.keys(methods)) set.add(`${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`);
      return set;
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
  return (methodAndPath: string) => q.data?.has(methodAndPath) ?? false;
}
