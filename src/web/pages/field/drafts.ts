/**
 * Field reports from the scene, kept on the device until they are sent (issue #11 point 7).
 *
 * A draft lives in IndexedDB (`idb-keyval`, own database `jibao-field`) so it survives a closed tab, a reload or
 * a phone that loses its signal; it is removed once the server confirmed its last step, and every draft is
 * removed at sign-out. Classified events (内部/秘密) are never written to the device.
 *
 * Sending is a list of idempotent steps, each with its own Idempotency-Key derived from the draft id —
 * create the event, create the report, upload each photo, submit — and the draft records each step the server
 * confirmed: a replay (a lost answer, a reload mid-way, the network coming back) resumes from the last
 * confirmed step, and a step the server had done but whose answer was lost is answered again from the stored
 * result, never done twice. Photos go before the submit, so the report leaves with them.
 *
 * Works without a service worker (county intranets on plain HTTP): nothing here needs one.
 */
import { clear, createStore, del, get, keys, set, type UseStore } from 'idb-keyval';
import { ApiError, api } from '../../api';
import type { Casualties, Level } from '../../types';

export type Classification = 'public' | 'internal' | 'secret';

export interface FieldPhoto {
  id: string;
  name: string;
  /** compressed on the device (JPEG, longest side ≤ 1600 px); EXIF was read before and is not kept */
  blob: Blob;
  lat?: number;
  lng?: number;
  /** the camera's time (EXIF DateTimeOriginal), as the device tells it */
  takenAt?: string;
}

export interface FieldValues {
  title: string;
  categoryCode: string;
  /** the picker's path (class › type › subtype), to show the draft again */
  category: string[];
  level: Level | 'none';
  occurredAt: string;
  address: string;
  lat?: number;
  lng?: number;
  scope: string;
  cause?: string;
  measures?: string;
  casualties: Casualties;
  contact: string;
  classification: Classification;
  fastTrack: boolean;
}

export interface FieldDraft {
  id: string;
  /** who wrote it: only that person's drafts are shown and sent */
  owner: string;
  /** the device's time when the report was recorded at the scene: shown as 现场记录于, never counts */
  capturedAt: string;
  values: FieldValues;
  photos: FieldPhoto[];
  /** the reporter pressed 报送: send as soon as the network allows */
  queued: boolean;
  steps: { eventId?: string; reportId?: string; photos: Record<string, string>; submitted?: boolean };
  lastError?: string;
}

let store: UseStore | null = null;
const db = () => {
  store ??= createStore('jibao-field', 'drafts');
  return store;
};

export const isClassified = (v: Pick<FieldValues, 'classification'>) => v.classification !== 'public';

/** The drafts on this device: one person's, or all of them (the page opened while the server is out of reach). */
export async function listDrafts(owner?: string): Promise<FieldDraft[]> {
  const ids = (await keys(db())) as string[];
  const all = await Promise.all(ids.map((k) => get<FieldDraft>(k, db())));
  return (
    all
      .filter((d): d is FieldDraft => !!d && (!owner || !d.owner || d.owner === owner))
      // a draft written while the server was out of reach has no owner yet: the person signed in on this device
      // (sign-out clears every draft) takes it
      .map((d) => (owner && !d.owner ? { ...d, owner } : d))
      .sort((a, b) => a.capturedAt.localeCompare(b.capturedAt))
  );
}

/** Keep a draft on the device — never a classified one (it is removed instead). */
export async function saveDraft(d: FieldDraft): Promise<boolean> {
  if (isClassified(d.values)) {
    await del(d.id, db());
    return false;
  }
  await set(d.id, d, db());
  return true;
}

export async function removeDraft(id: string): Promise<void> {
  await del(id, db());
}

/** Sign-out: nothing of the field reports stays on the device. */
export async function clearFieldDrafts(): Promise<void> {
  try {
    await clear(db());
  } catch {
    /* IndexedDB unavailable (private mode): nothing was kept */
  }
}

/** Location and camera time from the photo's EXIF, read before compressing (the canvas drops EXIF). */
async function readExif(file: Blob): Promise<Pick<FieldPhoto, 'lat' | 'lng' | 'takenAt'>> {
  try {
    const exifr = (await import('exifr')).default;
    const [gps, tags] = await Promise.all([
      exifr.gps(file).catch(() => undefined),
      exifr.parse(file, { pick: ['DateTimeOriginal'] }).catch(() => undefined),
    ]);
    const taken = tags?.DateTimeOriginal instanceof Date ? tags.DateTimeOriginal.toISOString() : undefined;
    return {
      ...(gps && Number.isFinite(gps.latitude) ? { lat: gps.latitude, lng: gps.longitude } : {}),
      ...(taken ? { takenAt: taken } : {}),
    };
  } catch {
    return {};
  }
}

