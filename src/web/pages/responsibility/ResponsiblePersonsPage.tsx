import { ArrowLeftOutlined, CheckCircleOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Input, Popconfirm, Row, Select, Space, Tooltip } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError, api, type List } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { fmtTime } from '../../format';
import { showError, ui } from '../../notify';
import { useUnits } from '../../session';
import type { User } from '../../types';
import { KIND_ICONS } from '../../units';
import {
  ConfirmationTag,
  daysUntil,
  fmtDate,
  type ResponsibleList,
  type ResponsiblePerson,
  TIERS,
  type Tier,
} from './shared';
import './responsibility.css';

interface PersonRow {
  name: string;
  post: string;
  phone: string;
  userId: string | null;
}
type Draft = Record<Tier, PersonRow>;

const emptyRow = (): PersonRow => ({ name: '', post: '', phone: '', userId: null });

function toDraft(persons: ResponsiblePerson[]): Draft {
  const d = { principal: emptyRow(), leader_in_charge: emptyRow(), office_director: emptyRow() };
  for (const p of persons)
    d[p.tier] = { name: p.name, post: p.post ?? '', phone: p.phone ?? '', userId: p.userId };
  return d;
}

function toBody(d: Draft) {
  return TIERS.filter((tier) => d[tier].name.trim()).map((tier) => ({
    tier,
    name: d[tier].name.trim(),
    post: d[tier].post.trim() || null,
    phone: d[tier].phone.trim() || null,
    userId: d[tier].userId,
  }));
}

