import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  List as AntList,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type List } from '../../api';
import { ROMAN } from '../../components/tags';
import { fmtTime } from '../../format';
import { useLiveMessages } from '../../live';
import { ui } from '../../notify';
import { TaskStatusTag } from '../tasks/shared';
import { ActivateModal } from './ActivateModal';
import type { Activation } from './shared';

interface Suggestions {
  plans: {
    id: string;
    title: string;
    why: string;
    levels: string[];
    activatedLevels: string[];
    canActivate: boolean;
  }[];
  teams: {
    id: string;
    name: string;
    unitName: string;
    distanceKm: number | null;
    why: string;
    canDispatch: boolean;
  }[];
  warehouses: {
    id: string;
    name: string;
    distanceKm: number | null;
    why: string;
    canDispatch: boolean;
    items: { itemCode: string; itemName: string; quantity: number; unit: string; needed: number | null }[];
  }[];
  experts: { id: string; name: string; field: string; why: string }[];
  origin: { lng: number; lat: number } | null;
}

interface Allocation {
  id: string;
  warehouseName: string;
  itemName: string;
  quantity: number;
  unit: string;
  dispatchedAt: string;
  dispatchedByName: string | null;
}

interface Deployment {
  id: string;
  teamName: string;
  deployedAt: string;
  releasedAt: string | null;
  can: { release: boolean };
}

interface SupplyRequest {
  id: string;
  warehouseName: string;
  itemName: string;
  quantity: number;
  unit: string | null;
  reason: string | null;
  status: 'requested' | 'approved' | 'declined';
  requestingUnitName: string;
  requestedAt: string;
  declineReason: string | null;
  can: { approve: boolean; decline: boolean };
}

const REQUEST_COLORS = { requested: 'processing', approved: 'success', declined: 'default' } as const;

const roman = (l: string) => ROMAN[l as keyof typeof ROMAN] ?? l;

