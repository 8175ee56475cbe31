import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';

export type LiveEventType =
  | 'report.arrived'
  | 'report.updated'
  | 'deadline.warning'
  | 'deadline.overdue'
  | 'notification'
  | 'notification.acked'
  | 'request.received'
  | 'instruction.received'
  | 'spot_check.answered'
  | string;
export interface LiveMessage {
  type: LiveEventType;
  id: string;
  data: any;
}
type Listener = (m: LiveMessage) => void;

interface LiveValue {
  connected: boolean;
  subscribe: (l: Listener) => () => void;
}

const LiveContext = createContext<LiveValue>({ connected: false, subscribe: () => () => {} });
const TYPES = [
  'report.arrived',
  'report.updated',
  'deadline.warning',
  'deadline.overdue',
  'notification',
  'notification.acked',
  'notification.delivery_failed',
  'request.received',
  'instruction.received',
  'event.created',
  'event.updated',
  'spot_check.answered',
  'duty.checked_in',
  'duty.logged',
  'zero_report.sent',
  'task.changed',
];

/** One EventSource for the signed-in user (the session cookie goes with it); pages subscribe to it. */
export function LiveProvider({ children, extraTypes = [] }: { children: ReactNode; extraTypes?: string[] }) {
  const qc = useQueryClient();
  const listeners = useRef(new Set<Listener>());
  const [connected, setConnected] = useState(false);
  const extra = extraTypes.join(',');

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const es = new EventSource('/api/stream', { withCredentials: true });
    es.onopen = () => setConnected(true);
    es.onerror = () => setConnected(es.readyState === EventSource.OPEN);
    const handle = (type: string) => (ev: MessageEvent) => {
      let data: any = null;
      try {
        data = ev.data ? JSON.parse(ev.data) : null;
      } catch {
        data = ev.data;
      }
      // Keep the lists fresh whatever page is open.
      if (
        type.startsWith('report.') ||
        type.startsWith('deadline.') ||
        type.startsWith('event.') ||
        type === 'request.received' ||
        type === 'zero_report.sent'
      ) {
        void qc.invalidateQueries({ queryKey: ['intake'] });
        void qc.invalidateQueries({ queryKey: ['reports'] });
        void qc.invalidateQueries({ queryKey: ['events'] });
        void qc.invalidateQueries({ queryKey: ['dashboard'] });
      }
      if (data?.eventId) {
        void qc.invalidateQueries({ queryKey: ['event', data.eventId] });
        void qc.invalidateQueries({ queryKey: ['timeline', data.eventId] });
        if (type.startsWith('instruction.'))
          void qc.invalidateQueries({ queryKey: ['instructions', data.eventId] });
      }
      if (type.startsWith('notification')) void qc.invalidateQueries({ queryKey: ['notifications'] });
      if (type.startsWith('duty.') || type.startsWith('spot_check.'))
        void qc.invalidateQueries({ queryKey: ['duty'] });
      const msg: LiveMessage = { type, id: ev.lastEventId, data };
      for (const l of listeners.current) l(msg);
    };
    const all = [...TYPES, ...extra.split(',').filter(Boolean)];
    const bound = all.map((t) => [t, handle(t)] as const);
    for (const [t, h] of bound) es.addEventListener(t, h as EventListener);
    return () => {
      for (const [t, h] of bound) es.removeEventListener(t, h as EventListener);
      es.close();
      setConnected(false);
    };
  }, [qc, extra]);

  const value = useRef<LiveValue>({
    connected: false,
    subscribe: (l) => {
      listeners.current.add(l);
      return () => listeners.current.delete(l);
    },
  });
  return <LiveContext.Provider value={{ ...value.current, connected }}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveValue {
  return useContext(LiveContext);
}

/** Call `fn` for every live message (of the given types). */
export function useLiveMessages(fn: Listener, types?: string[]) {
  const { subscribe } = useLive();
  const ref = useRef(fn);
  ref.current = fn;
  const key = types?.join(',') ?? '';
  useEffect(
    () =>
      subscribe((m) => {
        if (!key || key.split(',').includes(m.type)) ref.current(m);
      }),
    [subscribe, key],
  );
}

let audio: AudioContext | null = null;
/** A short two-tone alert (no asset needed). Browsers allow it once the user has interacted with the page. */
export function playAlert(): void {
  try {
    const Ctx = window.AudioContext ?? (window as any).webkitAudioContext;
    if (!Ctx) return;
    audio ??= new Ctx();
    const ctx = audio;
    if (ctx.state === 'suspended') void ctx.resume();
    const tone = (freq: number, start: number) => {
      const o = ctx.createOscillator();
      const g = ctx.createGain();
      o.type = 'sine';
      o.frequency.value = freq;
      g.gain.setValueAtTime(0.0001, ctx.currentTime + start);
      g.gain.exponentialRampToValueAtTime(0.25, ctx.currentTime + start + 0.02);
      g.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + start + 0.28);
      o.connect(g).connect(ctx.destination);
      o.start(ctx.currentTime + start);
      o.stop(ctx.currentTime + start + 0.3);
    };
    tone(880, 0);
    tone(660, 0.32);
    tone(880, 0.64);
  } catch {
    /* sound is a bonus */
  }
}
