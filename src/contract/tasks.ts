/** 督查督办: where a supervised task comes from — one list for the API (its enum) and the web (its picker). */
export const TASK_SOURCES = [
  'meeting',
  'instruction',
  'document',
  'event',
  'hazard',
  'review',
  'campaign',
  /** a leader's instruction (批示) on a government-affairs piece (政务信息) */
  'affairs',
] as const;
export type TaskSource = (typeof TASK_SOURCES)[number];
