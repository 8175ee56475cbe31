import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { ApiError, api, type List } from './api';
import { clearFieldDrafts } from './pages/field/drafts';
import type { Me, Role, Unit } from './types';
import { OFFICE_KINDS } from './types';

interface SessionValue {
  me: Me;
  hasRole: (...roles: Role[]) => boolean;
  /** The user sits in an office (party/government office, duty room, confidential bureau) that sees an intake. */
  seesIntake: boolean;
  /** The unit the user acts for (an office acts for its area). */
  actingUnitId: string;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  const value = useMemo<SessionValue>(
    () => ({
      me,
      hasRole: (...roles) => roles.some((r) => me.roles.includes(r)),
      seesIntake: !!me.unit && OFFICE_KINDS.includes(me.unit.kind),
      actingUnitId: me.actingUnitId ?? me.unitId,
    }),
    [me],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

export function useMeQuery() {
  return useQuery({
    queryKey: ['me'],
    queryFn: () => api.get<Me>('/api/me', { allow401: true }),
    retry: false,
    staleTime: 60_000,
    // the server out of reach (a field report opened offline): ask again until it answers
    refetchInterval: (q) => (q.state.error instanceof ApiError && q.state.error.status === 0 ? 3_000 : false),
  });
}

/** Every unit the user may see, by id (names for lists and timelines). */
export function useUnits() {
  const q = useQuery({
    queryKey: ['units'],
    queryFn: () => api.get<List<Unit>>('/api/units'),
    staleTime: 5 * 60_000,
  });
  const byId = useMemo(() => new Map((q.data?.items ?? []).map((u) => [u.id, u])), [q.data]);
  return { ...q, units: q.data?.items ?? [], byId };
}

export function useUnitName() {
  const { byId } = useUnits();
  return (id: string | null | undefined) => (id ? (byId.get(id)?.name ?? '—') : '—');
}

export function useSignOut() {
  const qc = useQueryClient();
  return async () => {
    try {
      await api.post('/api/auth/logout', {}, { allow401: true });
    } catch {
      /* already signed out */
    }
    qc.clear();
    // nothing of the field reports stays on the device (issue #11 point 7); a browser whose IndexedDB does not
    // answer never keeps a person from signing out
    await Promise.race([clearFieldDrafts(), new Promise((r) => setTimeout(r, 2_000))]);
    window.location.assign('/login');
  };
}
