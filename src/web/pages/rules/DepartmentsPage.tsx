import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Card, Input, Select, Space, Tooltip, TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { type Issue, RuleSetPage, rowPath, useCategoryTree } from './shared';

interface DepartmentRow {
  name: string;
  categories?: string[];
  flags?: string[];
  departmentType: string;
}
interface DepartmentsBody {
  rows: DepartmentRow[];
}

const FLAGS = [
  'publicOpinion',
  'massIncident',
  'sensitivePlace',
  'sensitiveTime',
  'mayEscalate',
  'student',
  'foreigner',
  'military',
  'minor',
  'woman',
  'ethnic_religious',
  'notable',
];
const DEPT_TYPES = [
  'propaganda',
  'petitions',
  'work_safety',
  'education',
  'civil_affairs',
  'police',
  'environment',
  'transport',
  'agriculture',
  'water',
  'animal_health',
  'health',
  'ethnic_religious',
  'utilities',
  'market_regulation',
  'earthquake',
  'state_security',
  'power',
  'river',
  'banking',
  'political_legal',
  'civil_air_defence',
];

/** 职责部门: which department type must see an event, by category prefix or marker. */
export default function ResponsibleDepartmentsPage() {
  const { t } = useTranslation();
  const cats = useCategoryTree();
  const fields: Record<string, string> = {
    rows: t('rules.rd.rowsCard'),
    name: t('rules.rd.name'),
    categories: t('rules.rd.categories'),
    flags: t('rules.rd.flags'),
    departmentType: t('rules.rd.deptType'),
  };
  const deptLabel = (d: string) => t(`rules.rd.dept.${d}`, { defaultValue: d });

  const check = (b: DepartmentsBody): Issue[] => {
    const out: Issue[] = [];
    b.rows.forEach((r, i) => {
      if (!r.name.trim()) out.push({ path: `rows.${i}.name`, message: t('form.required') });
      if (!r.departmentType.trim())
        out.push({ path: `rows.${i}.departmentType`, message: t('form.required') });
    });
    return out;
  };

  return (
    <RuleSetPage<DepartmentsBody>
      kind="responsible_departments"
      title={t('rules.rd.title')}
      subtitle={t('rules.rd.sub')}
      describePath={(p) => rowPath(p, fields, t)}
      check={check}
    >
      {({ value, set, readOnly, issueAt }) => {
        const setRow = (i: number, f: (r: DepartmentRow) => void) =>
          set((d) => {
            f(d.rows[i]);
            return d;
          });
        const move = (i: number, j: number) =>
          set((d) => {
            [d.rows[i], d.rows[j]] = [d.rows[j], d.rows[i]];
            return d;
          });
        return (
          <Card
            title={t('rules.rd.rowsCard')}
            size="small"
            extra={
              readOnly ? null : (
                <Button
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={() =>
                    set((d) => {
                      d.rows.push({ name: '', categories: [], departmentType: '' });
                      return d;
                    })
                  }
                >
                  {t('rules.rd.addRow')}
                </Button>
              )
            }
          >
            <ResponsiveTable<DepartmentRow>
              className="rules-table"
              rowKey={(r) => value.rows.indexOf(r)}
              size="small"
              pagination={false}
              dataSource={value.rows}
              scroll={{ x: 1000 }}
              columns={[
                {
                  title: '#',
                  width: 40,
                  render: (_v, _r, i) => <span className="muted">{i + 1}</span>,
                },
                {
                  title: t('rules.rd.name'),
                  width: 250,
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
                      {!r.categories?.length && !r.flags?.length ? (
                        <div className="rules-row-error">{t('rules.rd.matchesNothing')}</div>
                      ) : null}
                    </div>
                  ),
                },
                {
                  title: t('rules.rd.categories'),
                  render: (_v, r, i) => (
                    <TreeSelect
                      multiple
                      size="small"
                      value={r.categories ?? []}
                      treeData={cats.prefixTree}
                      showSearch={{ treeNodeFilterProp: 'title' }}
                      placeholder={t('rules.rd.categoriesPh')}
                      disabled={readOnly}
                      status={issueAt(`rows.${i}.categories`) ? 'error' : undefined}
                      style={{ width: '100%' }}
                      popupMatchSelectWidth={false}
                      listHeight={360}
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
                  title: t('rules.rd.flags'),
                  width: 200,
                  render: (_v, r, i) => (
                    <Select
                      mode="tags"
                      size="small"
                      value={r.flags ?? []}
                      placeholder={t('rules.rd.flagsPh')}
                      disabled={readOnly}
                      status={issueAt(`rows.${i}.flags`) ? 'error' : undefined}
                      style={{ width: '100%' }}
                      options={FLAGS.map((f) => ({ value: f, label: t(`rules.rd.flag.${f}`) }))}
                      onChange={(v: string[]) =>
                        setRow(i, (x) => {
                          if (v.length) x.flags = v.map((f) => f.trim().slice(0, 40)).filter(Boolean);
                          else delete x.flags;
                        })
                      }
                    />
                  ),
                },
                {
                  title: t('rules.rd.deptType'),
                  width: 180,
                  render: (_v, r, i) => (
                    <AutoComplete
                      size="small"
                      value={r.departmentType ? deptLabel(r.departmentType) : ''}
                      placeholder={t('rules.rd.deptTypePh')}
                      disabled={readOnly}
                      status={issueAt(`rows.${i}.departmentType`) ? 'error' : undefined}
                      style={{ width: '100%' }}
                      popupMatchSelectWidth={220}
                      options={DEPT_TYPES.map((d) => ({ value: d, label: `${deptLabel(d)}` }))}
                      showSearch={{
                        filterOption: (input, o) =>
                          String(o?.label ?? '').includes(input) || String(o?.value ?? '').includes(input),
                      }}
                      onChange={(v: string) =>
                        setRow(i, (x) => {
                          // a label typed back maps to its code; anything else is kept as a custom type
                          const code = DEPT_TYPES.find((d) => deptLabel(d) === v) ?? v;
                          x.departmentType = code.slice(0, 40);
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
                        width: 96,
                        render: (_v: unknown, _r: DepartmentRow, i: number) => (
                          <Space size={0}>
                            <Tooltip title={t('rules.tl.up')}>
                              <Button
                                type="text"
                                size="small"
                                icon={<ArrowUpOutlined />}
                                disabled={i === 0}
                                onClick={() => move(i, i - 1)}
                              />
                            </Tooltip>
                            <Tooltip title={t('rules.tl.down')}>
                              <Button
                                type="text"
                                size="small"
                                icon={<ArrowDownOutlined />}
                                disabled={i === value.rows.length - 1}
                                onClick={() => move(i, i + 1)}
                              />
                            </Tooltip>
                            <Tooltip title={t('rules.tl.del')}>
                              <Button
                                type="text"
                                size="small"
                                danger
                                icon={<DeleteOutlined />}
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
        );
      }}
    </RuleSetPage>
  );
}
