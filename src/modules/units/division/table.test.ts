import { describe, expect, it } from 'vitest';
import { officesFor } from '../division.js';
import {
  childDivisions,
  divisionAncestors,
  divisionSubtree,
  getDivision,
  parseDivisionRows,
} from './table.js';

describe('the committed division table', () => {
  it('holds the provinces, cities, counties and townships of the national table', () => {
    const all = [...divisionSubtree('440000')];
    expect(all.filter((d) => d.level === 'city')).toHaveLength(21);
    expect(childDivisions(null).map((d) => d.name)).toEqual(
      expect.arrayContaining(['北京市', '广东省', '香港特别行政区']),
    );
    expect(childDivisions(null)).toHaveLength(34);
  });

  it('puts municipal districts and province-administered counties under the province', () => {
    expect(getDivision('110101')).toMatchObject({ name: '东城区', level: 'county', parentCode: '110000' });
    expect(getDivision('500229')).toMatchObject({ level: 'county', parentCode: '500000' });
    expect(getDivision('419001')).toMatchObject({ name: '济源市', level: 'county', parentCode: '410000' });
    expect(getDivision('110100')).toBeNull(); // the pseudo city 市辖区
  });

  it('puts the townships of cities without counties directly under the city', () => {
    expect(getDivision('441900')).toMatchObject({ name: '东莞市', level: 'city', parentCode: '440000' });
    expect(childDivisions('441900').every((d) => d.level === 'township')).toBe(true);
    expect(getDivision('620201')).toBeNull();
    expect(divisionAncestors('620201100').map((d) => d.level)).toEqual(['province', 'city', 'township']);
  });

  it('parses compact rows and refuses an unknown level', () => {
    const t = parseDivisionRows([
      ['990000', '示例省', null, 'p'],
      ['990100', '示例市', '990000', 'c'],
    ]);
    expect(t.children.get('990000')?.map((d) => d.name)).toEqual(['示例市']);
    expect(() => parseDivisionRows([['1', 'x', null, 'q']])).toThrow(/unknown level/);
  });

  it('names the offices of an area the way the offices call themselves', () => {
    expect(officesFor('广东省', 'province').map((o) => o.name)).toEqual([
      '广东省委办公厅',
      '广东省人民政府办公厅',
      '广东省总值班室',
    ]);
    expect(officesFor('延边朝鲜族自治州', 'city')[0].name).toBe('延边朝鲜族自治州党委办公室');
    expect(
      officesFor('阿里地区', 'city')
        .map((o) => o.name)
        .slice(0, 2),
    ).toEqual(['阿里地委办公室', '阿里地区行政公署办公室']);
    expect(officesFor('虎门镇', 'township')).toEqual([{ name: '虎门镇党政办', kind: 'party_office' }]);
  });
});
