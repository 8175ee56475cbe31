import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { api, type List } from '../../api';
import i18n from '../../i18n';

/** The default shifts' names (白班/夜班) are the unit's data but read as UI: said in English in the English UI. */
const DEFAULT_SHIFT_EN: Record<string, string> = { 白班: 'Day shift', 夜班: 'Night shift' };
export function shiftLabel(name: string): string {
  return i18n.language === 'en' ? (DEFAULT_SHIFT_EN[name] ?? name) : name;
}

export interface DutyUnit {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
}
export interface Person {
  id: string;
  name: string;
  phone: string | null;
}
export interface Shift {
  id: string | null;
  unitId: string;
  day: string;
  shiftCode: string;
  shiftName: string;
  startsAt: string;
  endsAt: string;
  officer: Person | null;
  leader: Person | null;
  checkedInAt: string | null;
  gap: boolean;
}

export function useDutyUnits() {
  return useQuery({
    queryKey: ['duty', 'units'],
    queryFn: () => api.get<List<DutyUnit>>('/api/duty/units'),
    staleTime: 60_000,
  });
}

export function DutyUnitSelect({
  value,
  onChange,
  exclude,
  style,
}: {
  value?: string;
  onChange: (v: string) => void;
  exclude?: (u: DutyUnit) => boolean;
  style?: React.CSSProperties;
}) {
  const q = useDutyUnits();
  return (
    <Select
      showSearch
      optionFilterProp="label"
      style={{ minWidth: 260, ...style }}
      value={value}
      onChange={onChange}
      loading={q.isLoading}
      options={(q.data?.items ?? [])
        .filter((u) => !exclude?.(u))
        .map((u) => ({ value: u.id, label: u.name }))}
    />
  );
}
