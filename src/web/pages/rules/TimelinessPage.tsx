import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Input, InputNumber, Row, Select, Space, Tooltip, TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { LevelTag } from '../../components/tags';
import type { Level } from '../../types';
import { fmtMinutes, type Issue, RuleSetPage, rowPath, useCategoryTree } from './shared';

interface TimelinessRow {
  key: string;
  name: string;
  from: string[];
  levels: Array<Level | null>;
  categories?: string[];
  phoneMinutes: number | null;
  writtenMinutes: number | null;
  basis?: 'occurrence' | 'arrival';
}
interface TimelinessBody {
  rows: TimelinessRow[];
  missedAfterMinutes: number;
  reminderFractions: number[];
  followUpMinutes: { I: number; II: number; III: number; activeResponse: number };
  supplementDays: { default: number; roadTrafficAndFire: number };
  keyItemsCheckMinutes: number;
}

const UNIT_CLASSES = [
  'township',
  'county',
  'city',
  'province',
  'department',
  'emergency_office',
  'enterprise',
];
const LEVEL_VALUES = ['I', 'II', 'III', 'IV', 'none'] as const;
const MAX_MIN = 7 * 24 * 60;

/** Which earlier row each row overlaps (same from, level and category set). */
function overlaps(rows: TimelinessRow[]): Map<number, { row: number; what: string[] }> {
  const seen = new Map<string, number>();
  const out = new Map<number, { row: number; what: string[] }>();
  rows.forEach((r, i) => {
    for (const f of r.from)
      for (const l of r.levels) {
        const k = `${f}|${l}|${(r.categories ?? []).slice().sort().join(',')}`;
        const j = seen.get(k);
        if (j !== undefined && j !== i) {
          const o = out.get(i) ?? { row: j, what: [] };
          o.what.push(`${f}|${l ?? 'none'}`);
          out.set(i, o);
        } else seen.set(k, i);
      }
  });
  return out;
}

function Minutes({
  value,
  onChange,
  disabled,
  error,
  allowNone,
  testId,
  withUnit = false,
  min = 1,
}: {
  value: number | null;
  onChange: (v: number | null) => void;
  disabled: boolean;
  error?: boolean;
  allowNone: boolean;
  testId?: string;
  /** Show the unit inside the box (outside the table, where no header says it). */
  withUnit?: boolean;
  min?: number;
}) {
  const { t, i18n } = useTranslation();
  return (
    <div className="rules-min">
      <InputNumber<number>
        value={value}
        min={min}
        max={MAX_MIN}
        precision={0}
        size="small"
        disabled={disabled}
        status={error ? 'error' : undefined}
        placeholder={allowNone ? t('rules.tl.none') : undefined}
        suffix={withUnit ? <span className="muted">{t('rules.tl.minutes')}</span> : undefined}
        style={{ width: withUnit ? 130 : 96 }}
        data-testid={testId}
        onChange={(v) => onChange(v === null || v === undefined ? (allowNone ? null : value) : v)}
      />
      <span className="rules-min-human">
        {value === null ? '\u00a0' : fmtMinutes(value, i18n.language === 'en')}
      </span>
    </div>
  );
}

