import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Cascader, Checkbox, Form, Modal, Result } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type List } from '../../api';
import { ui } from '../../notify';
import { UnitTreeSelect } from '../../units';

interface Division {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
  hasChildren: boolean;
}
interface Option {
  value: string;
  label: string;
  isLeaf: boolean;
  level: string;
  children?: Option[];
  loading?: boolean;
}
interface FromDivisionResult {
  rootUnitId: string;
  code: string;
  name: string;
  created: { areas: number; offices: number; [k: string]: number };
  skipped: { areas: number; offices: number };
}

const toOption = (d: Division): Option => ({
  value: d.code,
  label: d.name,
  level: d.level,
  // Areas are created from a province, city or county: townships are not picked on their own.
  isLeaf: !d.hasChildren || d.level === 'county',
});

/** 从行政区划创建: pick a province, city or county of the national table; Jibao creates its areas (and offices). */
export function DivisionModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [options, setOptions] = useState<Option[]>([]);
  const [path, setPath] = useState<string[]>([]);
  const [includeTownships, setIncludeTownships] = useState(true);
  const [withOffices, setWithOffices] = useState(true);
  const [parentId, setParentId] = useState<string | undefined>();
  const [result, setResult] = useState<FromDivisionResult | null>(null);

  useEffect(() => {
    if (!open || options.length) return;
    api
      .get<List<Division>>('/api/divisions')
      .then((r) => setOptions(r.items.map(toOption)))
      .catch((e) => ui.message?.error(e.message));
  }, [open, options.length]);

  const loadData = async (selected: Option[]) => {
    const target = selected[selected.length - 1];
    target.loading = true;
    setOptions((o) => [...o]);
    try {
      const r = await api.get<List<Division>>(`/api/divisions?parent=${target.value}`);
      target.children = r.items.filter((d) => d.level !== 'township').map(toOption);
      if (!target.children.length) target.isLeaf = true;
    } finally {
      target.loading = false;
      setOptions((o) => [...o]);
    }
  };

  const create = useMutation({
    mutationFn: () =>
      api.post<FromDivisionResult>('/api/units/from-division', {
        code: path[path.length - 1],
        parentId: parentId ?? null,
        includeTownships,
        withOffices,
      }),
    onSuccess: (r) => {
      setResult(r);
      void qc.invalidateQueries({ queryKey: ['units'] });
    },
  });

  const close = () => {
    setResult(null);
    setPath([]);
    create.reset();
    onClose();
  };

  return (
    <Modal
      open={open}
      title={t('division.title')}
      onCancel={close}
      onOk={result ? close : () => create.mutate()}
      okText={result ? t('common.done') : t('division.create')}
      okButtonProps={{ disabled: !result && !path.length }}
      confirmLoading={create.isPending}
      cancelButtonProps={{ style: result ? { display: 'none' } : undefined }}
      width={600}
      destroyOnHidden
    >
      {result ? (
        <Result
          status="success"
          title={t('division.done', { name: result.name })}
          subTitle={t('division.counts', {
            areas: result.created.areas,
            offices: result.created.offices,
            skipped: result.skipped.areas + result.skipped.offices,
          })}
        />
      ) : (
        <Form layout="vertical">
          <Alert type="info" showIcon title={t('division.hint')} style={{ marginBottom: 16 }} />
          <Form.Item label={t('division.region')} required>
            <Cascader
              options={options}
              loadData={loadData as any}
              changeOnSelect
              value={path}
              onChange={(v) => setPath((v as string[]) ?? [])}
              placeholder={t('division.regionPh')}
              style={{ width: '100%' }}
              showSearch={false}
            />
          </Form.Item>
          <Form.Item label={t('division.parent')} extra={t('division.parentHint')}>
            <UnitTreeSelect value={parentId} onChange={setParentId} filter={(u) => u.kind === 'area'} />
          </Form.Item>
          <Checkbox checked={includeTownships} onChange={(e) => setIncludeTownships(e.target.checked)}>
            {t('division.includeTownships')}
          </Checkbox>
          <br />
          <Checkbox checked={withOffices} onChange={(e) => setWithOffices(e.target.checked)}>
            {t('division.withOffices')}
          </Checkbox>
        </Form>
      )}
    </Modal>
  );
}
