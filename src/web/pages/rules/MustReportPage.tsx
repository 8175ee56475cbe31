import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Input,
  Row,
  Segmented,
  Select,
  Switch,
  TreeSelect,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { type Issue, RuleSetPage, rowPath, useCategoryTree } from './shared';

interface MustReportBody {
  rules: Array<{ id: string; name: string; nameEn: string; enabled: boolean }>;
  seriousSubclasses: string[];
  seriousWithCasualties: string[];
  sensitivePlaces: string[];
  sensitivePeriods: Array<{ name: string; from: string; to: string }>;
}

const MMDD = /^\d{2}-\d{2}$/;
const YMD = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (s: string) =>
  MMDD.test(s)
    ? dayjs(`2024-${s}`, 'YYYY-MM-DD', true).isValid()
    : YMD.test(s) && dayjs(s, 'YYYY-MM-DD', true).isValid();

function check(b: MustReportBody, t: (k: string) => string): Issue[] {
  const out: Issue[] = [];
  b.sensitivePeriods.forEach((p, i) => {
    if (!p.name.trim()) out.push({ path: `sensitivePeriods.${i}.name`, message: t('form.required') });
    for (const k of ['from', 'to'] as const)
      if (!validDate(p[k])) out.push({ path: `sensitivePeriods.${i}.${k}`, message: t('rules.mr.badDate') });
  });
  return out;
}

function PeriodDate({
  value,
  yearly,
  onChange,
  disabled,
  error,
  placeholder,
}: {
  value: string;
  yearly: boolean;
  onChange: (v: string) => void;
  disabled: boolean;
  error: boolean;
  placeholder: string;
}) {
  const parsed: Dayjs | null = value
    ? yearly
      ? dayjs(`2024-${value}`, 'YYYY-MM-DD', true)
      : dayjs(value, 'YYYY-MM-DD', true)
    : null;
  return (
    <DatePicker
      value={parsed?.isValid() ? parsed : null}
      format={yearly ? 'MM-DD' : 'YYYY-MM-DD'}
      onChange={(d) => onChange(d ? d.format(yearly ? 'MM-DD' : 'YYYY-MM-DD') : '')}
      disabled={disabled}
      status={error ? 'error' : undefined}
      placeholder={placeholder}
      allowClear={false}
      style={{ width: 140 }}
    />
  );
}

