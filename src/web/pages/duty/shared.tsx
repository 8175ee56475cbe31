import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { api, type List } from '../../api';

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

/** The default shifts keep their names in the user's language; a shift a duty room named itself keeps its name. */
const DEFAULT_SHIFT_NAMES: Record<string, string> = { day: '白班', night: '夜班' };
export function shiftLabel(t: (k: string) => string, s: { shiftCode?: string; shiftName: string }): string {
  const code =
    s.shiftCode ?? Object.keys(DEFAULT_SHIFT_NAMES).find((c) => DEFAULT_SHIFT_NAMES[c] === s.shiftName);
  return code && DEFAULT_SHIFT_NAMES[code] === s.shiftName ? t(`duty.shiftNames.${code}`) : s.shiftName;
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
