/** Sectors (行业领域) are data of each campaign; these are the usual ones the screens offer. */
export const COMMON_SECTORS = [
  '非煤矿山',
  '危险化学品',
  '道路交通',
  '消防',
  '建筑施工',
  '燃气',
  '水上交通',
  '教育',
  '卫生',
  '民政',
  '电力',
] as const;
