import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AutoComplete, Button, Checkbox, DatePicker, Form, Input, Radio, Select, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type List } from '../../api';
import { wallToIso } from '../../format';
import { ui } from '../../notify';
import { useUnits } from '../../session';
import { UnitTreeSelect } from '../../units';
import './strings';

import { COMMON_SECTORS } from '../../../contract/inspections';

export const SECTORS: readonly string[] = COMMON_SECTORS;

export interface Campaign {
  id: string;
  title: string;
  from: string;
  to: string;
  areaId: string;
  areaName: string;
  sectors: { sector: string; leadUnitId: string; leadUnitName: string }[];
  units: { unitId: string; unitName: string }[];
}
export interface BoardLine {
  placesInspected: number;
  visits: number;
  hazardsFound: number;
  rectifiedOnTime: number;
  closed: number;
}
export interface PlanUnit {
  unitId: string;
  unitName: string;
  taskId: string;
  status: 'open' | 'done' | 'overdue';
  filed: boolean;
  overdue: boolean;
  completedAt: string | null;
}
export interface CampaignDetail extends Campaign {
  planCollectionId: string | null;
  board: {
    plans: {
      collectionId: string;
      title: string;
      dueAt: string;
      canViewCollection: boolean;
      counts: { total: number; filed: number; notFiled: number; overdue: number };
      units: PlanUnit[];
    } | null;
    bySector: (BoardLine & { sector: string; leadUnitName: string })[];
    byUnit: (BoardLine & { unitId: string; unitName: string })[];
  };
  can: { recordVisit: boolean };
}
export interface Hazard {
  supervisedTask?: { id: string; status: 'open' | 'done' | 'overdue' } | null;
  id: string;
  campaignId: string | null;
  campaignTitle: string | null;
  visitId: string;
  place: string;
  sector: string;
  severity: 'general' | 'major';
  description: string;
  responsibleUnitId: string;
  responsibleUnitName: string;
  recordingUnitName: string;
  leadUnitName: string | null;
  status: 'open' | 'reported' | 'closed';
  overdue: boolean;
  foundAt: string;
  rectifyBy: string;
  firstRectifyBy: string;
  reportedAt: string | null;
  rectificationText: string | null;
  sentBackCount: number;
  verifyNote: string | null;
  closedAt: string | null;
  photos: { id: string; filename: string; mime: string; size: number }[];
  measures: ('suspend' | 'closure_proposed')[];
  suspended: boolean;
  enforcement: { units: { unitId: string; unitName: string }[]; penalty: string | null } | null;
  can: { rectify: boolean; verify: boolean; addPhoto: boolean };
}

export const HAZARD_STATUS_COLOR = { open: 'orange', reported: 'blue', closed: 'green' } as const;

export function HazardStatus({ h }: { h: Pick<Hazard, 'status' | 'overdue'> }) {
  const { t } = useTranslation();
  return (
    <span>
      <Tag color={HAZARD_STATUS_COLOR[h.status]}>{t(`insp.hazard.st.${h.status}`)}</Tag>
      {h.overdue ? (
        <Tag color="red" data-testid="overdue-tag">
          {t('insp.hazard.overdue')}
        </Tag>
      ) : null}
    </span>
  );
}

export function SeverityTag({ s }: { s: 'general' | 'major' }) {
  const { t } = useTranslation();
  return <Tag color={s === 'major' ? 'red' : 'gold'}>{t(`insp.hazard.sev.${s}`)}</Tag>;
}

/** A date picked is the end of that day, Beijing time. */
export const endOfDay = (d: Dayjs) => wallToIso(d.hour(23).minute(59).second(59));

export function useCampaigns() {
  return useQuery({
    queryKey: ['inspections', 'campaigns'],
    queryFn: () => api.get<List<Campaign>>('/api/inspections/campaigns'),
  });
}

/** Upload one photo to a hazard (the server checks the bytes). */
export async function uploadPhoto(hazardId: string, file: File): Promise<Hazard> {
  const fd = new FormData();
  fd.append('file', file, file.name);
  return api.upload<Hazard>(`/api/inspections/hazards/${hazardId}/photos`, fd);
}

/** Several units (departments of a joint enforcement …), searched by name. */
export function UnitsSelect(props: { value?: string[]; onChange?: (v: string[]) => void; id?: string }) {
  const { units } = useUnits();
  return (
    <Select
      {...props}
      mode="multiple"
      showSearch={{ optionFilterProp: 'label' }}
      options={units
        .filter((u) => !u.disabled && u.kind !== 'area')
        .map((u) => ({ value: u.id, label: u.name }))}
    />
  );
}

