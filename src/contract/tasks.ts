/** 督查督办: where a supervised task comes from — one list for the API (its enum) and the web (its picker). */
export const TASK_SOURCES = [
  'meeting',
  'instruction',
  'document',
  'event',
  'hazard',
  'review',
  'campaign',
] as const;
export type TaskSource = (typeof TASK_SOURCES)[number];