/** The event's resources: plans activated with their tasks, suggested plans, nearest teams and supplies, experts. */
export function EventResourcesPanel({ eventId, open }: { eventId: string; open: boolean }) {
  const { t } = useTranslation();
  const [activating, setActivating] = useState<Suggestions['plans'][number] | null>(null);
  const [dispatching, setDispatching] = useState<{
    warehouse: Suggestions['warehouses'][number];
    mode: 'dispatch' | 'request';
  } | null>(null);
  const qc = useQueryClient();
  const [declining, setDeclining] = useState<string | null>(null);
  const [declineText, setDeclineText] = useState('');
  const activations = useQuery({
    queryKey: ['activations', eventId],
    queryFn: () => api.get<List<Activation>>(`/api/events/${eventId}/plan-activations`),
  });
  const suggestions = useQuery({
    queryKey: ['suggestions', eventId],
    queryFn: () => api.get<Suggestions>(`/api/events/${eventId}/suggestions`),
  });
  const allocations = useQuery({
    queryKey: ['allocations', eventId],
    queryFn: () => api.get<List<Allocation>>(`/api/events/${eventId}/allocations`),
  });
  const requests = useQuery({
    queryKey: ['allocation-requests', eventId],
    queryFn: () => api.get<List<SupplyRequest>>(`/api/allocation-requests?eventId=${eventId}`),
  });
  const deployments = useQuery({
    queryKey: ['team-deployments', eventId],
    queryFn: () => api.get<List<Deployment>>(`/api/events/${eventId}/team-deployments`),
  });
  const team = useMutation({
    mutationFn: (v: { teamId?: string; releaseId?: string }) =>
      v.releaseId
        ? api.post(`/api/team-deployments/${v.releaseId}/release`, {})
        : api.post(`/api/events/${eventId}/team-deployments`, { teamId: v.teamId }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['team-deployments', eventId] });
      void qc.invalidateQueries({ queryKey: ['suggestions', eventId] });
    },
  });
  const decide = useMutation({
    mutationFn: (v: { id: string; approve: boolean; reason?: string }) =>
      api.post(
        `/api/allocation-requests/${v.id}/${v.approve ? 'approve' : 'decline'}`,
        v.approve ? {} : { reason: v.reason },
      ),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['allocation-requests', eventId] });
      void qc.invalidateQueries({ queryKey: ['allocations', eventId] });
      void qc.invalidateQueries({ queryKey: ['suggestions', eventId] });
    },
  });
  useLiveMessages(() => {
    void activations.refetch();
  }, ['task.changed']);
  const s = suggestions.data;
  const acts = activations.data?.items ?? [];
  return (
    <Card title={t('res.panel.title')} className="section-gap" data-testid="event-resources">
      <Typography.Title level={5}>{t('res.panel.activations')}</Typography.Title>
      {acts.length ? (
        <div data-testid="event-plan-tasks">
          {acts.map((a) => (
            <div key={a.id} style={{ marginBottom: 12 }}>
              <Space wrap>
                <strong>{a.planTitle}</strong>
                <Tag color="red">{t('res.plans.levelTasks', { level: roman(a.level) })}</Tag>
                <span className="muted">
                  {fmtTime(a.activatedAt)} {a.activatedByName ?? ''}
                </span>
              </Space>
              {a.warningText ? (
                <Alert type="warning" showIcon message={a.warningText} style={{ marginTop: 4 }} />
              ) : null}
              {a.tasks.map((x) => (
                <div key={x.id} className="res-task-line" style={{ padding: '4px 0' }}>
                  <Space wrap size={6}>
                    <Link to={`/tasks/${x.id}`}>{x.title}</Link>
                    <span className="muted">{x.unitName}</span>
                    <span className="muted">
                      {t('res.panel.due')} {fmtTime(x.dueAt)}
                    </span>
                    <TaskStatusTag task={{ status: x.status, progressMissed: false, completedLate: false }} />
                  </Space>
                </div>
              ))}
            </div>
          ))}
        </div>
      ) : (
        <p className="muted">{t('res.panel.noActivations')}</p>
      )}
      {open && s ? (
        <>
          <Typography.Title level={5}>{t('res.panel.suggested')}</Typography.Title>
          <AntList
            size="small"
            data-testid="suggested-plans"
            locale={{ emptyText: t('res.panel.noPlans') }}
            dataSource={s.plans}
            renderItem={(p) => (
              <AntList.Item
                actions={
                  p.canActivate
                    ? [
                        <Button
                          key="go"
                          size="small"
                          danger
                          onClick={() => setActivating(p)}
                          data-testid={`suggest-activate-${p.id}`}
                        >
                          {t('res.plans.activate')}
                        </Button>,
                      ]
                    : []
                }
              >
                <AntList.Item.Meta
                  title={<Link to={`/plans/${p.id}`}>{p.title}</Link>}
                  description={
                    <>
                      {p.why}
                      {p.activatedLevels.length ? (
                        <Tag color="red" style={{ marginLeft: 6 }}>
                          {t('res.panel.activeAt', { levels: p.activatedLevels.map(roman).join('、') })}
                        </Tag>
                      ) : null}
                    </>
                  }
                />
              </AntList.Item>
            )}
          />
          <Typography.Title level={5}>{t('res.panel.teams')}</Typography.Title>
          {!s.origin ? <p className="muted">{t('res.panel.noOrigin')}</p> : null}
          <AntList
            size="small"
            data-testid="suggested-teams"
            locale={{ emptyText: t('res.panel.noTeams') }}
            dataSource={s.teams}
            renderItem={(x) => (
              <AntList.Item
                actions={
                  x.canDispatch
                    ? [
                        <Button key="send" size="small" onClick={() => team.mutate({ teamId: x.id })}>
                          {t('res.panel.sendTeam')}
                        </Button>,
                      ]
                    : []
                }
              >
                <AntList.Item.Meta title={`${x.name}（${x.unitName}）`} description={x.why} />
              </AntList.Item>
            )}
          />
          <Typography.Title level={5}>{t('res.panel.warehouses')}</Typography.Title>
          <AntList
            size="small"
            data-testid="suggested-warehouses"
            locale={{ emptyText: t('res.panel.noWarehouses') }}
            dataSource={s.warehouses}
            renderItem={(w) => (
              <AntList.Item
                actions={[
                  <Button
                    key="d"
                    size="small"
                    onClick={() =>
                      setDispatching({ warehouse: w, mode: w.canDispatch ? 'dispatch' : 'request' })
                    }
                  >
                    {w.canDispatch ? t('res.panel.dispatch') : t('res.panel.request')}
                  </Button>,
                ]}
              >
                <AntList.Item.Meta
                  title={w.name}
                  description={`${w.why}；${w.items.map((i) => `${i.itemName} ${i.quantity}${i.unit}`).join('、')}`}
                />
              </AntList.Item>
            )}
          />
          <Typography.Title level={5}>{t('res.panel.experts')}</Typography.Title>
          <AntList
            size="small"
            locale={{ emptyText: t('res.panel.noExperts') }}
            dataSource={s.experts}
            renderItem={(x) => (
              <AntList.Item>
                <AntList.Item.Meta title={x.name} description={x.why} />
              </AntList.Item>
            )}
          />
        </>
      ) : null}
      {deployments.data?.items.length ? (
        <>
          <Typography.Title level={5}>{t('res.panel.deployments')}</Typography.Title>
          {deployments.data.items.map((d) => (
            <div key={d.id} style={{ padding: '4px 0' }}>
              <Space wrap size={6}>
                <span>{d.teamName}</span>
                <span className="muted">{fmtTime(d.deployedAt)}</span>
                <Tag color={d.releasedAt ? 'default' : 'warning'}>
                  {d.releasedAt ? t('res.panel.released') : t('res.readiness.deployed')}
                </Tag>
                {d.can.release ? (
                  <Button size="small" onClick={() => team.mutate({ releaseId: d.id })}>
                    {t('res.panel.release')}
                  </Button>
                ) : null}
              </Space>
            </div>
          ))}
        </>
      ) : null}
      {requests.data?.items.length ? (
        <>
          <Typography.Title level={5}>{t('res.panel.requests')}</Typography.Title>
          {requests.data.items.map((r) => (
            <div key={r.id} style={{ padding: '4px 0' }} data-testid={`supply-request-${r.id}`}>
              <Space wrap size={6}>
                <span>
                  {r.requestingUnitName}：{r.warehouseName} {r.itemName} {r.quantity}
                  {r.unit ?? ''}
                </span>
                <Tag color={REQUEST_COLORS[r.status]}>{t(`res.panel.requestStatus.${r.status}`)}</Tag>
                {r.can.approve ? (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => decide.mutate({ id: r.id, approve: true })}
                  >
                    {t('res.panel.approve')}
                  </Button>
                ) : null}
                {r.can.decline ? (
                  <Button
                    size="small"
                    onClick={() => {
                      setDeclineText('');
                      setDeclining(r.id);
                    }}
                  >
                    {t('res.panel.decline')}
                  </Button>
                ) : null}
              </Space>
              {r.reason || r.declineReason ? (
                <div className="muted">{[r.reason, r.declineReason].filter(Boolean).join(' · ')}</div>
              ) : null}
            </div>
          ))}
        </>
      ) : null}
      {allocations.data?.items.length ? (
        <>
          <Typography.Title level={5}>{t('res.panel.allocations')}</Typography.Title>
          {allocations.data.items.map((a) => (
            <div key={a.id} className="muted">
              {fmtTime(a.dispatchedAt)} {a.warehouseName} → {a.itemName} {a.quantity}
              {a.unit} {a.dispatchedByName ?? ''}
            </div>
          ))}
        </>
      ) : null}
      <Modal
        open={!!declining}
        title={t('res.panel.decline')}
        onCancel={() => setDeclining(null)}
        okButtonProps={{ disabled: !declineText.trim() }}
        onOk={() => {
          if (declining) decide.mutate({ id: declining, approve: false, reason: declineText });
          setDeclining(null);
        }}
      >
        <Input.TextArea
          rows={3}
          maxLength={400}
          placeholder={t('res.panel.declineReason')}
          value={declineText}
          onChange={(ev) => setDeclineText(ev.target.value)}
        />
      </Modal>
      {activating ? (
        <ActivateModal plan={activating} eventId={eventId} onClose={() => setActivating(null)} />
      ) : null}
      {dispatching ? (
        <DispatchModal
          eventId={eventId}
          warehouse={dispatching.warehouse}
          mode={dispatching.mode}
          onClose={() => setDispatching(null)}
        />
      ) : null}
    </Card>
  );
}

