import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Modal, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type List } from '../../api';
import { PageHeader } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { ui } from '../../notify';
import { UnitTreeSelect } from '../../units';
import './sources.strings';

interface SafetyOffice {
  areaId: string;
  areaName: string;
  level: string | null;
  unitId: string | null;
  unitName: string | null;
  defaultUnitName: string | null;
  can: { set: boolean };
}

/** 安委办设置: each area of my tree with the unit acting as its safety committee office; administrators change it. */
export default function SafetyOfficesPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<SafetyOffice | null>(null);
  const [form] = Form.useForm();
  const q = useQuery({
    queryKey: ['inspections', 'safety-offices'],
    queryFn: () => api.get<List<SafetyOffice>>('/api/inspections/safety-offices'),
  });
  const save = useMutation({
    mutationFn: (v: { unitId: string }) =>
      api.put<SafetyOffice>(`/api/inspections/safety-offices/${editing!.areaId}`, { unitId: v.unitId }),
    onSuccess: () => {
      ui.message?.success(t('insp.safety.saved'));
      setEditing(null);
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['inspections', 'safety-offices'] });
    },
  });
  return (
    <>
      <PageHeader title={t('insp.safety.title')} />
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('insp.safety.intro')} />
      <Card>
        <ResponsiveTable
          size="small"
          rowKey="areaId"
          loading={q.isLoading}
          dataSource={q.data?.items ?? []}
          locale={{ emptyText: t('insp.safety.none') }}
          columns={[
            { title: t('insp.safety.area'), dataIndex: 'areaName' },
            {
              title: t('insp.safety.office'),
              render: (_: unknown, o: SafetyOffice) =>
                o.unitName ? (
                  <b data-testid={`office-${o.areaName}`}>{o.unitName}</b>
                ) : (
                  <Tag data-testid={`office-${o.areaName}`}>
                    {o.defaultUnitName
                      ? t('insp.safety.notSet', { name: o.defaultUnitName })
                      : t('insp.safety.notSetNone')}
                  </Tag>
                ),
            },
            {
              title: t('insp.safety.change'),
              render: (_: unknown, o: SafetyOffice) =>
                o.can.set ? (
                  <Button
                    size="small"
                    data-testid={`set-${o.areaName}`}
                    onClick={() => {
                      setEditing(o);
                      form.setFieldsValue({ unitId: o.unitId ?? undefined });
                    }}
                  >
                    {t('insp.safety.change')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      <Modal
        open={!!editing}
        title={`${t('insp.safety.office')} · ${editing?.areaName ?? ''}`}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: save.isPending, 'data-testid': 'office-save' } as any}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="unitId" label={t('insp.safety.pick')} rules={[{ required: true }]}>
            <UnitTreeSelect id="office-unit" filter={(u) => u.kind !== 'area'} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