/** The phone-first form of a hazard: one column, a camera input for the photo. */
export function HazardForm({
  preset,
  onDone,
}: {
  preset?: { campaignId?: string; visitId?: string; place?: string; sector?: string };
  onDone: (h: Hazard) => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const campaigns = useCampaigns();
  const [photo, setPhoto] = useState<File | null>(null);
  const campaignId = Form.useWatch('campaignId', form) ?? preset?.campaignId;
  const campaign = campaigns.data?.items.find((c) => c.id === campaignId);
  const sectors = campaign ? campaign.sectors.map((s) => s.sector) : SECTORS;
  const save = useMutation({
    mutationFn: async (v: any) => {
      const h = await api.post<Hazard>('/api/inspections/hazards', {
        campaignId: v.campaignId || null,
        visitId: preset?.visitId ?? null,
        place: v.place,
        sector: v.sector,
        severity: v.severity,
        description: v.description,
        responsibleUnitId: v.responsibleUnitId,
        rectifyBy: endOfDay(v.rectifyBy),
        measures: v.measures ?? [],
        enforcement:
          v.enforcementUnitIds?.length || v.penalty
            ? { unitIds: v.enforcementUnitIds ?? [], penalty: v.penalty || null }
            : null,
      });
      return photo ? uploadPhoto(h.id, photo) : h;
    },
    onSuccess: (h) => {
      ui.message?.success(t('insp.hazard.recorded'));
      void qc.invalidateQueries({ queryKey: ['inspections'] });
      form.resetFields();
      setPhoto(null);
      onDone(h);
    },
  });
  return (
    <Form
      form={form}
      layout="vertical"
      className="hazard-form"
      initialValues={{ severity: 'general', ...preset, rectifyBy: dayjs().add(7, 'day') }}
      onFinish={(v) => save.mutate(v)}
    >
      <Form.Item name="campaignId" label={t('insp.hazard.campaign')}>
        <Select
          allowClear
          disabled={!!preset?.campaignId}
          placeholder={t('insp.hazard.noCampaign')}
          options={(campaigns.data?.items ?? []).map((c) => ({ value: c.id, label: c.title }))}
        />
      </Form.Item>
      <Form.Item name="place" label={t('insp.hazard.place')} rules={[{ required: true }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="sector" label={t('insp.hazard.sector')} rules={[{ required: true }]}>
        {campaign ? (
          <Select options={sectors.map((s) => ({ value: s, label: s }))} />
        ) : (
          <AutoComplete options={sectors.map((s) => ({ value: s }))} />
        )}
      </Form.Item>
      <Form.Item name="severity" label={t('insp.hazard.severity')} rules={[{ required: true }]}>
        <Radio.Group>
          <Radio value="general">{t('insp.hazard.sev.general')}</Radio>
          <Radio value="major">{t('insp.hazard.sev.major')}</Radio>
        </Radio.Group>
      </Form.Item>
      <Form.Item name="description" label={t('insp.hazard.description')} rules={[{ required: true }]}>
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
      <Form.Item name="responsibleUnitId" label={t('insp.hazard.responsible')} rules={[{ required: true }]}>
        <UnitTreeSelect />
      </Form.Item>
      <Form.Item name="rectifyBy" label={t('insp.hazard.rectifyBy')} rules={[{ required: true }]}>
        <DatePicker style={{ width: '100%' }} inputReadOnly />
      </Form.Item>
      <Form.Item name="measures" label={t('insp.hazard.measures')}>
        <Checkbox.Group
          options={[
            { value: 'suspend', label: t('insp.hazard.measure.suspend') },
            { value: 'closure_proposed', label: t('insp.hazard.measure.closure_proposed') },
          ]}
        />
      </Form.Item>
      <Form.Item name="enforcementUnitIds" label={t('insp.hazard.enforcement')}>
        <UnitsSelect />
      </Form.Item>
      <Form.Item name="penalty" label={t('insp.hazard.penalty')}>
        <Input maxLength={1000} />
      </Form.Item>
      <Form.Item label={t('insp.hazard.photos')}>
        <input
          type="file"
          accept="image/*"
          capture="environment"
          aria-label={t('insp.hazard.addPhoto')}
          data-testid="hazard-photo"
          onChange={(e) => setPhoto(e.target.files?.[0] ?? null)}
          style={{ maxWidth: '100%' }}
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={save.isPending} data-testid="hazard-submit">
        {t('insp.hazard.record')}
      </Button>
    </Form>
  );
}