function DispatchModal({
  eventId,
  warehouse,
  mode,
  onClose,
}: {
  eventId: string;
  warehouse: Suggestions['warehouses'][number];
  mode: 'dispatch' | 'request';
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ itemCode: string; quantity: number; reason?: string }>();
  const [key] = useState(api.newKey());
  const m = useMutation({
    mutationFn: (v: { itemCode: string; quantity: number }) =>
      api.post(
        `/api/events/${eventId}/allocations`,
        { warehouseId: warehouse.id, ...v },
        { idempotencyKey: key },
      ),
    onSuccess: () => {
      ui.message?.success(t('res.panel.dispatched'));
      void qc.invalidateQueries({ queryKey: ['allocations', eventId] });
      void qc.invalidateQueries({ queryKey: ['suggestions', eventId] });
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t(mode === 'dispatch' ? 'res.panel.dispatchTitle' : 'res.panel.requestTitle', {
        name: warehouse.name,
      })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={m.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ itemCode: warehouse.items[0]?.itemCode }}
        onFinish={(v) => m.mutate(v)}
      >
        <Form.Item name="itemCode" label={t('res.stock.item')} rules={[{ required: true }]}>
          <Select
            options={warehouse.items.map((i) => ({
              value: i.itemCode,
              label: `${i.itemName}（${i.quantity}${i.unit}）`,
            }))}
          />
        </Form.Item>
        <Form.Item name="quantity" label={t('res.stock.quantity')} rules={[{ required: true }]}>
          <InputNumber min={0.001} style={{ width: 160 }} />
        </Form.Item>
        {mode === 'request' ? (
          <Form.Item name="reason" label={t('res.stock.reason')}>
            <Input maxLength={400} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