/** 三级责任人 of one unit: edit the list, confirm it, see when the confirmation runs out. */
export default function ResponsiblePersonsPage() {
  const { t } = useTranslation();
  const { unitId = '' } = useParams();
  const nav = useNavigate();
  const qc = useQueryClient();
  const { byId, units } = useUnits();
  const unit = byId.get(unitId);

  const q = useQuery({
    queryKey: ['responsible-persons', unitId],
    queryFn: () => api.get<ResponsibleList>(`/api/units/${unitId}/responsible-persons`),
    enabled: !!unitId,
  });
  // people of the unit and of the offices acting for it, to link a person to a user account
  const people = useQuery({
    queryKey: ['users', 'names-full'],
    queryFn: () => api.get<List<User>>('/api/users'),
    staleTime: 5 * 60_000,
    retry: false,
  });
  const userOptions = useMemo(() => {
    const mine = new Set(
      units.filter((u) => u.id === unitId || (u.parentId === unitId && u.kind !== 'area')).map((u) => u.id),
    );
    const all = people.data?.items ?? [];
    const near = all.filter((u) => mine.has(u.unitId));
    return (near.length ? near : all).map((u) => ({
      value: u.id,
      label: `${u.name}${u.post ? `（${u.post}）` : ''}`,
      user: u,
    }));
  }, [people.data, units, unitId]);

  const [draft, setDraft] = useState<Draft | null>(null);
  const [nameErrors, setNameErrors] = useState<Tier[]>([]);
  const serverJson = q.data ? JSON.stringify(toBody(toDraft(q.data.persons))) : null;
  const dirty = !!draft && serverJson !== null && JSON.stringify(toBody(draft)) !== serverJson;
  // start from the server's copy whenever it changes (structural sharing keeps it stable otherwise)
  useEffect(() => {
    if (q.data) setDraft(toDraft(q.data.persons));
  }, [q.data]);

  const canEdit = !!q.data?.can?.keep;

  const onSaved = (r: ResponsibleList) => {
    qc.setQueryData(['responsible-persons', unitId], r);
    setDraft(toDraft(r.persons));
    void qc.invalidateQueries({ queryKey: ['units', 'defects'] });
    void qc.invalidateQueries({ queryKey: ['units'] });
  };
  const save = useMutation({
    mutationFn: () =>
      api.put<ResponsibleList>(`/api/units/${unitId}/responsible-persons`, { persons: toBody(draft!) }),
    onSuccess: (r) => {
      onSaved(r);
      ui.message?.success(
        r.status === 'unconfirmed' ? t('resp.editor.savedNeedsConfirm') : t('resp.editor.saved'),
      );
    },
    onError: showError,
  });
  const confirm = useMutation({
    mutationFn: () => api.post<ResponsibleList>(`/api/units/${unitId}/responsible-persons/confirm`),
    onSuccess: (r) => {
      onSaved(r);
      ui.message?.success(t('resp.editor.confirmed', { date: fmtDate(r.expiresAt) }));
    },
    onError: (e) => {
      if (e instanceof ApiError && Array.isArray(e.details?.missingTiers))
        setNameErrors(e.details.missingTiers as Tier[]);
      showError(e);
    },
  });

  const setRow = (tier: Tier, patch: Partial<PersonRow>) => {
    setDraft((d) => (d ? { ...d, [tier]: { ...d[tier], ...patch } } : d));
    setNameErrors((errs) => errs.filter((x) => x !== tier));
  };
  const trySave = () => {
    if (!draft) return;
    const bad = TIERS.filter((tier) => {
      const r = draft[tier];
      return !r.name.trim() && (r.post.trim() || r.phone.trim() || r.userId);
    });
    setNameErrors(bad);
    if (bad.length) return;
    save.mutate();
  };

  const data = q.data;
  const days = data?.confirmationDays ?? 90;
  const left = data?.expiresAt ? daysUntil(data.expiresAt) : null;
  const confirmBlock = !data
    ? ''
    : dirty
      ? t('resp.editor.confirmNeedsSave')
      : data.missingTiers.length
        ? t('resp.editor.confirmNeedsAll')
        : '';
  const updated = new Map((data?.persons ?? []).map((p) => [p.tier, p.updatedAt]));

  return (
    <>
      <PageHeader
        title={t('resp.editor.title', { unit: data?.unitName ?? unit?.name ?? '' })}
        subtitle={t('resp.editor.sub', { days })}
        tag={data ? <ConfirmationTag status={data.status} /> : null}
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={() => nav('/responsibility')}>
            {t('resp.editor.back')}
          </Button>
        }
      />
      <QueryState loading={q.isLoading} error={q.error}>
        {data && draft ? (
          <Row gutter={16}>
            <Col xs={24} xl={16}>
              {!canEdit ? (
                <Alert type="info" showIcon title={t('resp.editor.readOnly')} style={{ marginBottom: 12 }} />
              ) : null}
              <Card
                title={t('resp.editor.persons')}
                extra={
                  canEdit ? (
                    <Space>
                      {dirty ? <span className="muted">{t('resp.editor.changeClears')}</span> : null}
                      <Button
                        type="primary"
                        icon={<SaveOutlined />}
                        disabled={!dirty}
                        loading={save.isPending}
                        onClick={trySave}
                        data-testid="resp-save"
                      >
                        {t('resp.editor.save')}
                      </Button>
                    </Space>
                  ) : null
                }
              >
                <div className="resp-tiers">
                  {TIERS.map((tier, i) => {
                    const r = draft[tier];
                    const missing = data.missingTiers.includes(tier) && !r.name.trim();
                    return (
                      <div key={tier} className="resp-tier" data-tier={tier}>
                        <div className="resp-tier-head">
                          <span className="resp-tier-no">{i + 1}</span>
                          <div>
                            <div className="resp-tier-name">{t(`resp.tier.${tier}`)}</div>
                            <div className="muted resp-tier-duty">{t(`resp.tierDuty.${tier}`)}</div>
                          </div>
                        </div>
                        <div className="resp-tier-fields">
                          <Row gutter={[12, 8]}>
                            <Col xs={24} md={8}>
                              <div className="resp-label">{t('resp.editor.name')}</div>
                              <Input
                                value={r.name}
                                maxLength={60}
                                disabled={!canEdit}
                                placeholder={t('resp.editor.namePh')}
                                status={nameErrors.includes(tier) || missing ? 'error' : undefined}
                                onChange={(e) => setRow(tier, { name: e.target.value })}
                                data-testid={`resp-name-${tier}`}
                              />
                            </Col>
                            <Col xs={24} md={8}>
                              <div className="resp-label">{t('resp.editor.post')}</div>
                              <Input
                                value={r.post}
                                maxLength={60}
                                disabled={!canEdit}
                                placeholder={t('resp.editor.postPh')}
                                onChange={(e) => setRow(tier, { post: e.target.value })}
                              />
                            </Col>
                            <Col xs={24} md={8}>
                              <div className="resp-label">{t('resp.editor.phone')}</div>
                              <Input
                                value={r.phone}
                                maxLength={40}
                                disabled={!canEdit}
                                placeholder={t('resp.editor.phonePh')}
                                onChange={(e) => setRow(tier, { phone: e.target.value })}
                              />
                            </Col>
                            <Col xs={24} md={16}>
                              <div className="resp-label">{t('resp.editor.user')}</div>
                              <Select
                                allowClear
                                showSearch={{ optionFilterProp: 'label' }}
                                value={r.userId ?? undefined}
                                disabled={!canEdit}
                                placeholder={t('resp.editor.userPh')}
                                loading={people.isLoading}
                                options={userOptions}
                                style={{ width: '100%' }}
                                onChange={(v, opt) => {
                                  const u = (opt as { user?: User } | undefined)?.user;
                                  if (!v || !u) setRow(tier, { userId: null });
                                  else
                                    setRow(tier, {
                                      userId: u.id,
                                      name: u.name,
                                      post: u.post ?? r.post,
                                      phone: u.phone ?? r.phone,
                                    });
                                }}
                              />
                            </Col>
                            <Col xs={24} md={8} className="resp-updated muted">
                              {updated.get(tier)
                                ? t('resp.editor.updatedAt', { at: fmtTime(updated.get(tier)) })
                                : null}
                              {canEdit && (r.name || r.post || r.phone) ? (
                                <Button
                                  type="link"
                                  size="small"
                                  onClick={() => setRow(tier, emptyRow())}
                                  style={{ paddingInline: 8 }}
                                >
                                  {t('resp.editor.clear')}
                                </Button>
                              ) : null}
                            </Col>
                          </Row>
                        </div>
                      </div>
                    );
                  })}
                </div>
              </Card>
            </Col>
            <Col xs={24} xl={8}>
              <div className="sticky-side">
                <Card title={t('resp.editor.confirmCard')} data-testid="resp-confirm-card">
                  <Descriptions column={1} size="small" className="resp-confirm-desc">
                    <Descriptions.Item label={t('resp.list')}>
                      <ConfirmationTag status={data.status} />
                    </Descriptions.Item>
                    <Descriptions.Item label={t('resp.confirmedAt')}>
                      <span data-testid="resp-confirmed-at">
                        {data.confirmedAt ? fmtTime(data.confirmedAt) : t('resp.editor.never')}
                      </span>
                    </Descriptions.Item>
                    <Descriptions.Item label={t('resp.expiresAt')}>
                      {data.expiresAt ? (
                        <span className={data.status === 'expired' ? 'deadline-late' : undefined}>
                          {fmtDate(data.expiresAt)}
                          {left !== null ? (
                            <span className="muted">
                              {' '}
                              （
                              {left >= 0
                                ? t('resp.editor.daysLeft', { n: left })
                                : t('resp.editor.daysOver', { n: -left })}
                              ）
                            </span>
                          ) : null}
                        </span>
                      ) : (
                        '—'
                      )}
                    </Descriptions.Item>
                    {data.missingTiers.length ? (
                      <Descriptions.Item label={t('resp.problems')}>
                        <span className="deadline-late">
                          {t('resp.missing', {
                            tiers: data.missingTiers.map((x) => t(`resp.tier.${x}`)).join('、'),
                          })}
                        </span>
                      </Descriptions.Item>
                    ) : null}
                  </Descriptions>
                  {canEdit ? (
                    <Tooltip title={confirmBlock || undefined}>
                      <span style={{ display: 'block', marginTop: 12 }}>
                        <Popconfirm
                          title={t('resp.editor.confirmTitle')}
                          description={
                            <div style={{ maxWidth: 260 }}>{t('resp.editor.confirmText', { days })}</div>
                          }
                          onConfirm={() => confirm.mutate()}
                          disabled={!!confirmBlock}
                        >
                          <Button
                            type="primary"
                            block
                            icon={<CheckCircleOutlined />}
                            disabled={!!confirmBlock}
                            loading={confirm.isPending}
                            data-testid="resp-confirm"
                          >
                            {t('resp.editor.confirm')}
                          </Button>
                        </Popconfirm>
                      </span>
                    </Tooltip>
                  ) : null}
                </Card>
                {unit ? (
                  <Card title={t('resp.editor.unitFacts')} className="section-gap" size="small">
                    <Descriptions column={1} size="small">
                      <Descriptions.Item label={t('resp.unit')}>
                        <span className="unit-node">
                          {KIND_ICONS[unit.kind]} {unit.name}
                        </span>
                      </Descriptions.Item>
                      <Descriptions.Item label={t('resp.kind')}>
                        {unit.kind === 'area' && unit.level
                          ? t(`areaLevel.${unit.level}`)
                          : t(`unitKind.${unit.kind}`)}
                      </Descriptions.Item>
                      <Descriptions.Item label={t('resp.editor.dutyPhone')}>
                        {unit.dutyPhone ? (
                          <span className="mono">{unit.dutyPhone}</span>
                        ) : (
                          <span className="muted">{t('resp.editor.noDutyPhone')}</span>
                        )}
                      </Descriptions.Item>
                    </Descriptions>
                  </Card>
                ) : null}
              </div>
            </Col>
          </Row>
        ) : null}
      </QueryState>
    </>
  );
}