/** 报送时限: the time-limit table and the late/missed/reminder settings. */
export default function TimelinessRulesPage() {
  const { t } = useTranslation();
  const cats = useCategoryTree();
  const fields: Record<string, string> = {
    rows: t('rules.tl.rowsCard'),
    key: 'key',
    name: t('rules.tl.name'),
    from: t('rules.tl.from'),
    levels: t('rules.tl.levels'),
    categories: t('rules.tl.categories'),
    phoneMinutes: t('rules.tl.phone'),
    writtenMinutes: t('rules.tl.written'),
    basis: t('rules.tl.basis'),
    missedAfterMinutes: t('rules.tl.missedAfter'),
    reminderFractions: t('rules.tl.reminders'),
    followUpMinutes: t('rules.tl.followUp'),
    supplementDays: t('rules.tl.supplement'),
    keyItemsCheckMinutes: t('rules.tl.keyItems'),
    I: t('rules.tl.followI'),
    II: t('rules.tl.followII'),
    III: t('rules.tl.followIII'),
    activeResponse: t('rules.tl.followActive'),
    default: t('rules.tl.supplementDefault'),
    roadTrafficAndFire: t('rules.tl.supplementRoad'),
  };
  const levelLabel = (l: string) =>
    l === 'none' ? t('level.none') : `${{ I: 'Ⅰ', II: 'Ⅱ', III: 'Ⅲ', IV: 'Ⅳ' }[l]}${t('level.suffix')}`;
  const describeOverlap = (what: string[]) =>
    what
      .map((w) => {
        const [f, l] = w.split('|');
        return `${t(`rules.tl.unitClass.${f}`)} ${levelLabel(l)}`;
      })
      .join('、');

  const check = (b: TimelinessBody): Issue[] => {
    const out: Issue[] = [];
    b.rows.forEach((r, i) => {
      if (!r.name.trim()) out.push({ path: `rows.${i}.name`, message: t('form.required') });
      if (!r.from.length) out.push({ path: `rows.${i}.from`, message: t('form.required') });
      if (!r.levels.length) out.push({ path: `rows.${i}.levels`, message: t('form.required') });
    });
    for (const [i, o] of overlaps(b.rows))
      out.push({
        path: `rows.${i}`,
        message: t('rules.tl.overlap', { n: o.row + 1, what: describeOverlap(o.what) }),
      });
    return out;
  };

  return (
    <RuleSetPage<TimelinessBody>
      kind="timeliness"
      title={t('rules.tl.title')}
      subtitle={t('rules.tl.sub')}
      describePath={(p) => rowPath(p, fields, t)}
      check={check}
    >
      {({ value, set, readOnly, issueAt }) => {
        const ov = overlaps(value.rows);
        const setRow = (i: number, f: (r: TimelinessRow) => void) =>
          set((d) => {
            f(d.rows[i]);
            return d;
          });
        return (
          <>
            <Card
              title={t('rules.tl.rowsCard')}
              size="small"
              extra={
                readOnly ? null : (
                  <Button
                    size="small"
                    icon={<PlusOutlined />}
                    onClick={() =>
                      set((d) => {
                        let n = d.rows.length + 1;
                        while (d.rows.some((r) => r.key === `row-${n}`)) n++;
                        d.rows.push({
                          key: `row-${n}`,
                          name: '',
                          from: [],
                          levels: [],
                          phoneMinutes: null,
                          writtenMinutes: 60,
                        });
                        return d;
                      })
                    }
                  >
                    {t('rules.tl.addRow')}
                  </Button>
                )
              }
            >
              <ResponsiveTable<TimelinessRow>
                className="rules-table"
                rowKey="key"
                size="small"
                pagination={false}
                dataSource={value.rows}
                scroll={{ x: 1090 }}
                columns={[
                  {
                    title: '#',
                    width: 36,
                    render: (_v, _r, i) => <span className="muted">{i + 1}</span>,
                  },
                  {
                    title: t('rules.tl.name'),
                    width: 190,
                    render: (_v, r, i) => (
                      <div>
                        <Input.TextArea
                          value={r.name}
                          maxLength={100}
                          autoSize={{ minRows: 1, maxRows: 3 }}
                          disabled={readOnly}
                          status={issueAt(`rows.${i}.name`) ? 'error' : undefined}
                          onChange={(e) => setRow(i, (x) => (x.name = e.target.value))}
                        />
                        {ov.has(i) ? (
                          <div className="rules-row-error">
                            {t('rules.tl.overlap', {
                              n: (ov.get(i)?.row ?? 0) + 1,
                              what: describeOverlap(ov.get(i)?.what ?? []),
                            })}
                          </div>
                        ) : null}
                      </div>
                    ),
                  },
                  {
                    title: t('rules.tl.from'),
                    width: 170,
                    render: (_v, r, i) => (
                      <Select
                        mode="multiple"
                        size="small"
                        value={r.from}
                        disabled={readOnly}
                        status={issueAt(`rows.${i}.from`) ? 'error' : undefined}
                        style={{ width: '100%' }}
                        options={UNIT_CLASSES.map((c) => ({ value: c, label: t(`rules.tl.unitClass.${c}`) }))}
                        onChange={(v: string[]) => setRow(i, (x) => (x.from = v))}
                      />
                    ),
                  },
                  {
                    title: t('rules.tl.levels'),
                    width: 160,
                    render: (_v, r, i) => (
                      <Select
                        mode="multiple"
                        size="small"
                        value={r.levels.map((l) => l ?? 'none')}
                        disabled={readOnly}
                        status={issueAt(`rows.${i}.levels`) ? 'error' : undefined}
                        style={{ width: '100%' }}
                        options={LEVEL_VALUES.map((l) => ({ value: l, label: levelLabel(l) }))}
                        tagRender={(p) => (
                          <span
                            onMouseDown={(e) => e.preventDefault()}
                            style={{ display: 'inline-flex', marginBlock: 1 }}
                          >
                            <LevelTag level={p.value === 'none' ? null : (p.value as Level)} short />
                          </span>
                        )}
                        onChange={(v: string[]) =>
                          setRow(i, (x) => {
                            x.levels = LEVEL_VALUES.filter((l) => v.includes(l)).map((l) =>
                              l === 'none' ? null : l,
                            );
                          })
                        }
                      />
                    ),
                  },
                  {
                    title: t('rules.tl.categories'),
                    width: 140,
                    render: (_v, r, i) => (
                      <TreeSelect
                        multiple
                        size="small"
                        value={r.categories ?? []}
                        treeData={cats.prefixTree}
                        showSearch={{ treeNodeFilterProp: 'title' }}
                        placeholder={t('rules.tl.categoriesPh')}
                        disabled={readOnly}
                        status={issueAt(`rows.${i}.categories`) ? 'error' : undefined}
                        style={{ width: '100%' }}
                        popupMatchSelectWidth={false}
                        listHeight={360}
                        maxTagCount="responsive"
                        onChange={(v) =>
                          setRow(i, (x) => {
                            const list = v as string[];
                            if (list.length) x.categories = list;
                            else delete x.categories;
                          })
                        }
                      />
                    ),
                  },
                  {
                    title: t('rules.tl.phoneMin'),
                    width: 112,
                    render: (_v, r, i) => (
                      <Minutes
                        value={r.phoneMinutes}
                        allowNone
                        disabled={readOnly}
                        error={!!issueAt(`rows.${i}.phoneMinutes`)}
                        onChange={(m) => setRow(i, (x) => (x.phoneMinutes = m))}
                      />
                    ),
                  },
                  {
                    title: t('rules.tl.writtenMin'),
                    width: 112,
                    render: (_v, r, i) => (
                      <Minutes
                        value={r.writtenMinutes}
                        allowNone
                        disabled={readOnly}
                        error={!!issueAt(`rows.${i}.writtenMinutes`)}
                        testId={`written-${i}`}
                        onChange={(m) => setRow(i, (x) => (x.writtenMinutes = m))}
                      />
                    ),
                  },
                  {
                    title: t('rules.tl.basis'),
                    width: 116,
                    render: (_v, r, i) => (
                      <Select
                        size="small"
                        value={r.basis ?? 'occurrence'}
                        disabled={readOnly}
                        style={{ width: '100%' }}
                        popupMatchSelectWidth={false}
                        options={[
                          { value: 'occurrence', label: t('rules.tl.basisOccurrence') },
                          { value: 'arrival', label: t('rules.tl.basisArrival') },
                        ]}
                        onChange={(v) =>
                          setRow(i, (x) => {
                            if (v === 'arrival') x.basis = 'arrival';
                            else delete x.basis;
                          })
                        }
                      />
                    ),
                  },
                  ...(readOnly
                    ? []
                    : [
                        {
                          title: t('common.actions'),
                          width: 88,
                          render: (_v: unknown, _r: TimelinessRow, i: number) => (
                            <Space size={0}>
                              <Tooltip title={t('rules.tl.up')}>
                                <Button
                                  type="text"
                                  size="small"
                                  icon={<ArrowUpOutlined />}
                                  disabled={i === 0}
                                  onClick={() =>
                                    set((d) => {
                                      [d.rows[i - 1], d.rows[i]] = [d.rows[i], d.rows[i - 1]];
                                      return d;
                                    })
                                  }
                                />
                              </Tooltip>
                              <Tooltip title={t('rules.tl.down')}>
                                <Button
                                  type="text"
                                  size="small"
                                  icon={<ArrowDownOutlined />}
                                  disabled={i === value.rows.length - 1}
                                  onClick={() =>
                                    set((d) => {
                                      [d.rows[i + 1], d.rows[i]] = [d.rows[i], d.rows[i + 1]];
                                      return d;
                                    })
                                  }
                                />
                              </Tooltip>
                              <Tooltip title={t('rules.tl.del')}>
                                <Button
                                  type="text"
                                  size="small"
                                  danger
                                  icon={<DeleteOutlined />}
                                  disabled={value.rows.length <= 1}
                                  onClick={() =>
                                    set((d) => {
                                      d.rows.splice(i, 1);
                                      return d;
                                    })
                                  }
                                />
                              </Tooltip>
                            </Space>
                          ),
                        },
                      ]),
                ]}
              />
            </Card>

            <Card title={t('rules.tl.otherCard')} size="small">
              <Row gutter={[32, 16]}>
                <Col xs={24} md={12} xl={8}>
                  <div className="rules-field-label">{t('rules.tl.missedAfter')}</div>
                  <Minutes
                    value={value.missedAfterMinutes}
                    min={60}
                    allowNone={false}
                    withUnit
                    disabled={readOnly}
                    error={!!issueAt('missedAfterMinutes')}
                    onChange={(m) =>
                      set((d) => {
                        d.missedAfterMinutes = m ?? d.missedAfterMinutes;
                        return d;
                      })
                    }
                  />
                  <div className="rules-hint">{t('rules.tl.missedAfterHint')}</div>
                </Col>
                <Col xs={24} md={12} xl={8}>
                  <div className="rules-field-label">{t('rules.tl.reminders')}</div>
                  <Space wrap size={6}>
                    {value.reminderFractions.map((f, i) => (
                      <Space.Compact key={`${i}-${f}`} size="small">
                        <InputNumber<number>
                          size="small"
                          min={1}
                          max={99}
                          precision={0}
                          value={Math.round(f * 100)}
                          disabled={readOnly}
                          status={issueAt(`reminderFractions.${i}`) ? 'error' : undefined}
                          suffix="%"
                          style={{ width: 76 }}
                          onChange={(v) =>
                            set((d) => {
                              if (v) d.reminderFractions[i] = v / 100;
                              return d;
                            })
                          }
                        />
                        {readOnly ? null : (
                          <Button
                            size="small"
                            icon={<DeleteOutlined />}
                            onClick={() =>
                              set((d) => {
                                d.reminderFractions.splice(i, 1);
                                return d;
                              })
                            }
                          />
                        )}
                      </Space.Compact>
                    ))}
                    {readOnly || value.reminderFractions.length >= 5 ? null : (
                      <Button
                        size="small"
                        type="dashed"
                        icon={<PlusOutlined />}
                        onClick={() =>
                          set((d) => {
                            d.reminderFractions.push(0.9);
                            d.reminderFractions.sort((a, b) => a - b);
                            return d;
                          })
                        }
                      >
                        {t('rules.tl.addReminder')}
                      </Button>
                    )}
                  </Space>
                  <div className="rules-hint">{t('rules.tl.remindersHint')}</div>
                </Col>
                <Col xs={24} md={12} xl={8}>
                  <div className="rules-field-label">{t('rules.tl.keyItems')}</div>
                  <Minutes
                    value={value.keyItemsCheckMinutes}
                    min={60}
                    allowNone={false}
                    withUnit
                    disabled={readOnly}
                    error={!!issueAt('keyItemsCheckMinutes')}
                    onChange={(m) =>
                      set((d) => {
                        d.keyItemsCheckMinutes = m ?? d.keyItemsCheckMinutes;
                        return d;
                      })
                    }
                  />
                  <div className="rules-hint">{t('rules.tl.keyItemsHint')}</div>
                </Col>
                <Col xs={24} xl={16}>
                  <div className="rules-field-label">{t('rules.tl.followUp')}</div>
                  <Space wrap size={16} align="start">
                    {(['I', 'II', 'III', 'activeResponse'] as const).map((k) => (
                      <div key={k}>
                        <div className="muted" style={{ fontSize: 12 }}>
                          {fields[k]}
                        </div>
                        <Minutes
                          value={value.followUpMinutes[k]}
                          min={10}
                          allowNone={false}
                          withUnit
                          disabled={readOnly}
                          error={!!issueAt(`followUpMinutes.${k}`)}
                          onChange={(m) =>
                            set((d) => {
                              d.followUpMinutes[k] = m ?? d.followUpMinutes[k];
                              return d;
                            })
                          }
                        />
                      </div>
                    ))}
                  </Space>
                  <div className="rules-hint">{t('rules.tl.followUpHint')}</div>
                </Col>
                <Col xs={24} xl={8}>
                  <div className="rules-field-label">{t('rules.tl.supplement')}</div>
                  <Space wrap size={16}>
                    {(['default', 'roadTrafficAndFire'] as const).map((k) => (
                      <div key={k}>
                        <div className="muted" style={{ fontSize: 12 }}>
                          {fields[k]}
                        </div>
                        <InputNumber<number>
                          size="small"
                          min={1}
                          max={365}
                          precision={0}
                          value={value.supplementDays[k]}
                          disabled={readOnly}
                          status={issueAt(`supplementDays.${k}`) ? 'error' : undefined}
                          suffix={<span className="muted">{t('rules.tl.days')}</span>}
                          style={{ width: 100 }}
                          onChange={(v) =>
                            set((d) => {
                              if (v) d.supplementDays[k] = v;
                              return d;
                            })
                          }
                        />
                      </div>
                    ))}
                  </Space>
                </Col>
              </Row>
            </Card>
          </>
        );
      }}
    </RuleSetPage>
  );
}