/** 七个必报: rule switches, serious sub-classes, sensitive places and periods. */
export default function MustReportRulesPage() {
  const { t, i18n } = useTranslation();
  const cats = useCategoryTree();
  const en = i18n.language === 'en';
  const fields: Record<string, string> = {
    rules: t('rules.mr.rulesCard'),
    seriousSubclasses: t('rules.mr.serious'),
    seriousWithCasualties: t('rules.mr.seriousCas'),
    sensitivePlaces: t('rules.mr.places'),
    sensitivePeriods: t('rules.mr.periods'),
    name: t('rules.mr.periodName'),
    from: t('rules.mr.from'),
    to: t('rules.mr.to'),
    enabled: t('rules.mr.enabledCol'),
  };
  return (
    <RuleSetPage<MustReportBody>
      kind="must_report"
      title={t('rules.mr.title')}
      subtitle={t('rules.mr.sub')}
      describePath={(p) => rowPath(p, fields, t)}
      check={(b) => check(b, t)}
    >
      {({ value, set, readOnly, issueAt }) => (
        <>
          <Card title={t('rules.mr.rulesCard')} size="small">
            <ResponsiveTable
              className="rules-table"
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={value.rules}
              rowClassName={(r) => (r.enabled ? '' : 'rules-rule-off')}
              columns={[
                {
                  title: '#',
                  width: 44,
                  render: (_v, _r, i) => <span className="muted">{i + 1}</span>,
                },
                {
                  title: t('rules.mr.ruleCol'),
                  width: 200,
                  render: (_v, r) => (
                    <span className="rules-rule-name">
                      <strong>{t(`mustRule.${r.id}`, { defaultValue: en ? r.nameEn : r.name })}</strong>
                    </span>
                  ),
                },
                {
                  title: t('rules.mr.whenCol'),
                  render: (_v, r) => <span className="rules-when">{t(`rules.mr.when.${r.id}`)}</span>,
                },
                {
                  title: t('rules.mr.enabledCol'),
                  width: 90,
                  align: 'center',
                  render: (_v, r, i) => (
                    <Switch
                      checked={r.enabled}
                      disabled={readOnly}
                      data-testid={`rule-switch-${r.id}`}
                      aria-label={t(`mustRule.${r.id}`)}
                      title={r.enabled ? undefined : t('rules.mr.disabledHint')}
                      onChange={(on) =>
                        set((d) => {
                          d.rules[i].enabled = on;
                          return d;
                        })
                      }
                    />
                  ),
                },
              ]}
            />
          </Card>

          <Card title={t('rules.mr.serious')} size="small">
            <Row gutter={24}>
              <Col xs={24} lg={12}>
                <div className="rules-field-label">{t('rules.mr.serious')}</div>
                <TreeSelect
                  multiple
                  value={value.seriousSubclasses}
                  treeData={cats.subclassTree}
                  treeDefaultExpandAll
                  showSearch={{ treeNodeFilterProp: 'title' }}
                  placeholder={t('rules.mr.pickSub')}
                  disabled={readOnly}
                  loading={cats.loading}
                  status={issueAt('seriousSubclasses') ? 'error' : undefined}
                  style={{ width: '100%' }}
                  listHeight={360}
                  data-testid="serious-subclasses"
                  onChange={(v) =>
                    set((d) => {
                      d.seriousSubclasses = v as string[];
                      return d;
                    })
                  }
                />
                <div className="rules-hint">{t('rules.mr.seriousHint')}</div>
              </Col>
              <Col xs={24} lg={12}>
                <div className="rules-field-label">{t('rules.mr.seriousCas')}</div>
                <TreeSelect
                  multiple
                  value={value.seriousWithCasualties}
                  treeData={cats.subclassTree}
                  treeDefaultExpandAll
                  showSearch={{ treeNodeFilterProp: 'title' }}
                  placeholder={t('rules.mr.pickSub')}
                  disabled={readOnly}
                  loading={cats.loading}
                  status={issueAt('seriousWithCasualties') ? 'error' : undefined}
                  style={{ width: '100%' }}
                  listHeight={360}
                  onChange={(v) =>
                    set((d) => {
                      d.seriousWithCasualties = v as string[];
                      return d;
                    })
                  }
                />
                <div className="rules-hint">{t('rules.mr.seriousCasHint')}</div>
              </Col>
            </Row>
          </Card>

          <Card title={t('rules.mr.places')} size="small">
            <Select
              mode="tags"
              value={value.sensitivePlaces}
              open={false}
              suffixIcon={null}
              tokenSeparators={[',', '，', '、', ';', '；']}
              placeholder={t('rules.mr.placesPh')}
              disabled={readOnly}
              status={issueAt('sensitivePlaces') ? 'error' : undefined}
              style={{ width: '100%' }}
              data-testid="sensitive-places"
              onChange={(v: string[]) =>
                set((d) => {
                  d.sensitivePlaces = [...new Set(v.map((x) => x.trim()).filter(Boolean))].map((x) =>
                    x.slice(0, 50),
                  );
                  return d;
                })
              }
            />
            <div className="rules-hint">{t('rules.mr.placesHint')}</div>
          </Card>

          <Card
            title={t('rules.mr.periods')}
            size="small"
            extra={
              readOnly ? null : (
                <Button
                  size="small"
                  icon={<PlusOutlined />}
                  data-testid="period-add"
                  onClick={() =>
                    set((d) => {
                      d.sensitivePeriods.push({ name: '', from: '', to: '' });
                      return d;
                    })
                  }
                >
                  {t('rules.mr.addPeriod')}
                </Button>
              )
            }
          >
            <div className="rules-hint" style={{ marginTop: 0, marginBottom: 8 }}>
              {t('rules.mr.periodsHint')}
            </div>
            <ResponsiveTable
              className="rules-table"
              size="small"
              pagination={false}
              rowKey={(_r) => value.sensitivePeriods.indexOf(_r)}
              dataSource={value.sensitivePeriods}
              locale={{
                emptyText: (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rules.mr.noPeriods')} />
                ),
              }}
              columns={[
                {
                  title: t('rules.mr.periodName'),
                  render: (_v, p, i) => (
                    <Input
                      value={p.name}
                      maxLength={50}
                      placeholder={t('rules.mr.periodNamePh')}
                      disabled={readOnly}
                      status={issueAt(`sensitivePeriods.${i}.name`) ? 'error' : undefined}
                      onChange={(e) =>
                        set((d) => {
                          d.sensitivePeriods[i].name = e.target.value;
                          return d;
                        })
                      }
                    />
                  ),
                },
                {
                  title: t('rules.mr.periodKind'),
                  width: 170,
                  render: (_v, p, i) => {
                    const yearly = p.from ? MMDD.test(p.from) : !YMD.test(p.to);
                    return (
                      <Segmented
                        size="small"
                        value={yearly ? 'y' : 'd'}
                        disabled={readOnly}
                        options={[
                          { value: 'y', label: t('rules.mr.yearly') },
                          { value: 'd', label: t('rules.mr.dated') },
                        ]}
                        onChange={(k) =>
                          set((d) => {
                            const cur = d.sensitivePeriods[i];
                            const year = String(new Date().getFullYear());
                            const conv = (s: string) =>
                              k === 'y' ? (YMD.test(s) ? s.slice(5) : s) : MMDD.test(s) ? `${year}-${s}` : s;
                            cur.from = conv(cur.from);
                            cur.to = conv(cur.to);
                            if (!cur.from && !cur.to && k === 'd') cur.from = dayjs().format('YYYY-MM-DD');
                            return d;
                          })
                        }
                      />
                    );
                  },
                },
                {
                  title: `${t('rules.mr.from')} — ${t('rules.mr.to')}`,
                  width: 330,
                  render: (_v, p, i) => {
                    const yearly = p.from ? MMDD.test(p.from) : !YMD.test(p.to);
                    const bad = issueAt(`sensitivePeriods.${i}.from`) || issueAt(`sensitivePeriods.${i}.to`);
                    return (
                      <div>
                        <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
                          <PeriodDate
                            value={p.from}
                            yearly={yearly}
                            disabled={readOnly}
                            error={!!issueAt(`sensitivePeriods.${i}.from`)}
                            placeholder={t('rules.mr.from')}
                            onChange={(v) =>
                              set((d) => {
                                d.sensitivePeriods[i].from = v;
                                return d;
                              })
                            }
                          />
                          <span className="muted">—</span>
                          <PeriodDate
                            value={p.to}
                            yearly={yearly}
                            disabled={readOnly}
                            error={!!issueAt(`sensitivePeriods.${i}.to`)}
                            placeholder={t('rules.mr.to')}
                            onChange={(v) =>
                              set((d) => {
                                d.sensitivePeriods[i].to = v;
                                return d;
                              })
                            }
                          />
                        </span>
                        {bad ? <div className="rules-row-error">{t('rules.mr.badDate')}</div> : null}
                      </div>
                    );
                  },
                },
                ...(readOnly
                  ? []
                  : [
                      {
                        title: t('common.actions'),
                        width: 48,
                        render: (_v: unknown, _p: unknown, i: number) => (
                          <Button
                            type="text"
                            danger
                            icon={<DeleteOutlined />}
                            aria-label="delete"
                            onClick={() =>
                              set((d) => {
                                d.sensitivePeriods.splice(i, 1);
                                return d;
                              })
                            }
                          />
                        ),
                      },
                    ]),
              ]}
            />
          </Card>
        </>
      )}
    </RuleSetPage>
  );
}
