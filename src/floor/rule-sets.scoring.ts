/**
 * 政务信息计分: the default scoring table of SPEC §7 (rule set kind `scoring`). Points per piece by where it
 * was adopted, points for leader instructions by the leader's level, and the points a commissioned unit
 * loses for a piece delivered late or not at all. Editable as a new version like every rule set.
 */
export interface ScoringRuleSet {
  adoption: {
    own_daily: number;
    own_short: number;
    city_daily: number;
    city_short: number;
    city_special: number;
    province_bulletin: number;
    province_special: number;
    centre_forwarded: number;
    centre_adopted: number;
  };
  instruction: { county: number; city: number; province: number; centre: number };
  commission: { late: number; missed: number };
}

export const DEFAULT_SCORING: ScoringRuleSet = {
  adoption: {
    own_daily: 3,
    own_short: 1,
    city_daily: 5,
    city_short: 2,
    city_special: 10,
    province_bulletin: 10,
    province_special: 20,
    centre_forwarded: 10,
    centre_adopted: 50,
  },
  instruction: { county: 3, city: 5, province: 10, centre: 100 },
  commission: { late: -10, missed: -10 },
};