const MAX_SIDE = 1600;

/** Compress on the device: JPEG, longest side ≤ 1600 px (a county's uplink at the scene is slow). */
async function compress(file: Blob): Promise<Blob> {
  try {
    const bmp = await createImageBitmap(file);
    const scale = Math.min(1, MAX_SIDE / Math.max(bmp.width, bmp.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bmp.width * scale));
    canvas.height = Math.max(1, Math.round(bmp.height * scale));
    canvas.getContext('2d')!.drawImage(bmp, 0, 0, canvas.width, canvas.height);
    bmp.close();
    const out = await new Promise<Blob | null>((res) => canvas.toBlob(res, 'image/jpeg', 0.8));
    return out && out.size < file.size ? out : file;
  } catch {
    return file; // not an image the browser decodes: sent as taken
  }
}

export async function preparePhoto(file: File): Promise<FieldPhoto> {
  const exif = await readExif(file);
  const blob = await compress(file);
  const base = file.name.replace(/\.[^.]+$/, '') || 'photo';
  return { id: crypto.randomUUID(), name: `${base}.jpg`, blob, ...exif };
}

const key = (d: FieldDraft, step: string) => `field:${d.id}:${step}`;

export function eventBody(v: FieldValues) {
  return {
    title: v.title,
    categoryCode: v.categoryCode,
    level: v.level === 'none' ? null : v.level,
    occurredAt: v.occurredAt,
    place: {
      address: v.address,
      ...(v.lat !== undefined && v.lng !== undefined ? { lat: v.lat, lng: v.lng } : {}),
    },
    source: 'self',
    casualties: v.casualties,
    classification: v.classification,
  };
}

export function reportBody(d: FieldDraft, pendingReason: string) {
  const v = d.values;
  const elements: Record<string, unknown> = {
    occurredAt: v.occurredAt,
    place: v.address,
    scope: v.scope,
    casualties: v.casualties,
    contact: v.contact,
    ...(v.cause?.trim() ? { cause: v.cause } : {}),
    ...(v.measures?.trim() ? { measures: v.measures } : {}),
  };
  const pendingElements: Record<string, string> = {};
  for (const k of ['cause', 'loss', 'measures', 'nextSteps'])
    if (!(k in elements)) pendingElements[k] = pendingReason;
  return { kind: 'initial', elements, pendingElements, fastTrack: v.fastTrack, capturedAt: d.capturedAt };
}

/** The network (or the server) is out of reach: keep the draft and try again later. */
export const isOffline = (e: unknown) => e instanceof ApiError && e.status === 0;

let running: Promise<void> | null = null;

/**
 * Send one draft step by step; each confirmed step is written to the draft before the next one starts.
 * One send at a time per page (the others wait for it), so two triggers never race.
 */
export async function sendDraft(d: FieldDraft, pendingReason: string, onStep?: (d: FieldDraft) => void) {
  while (running) await running.catch(() => undefined);
  const work = (async () => {
    const keep = async () => {
      if (!isClassified(d.values)) await set(d.id, d, db());
      onStep?.({ ...d });
    };
    if (!d.steps.eventId) {
      const ev = await api.post<{ id: string }>('/api/events', eventBody(d.values), {
        idempotencyKey: key(d, 'event'),
      });
      d.steps.eventId = ev.id;
      await keep();
    }
    if (!d.steps.reportId) {
      const rep = await api.post<{ id: string }>(
        `/api/events/${d.steps.eventId}/reports`,
        reportBody(d, pendingReason),
        { idempotencyKey: key(d, 'report') },
      );
      d.steps.reportId = rep.id;
      await keep();
    }
    for (const p of d.photos) {
      if (d.steps.photos[p.id]) continue;
      const fd = new FormData();
      fd.append('file', p.blob, p.name);
      const a = await api.upload<{ id: string }>(`/api/reports/${d.steps.reportId}/attachments`, fd, {
        idempotencyKey: key(d, `photo:${p.id}`),
      });
      d.steps.photos[p.id] = a.id;
      await keep();
    }
    if (!d.steps.submitted) {
      await api.post(
        `/api/reports/${d.steps.reportId}/submit`,
        { fastTrack: d.values.fastTrack },
        { idempotencyKey: key(d, 'submit') },
      );
      d.steps.submitted = true;
    }
    await del(d.id, db());
  })();
  running = work;
  try {
    await work;
  } finally {
    if (running === work) running = null;
  }
  return d;
}
