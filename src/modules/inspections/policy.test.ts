import { describe, expect, it } from 'vitest';
import type { Actor, Role, UnitRef } from '../../floor/context.js';
import { can } from '../../floor/policy.js';
import { inspectionsPolicy as p } from './policy.js';

const unit = (id: string, kind: string, path: string[]): UnitRef => ({
  id,
  name: id,
  kind,
  level: null,
  parentId: path.at(-2) ?? null,
  path,
});
const county = unit('county', 'area', ['city', 'county']);
const countyOffice = unit('county-office', 'party_office', ['city', 'county', 'county-office']);
const town = unit('town', 'area', ['city', 'county', 'town']);
const townOffice = unit('town-office', 'party_office', ['city', 'county', 'town', 'town-office']);
const police = unit('police', 'department', ['city', 'county', 'police']);
const otherTown = unit('other', 'area', ['city', 'county2', 'other']);

const person = (u: UnitRef, acting: UnitRef, roles: Role[]): Actor => ({
  id: `${u.id}-${roles.join('+')}`,
  username: u.id,
  name: u.id,
  unitId: u.id,
  roles,
  unit: u,
  acting,
});
const countyEditor = person(countyOffice, county, ['editor']);
const countyDuty = person(countyOffice, county, ['duty_officer']);
const townReporter = person(townOffice, town, ['reporter']);
const policeReporter = person(police, police, ['reporter']);
const stranger = person(otherTown, otherTown, ['editor']);

const campaign = { areaId: 'county', unitIds: ['town'], leadUnitIds: ['police'] };
const hazard = { responsibleUnitId: 'town', recordingUnitId: 'county', leadUnitId: 'police' };

describe('who may do what in inspections', () => {
  it('campaigns: editors and admins of an area office only', () => {
    expect(can(countyEditor, p, 'createCampaign')).toBe(true);
    expect(can(countyDuty, p, 'createCampaign')).toBe(false);
    expect(can(person(county, county, ['editor']), p, 'createCampaign')).toBe(false);
    expect(can(policeReporter, p, 'createCampaign')).toBe(false);
  });

  it('hazards of a campaign: its area offices, participants and lead departments, for units in its area', () => {
    const inArea = { campaign, responsibleUnitPath: town.path };
    for (const a of [countyEditor, townReporter, policeReporter])
      expect(can(a, p, 'recordHazard', inArea)).toBe(true);
    expect(can(stranger, p, 'recordHazard', inArea)).toBe(false);
    expect(can(countyEditor, p, 'recordHazard', { campaign, responsibleUnitPath: otherTown.path })).toBe(
      false,
    );
  });

  it('hazards without a campaign: for the subtree of the unit one acts for', () => {
    expect(can(countyEditor, p, 'recordHazard', { campaign: null, responsibleUnitPath: town.path })).toBe(
      true,
    );
    expect(can(townReporter, p, 'recordHazard', { campaign: null, responsibleUnitPath: town.path })).toBe(
      true,
    );
    expect(can(townReporter, p, 'recordHazard', { campaign: null, responsibleUnitPath: police.path })).toBe(
      false,
    );
  });

  it('the responsible unit rectifies; the recording unit or the lead department verifies — never the responsible unit', () => {
    expect(can(townReporter, p, 'rectify', hazard)).toBe(true);
    expect(can(countyEditor, p, 'rectify', hazard)).toBe(false);
    expect(can(countyEditor, p, 'verify', hazard)).toBe(true);
    expect(can(policeReporter, p, 'verify', hazard)).toBe(true);
    expect(can(townReporter, p, 'verify', hazard)).toBe(false);
    // recorded by the responsible unit itself: still not its own verifier
    expect(can(townReporter, p, 'verify', { ...hazard, recordingUnitId: 'town' })).toBe(false);
    expect(can(stranger, p, 'verify', hazard)).toBe(false);
  });

  it('tip-offs: area offices assign; the handling unit investigates and sees the contact', () => {
    const t = { areaPath: county.path, areaId: 'county', assignedUnitId: null };
    expect(can(countyEditor, p, 'assignTipoff', t)).toBe(true);
    expect(can(townReporter, p, 'assignTipoff', t)).toBe(false);
    expect(can(countyEditor, p, 'handleTipoff', t)).toBe(true);
    const assigned = { ...t, assignedUnitId: 'town' };
    expect(can(countyEditor, p, 'handleTipoff', assigned)).toBe(false);
    expect(can(townReporter, p, 'handleTipoff', assigned)).toBe(true);
  });

  it('hazard sources: editors/admins register in their tree; the responsible unit checks in; readings from it or above', () => {
    const source = { unitId: 'town', unitPath: ['city', 'county', 'town'] };
    expect(can(countyEditor, p, 'registerSource', source)).toBe(true);
    expect(can(countyDuty, p, 'registerSource', source)).toBe(false);
    expect(can(stranger, p, 'registerSource', source)).toBe(false);
    expect(can(townReporter, p, 'checkSource', source)).toBe(true);
    expect(can(countyEditor, p, 'checkSource', source)).toBe(false);
    expect(can(townReporter, p, 'postReading', source)).toBe(true);
    expect(can(countyDuty, p, 'postReading', source)).toBe(true);
    expect(can(policeReporter, p, 'postReading', source)).toBe(false);
  });

  it('安委办: administrators of the area or above', () => {
    const admin = person(countyOffice, county, ['admin']);
    expect(can(admin, p, 'setSafetyOffice', ['city', 'county', 'town'])).toBe(true);
    expect(can(admin, p, 'setSafetyOffice', ['city', 'county2'])).toBe(false);
    expect(can(countyEditor, p, 'setSafetyOffice', ['city', 'county'])).toBe(false);
  });
});
