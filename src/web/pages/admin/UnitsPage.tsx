import {
  DownloadOutlined,
  EditOutlined,
  GlobalOutlined,
  PlusOutlined,
  SearchOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Switch,
  Tag,
  Tree,
  Typography,
} from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type List } from '../../api';
import { PageHeader, QueryState } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { RoleTags } from '../../components/tags';
import { ui } from '../../notify';
import { AREA_LEVELS, UNIT_KINDS, type Unit, type User } from '../../types';
import { buildUnitTree, KIND_ICONS, type UnitNode, UnitTreeSelect, useApiPaths } from '../../units';
import { UnitFacts } from '../MyUnitPage';
import { DivisionModal } from './DivisionModal';
import { ImportModal } from './ImportModal';

interface UnitForm {
  name: string;
  kind: Unit['kind'];
  level?: Unit['level'];
  parentId?: string;
  divisionCode?: string;
  dutyPhone?: string;
  fax?: string;
}

function UnitEditModal({
  open,
  unit,
  parentId,
  onClose,
}: {
  open: boolean;
  unit: Unit | null;
  parentId?: string | null;
  onClose: (saved?: Unit) => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<UnitForm>();
  const kind = Form.useWatch('kind', form);
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (unit)
      form.setFieldsValue({
        name: unit.name,
        kind: unit.kind,
        level: unit.level,
        parentId: unit.parentId ?? undefined,
        divisionCode: unit.divisionCode ?? undefined,
        dutyPhone: unit.dutyPhone ?? undefined,
        fax: unit.fax ?? undefined,
      });
    else form.setFieldsValue({ kind: 'area', parentId: parentId ?? undefined });
  }, [open, unit, parentId, form]);

  const save = useMutation({
    mutationFn: (v: UnitForm) => {
      const blank = (s?: string | null) => (s?.trim() ? s.trim() : null);
      if (unit)
        return api.patch<Unit>(`/api/units/${unit.id}`, {
          name: v.name,
          divisionCode: blank(v.divisionCode),
          dutyPhone: blank(v.dutyPhone),
          fax: blank(v.fax),
        });
      return api.post<Unit>('/api/units', {
        name: v.name,
        kind: v.kind,
        level: v.kind === 'area' ? v.level : null,
        parentId: v.parentId ?? null,
        divisionCode: blank(v.divisionCode),
        dutyPhone: blank(v.dutyPhone),
        fax: blank(v.fax),
      });
    },
    onSuccess: (u) => {
      void qc.invalidateQueries({ queryKey: ['units'] });
      void qc.invalidateQueries({ queryKey: ['unit', u.id] });
      ui.message?.success(unit ? t('common.saved') : t('unit.created', { name: u.name }));
      onClose(u);
    },
  });

  return (
    <Modal
      open={open}
      title={unit ? t('unit.editTitle', { name: unit.name }) : t('unit.createTitle')}
      onCancel={() => onClose()}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
      width={560}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} className="unit-form">
        <Form.Item
          name="name"
          label={t('unit.name')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Input maxLength={100} placeholder={t('unit.namePh')} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="kind" label={t('unit.kind')} rules={[{ required: true }]}>
              <Select
                disabled={!!unit}
                options={UNIT_KINDS.map((k) => ({ value: k, label: t(`unitKind.${k}`) }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            {kind === 'area' ? (
              <Form.Item
                name="level"
                label={t('unit.level')}
                rules={[{ required: !unit, message: t('form.required') }]}
              >
                <Select
                  disabled={!!unit}
                  options={AREA_LEVELS.map((l) => ({ value: l, label: t(`areaLevel.${l}`) }))}
                />
              </Form.Item>
            ) : null}
          </Col>
        </Row>
        <Form.Item
          name="parentId"
          label={t('unit.parent')}
          extra={kind && kind !== 'area' ? t('unit.parentHintOffice') : t('unit.parentHintArea')}
        >
          {unit ? (
            <UnitTreeSelect allowClear={false} filter={() => false} />
          ) : (
            <UnitTreeSelect filter={(u) => u.kind === 'area'} placeholder={t('unit.parentPh')} />
          )}
        </Form.Item>
        <Form.Item
          name="divisionCode"
          label={t('unit.divisionCode')}
          extra={t('unit.divisionCodeHint')}
          rules={[{ pattern: /^(\d{6}|\d{9})$/, message: t('unit.divisionCodeBad') }]}
        >
          <Input maxLength={9} className="mono" />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="dutyPhone" label={t('unit.dutyPhone')}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="fax" label={t('unit.fax')}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

export default function UnitsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const has = useApiPaths();
  const [showDisabled, setShowDisabled] = useState(false);
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const [editing, setEditing] = useState<{ unit: Unit | null; parentId?: string | null } | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [divisionOpen, setDivisionOpen] = useState(false);

  const q = useQuery({
    queryKey: ['units', 'admin', showDisabled],
    queryFn: () => api.get<List<Unit>>(`/api/units${showDisabled ? '?includeDisabled=1' : ''}`),
  });
  const units = q.data?.items ?? [];
  const byId = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);
  const tree = useMemo(() => buildUnitTree(units), [units]);
  const unit = selected ? byId.get(selected) : undefined;

  useEffect(() => {
    if (!selected && tree[0]) setSelected(tree[0].unit.id);
  }, [tree, selected]);

  const treeData = useMemo(() => {
    const s = search.trim();
    const matches = (n: UnitNode): boolean =>
      !s || n.unit.name.includes(s) || (n.unit.divisionCode ?? '').startsWith(s) || n.children.some(matches);
    const map = (n: UnitNode): DataNode | null => {
      if (!matches(n)) return null;
      return {
        key: n.unit.id,
        title: (
          <span className={`unit-node${n.unit.disabled ? ' unit-disabled' : ''}`}>
            {KIND_ICONS[n.unit.kind]}
            <span>{n.unit.name}</span>
            {n.unit.kind === 'area' && n.unit.level ? (
              <span className="unit-node-kind">{t(`areaLevel.${n.unit.level}`)}</span>
            ) : null}
          </span>
        ),
        children: n.children.map(map).filter((x): x is DataNode => !!x),
      };
    };
    return tree.map(map).filter((x): x is DataNode => !!x);
  }, [tree, search, t]);

  const defaultExpanded = useMemo(
    () => units.filter((u) => u.kind === 'area' && u.level !== 'township').map((u) => u.id),
    [units],
  );

  const usersQ = useQuery({
    queryKey: ['users', { unitId: selected }],
    queryFn: () => api.get<List<User>>(`/api/users?unitId=${selected}`),
    enabled: !!selected,
  });

  const toggle = useMutation({
    mutationFn: (u: Unit) => api.patch<Unit>(`/api/units/${u.id}`, { disabled: !u.disabled }),
    onSuccess: (u) => {
      void qc.invalidateQueries({ queryKey: ['units'] });
      ui.message?.success(u.disabled ? t('unit.disabledOk') : t('unit.enabledOk'));
    },
  });

  const canImport = has('POST /api/units/import');
  const canExport = has('GET /api/units/export.xlsx');
  const canDivision = has('POST /api/units/from-division');

  return (
    <>
      <PageHeader
        title={t('nav.units')}
        subtitle={t('unit.pageHint')}
        extra={
          <>
            {canDivision ? (
              <Button icon={<GlobalOutlined />} onClick={() => setDivisionOpen(true)}>
                {t('unit.fromDivision')}
              </Button>
            ) : null}
            {canImport ? (
              <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)}>
                {t('common.import')}
              </Button>
            ) : null}
            {canExport ? (
              <Button
                icon={<DownloadOutlined />}
                onClick={() =>
                  api
                    .download('/api/units/export.xlsx', `${t('nav.units')}.xlsx`)
                    .catch((e) => ui.message?.error(e.message))
                }
              >
                {t('common.export')}
              </Button>
            ) : null}
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() =>
                setEditing({ unit: null, parentId: unit?.kind === 'area' ? unit.id : unit?.parentId })
              }
              data-testid="unit-create"
            >
              {t('unit.create')}
            </Button>
          </>
        }
      />
      <Row gutter={16}>
        <Col xs={24} lg={9} xl={8}>
          <Card className="unit-tree-card">
            <Space orientation="vertical" style={{ width: '100%' }} size={8}>
              <Input
                allowClear
                prefix={<SearchOutlined />}
                placeholder={t('unit.searchPh')}
                value={search}
                onChange={(e) => setSearch(e.target.value)}
              />
              <div className="muted" style={{ display: 'flex', justifyContent: 'space-between' }}>
                <span>{t('unit.count', { n: units.length })}</span>
                <span>
                  {t('unit.showDisabled')}{' '}
                  <Switch size="small" checked={showDisabled} onChange={setShowDisabled} />
                </span>
              </div>
              <QueryState
                loading={q.isLoading}
                error={q.error}
                empty={!units.length}
                emptyText={t('unit.none')}
              >
                <div style={{ maxHeight: 'calc(100vh - 290px)', overflow: 'auto' }}>
                  <Tree
                    className="unit-tree"
                    treeData={treeData}
                    selectedKeys={selected ? [selected] : []}
                    expandedKeys={search ? undefined : (expanded ?? defaultExpanded)}
                    defaultExpandAll={!!search}
                    onExpand={(keys) => setExpanded(keys as string[])}
                    onSelect={(keys) => keys[0] && setSelected(String(keys[0]))}
                    blockNode
                  />
                </div>
              </QueryState>
            </Space>
          </Card>
        </Col>
        <Col xs={24} lg={15} xl={16}>
          {unit ? (
            <>
              <Card
                title={
                  <span className="unit-node" data-testid="unit-detail-title">
                    {KIND_ICONS[unit.kind]} {unit.name}
                  </span>
                }
                extra={
                  <Space>
                    {unit.kind === 'area' ? (
                      <Button
                        icon={<PlusOutlined />}
                        onClick={() => setEditing({ unit: null, parentId: unit.id })}
                      >
                        {t('unit.addChild')}
                      </Button>
                    ) : null}
                    <Button icon={<EditOutlined />} onClick={() => setEditing({ unit })}>
                      {t('common.edit')}
                    </Button>
                    <Popconfirm
                      title={unit.disabled ? t('unit.enableConfirm') : t('unit.disableConfirm')}
                      onConfirm={() => toggle.mutate(unit)}
                    >
                      <Button danger={!unit.disabled}>
                        {unit.disabled ? t('common.enable') : t('common.disable')}
                      </Button>
                    </Popconfirm>
                  </Space>
                }
              >
                <UnitFacts unit={unit} />
                {unit.parentId ? (
                  <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
                    {t('unit.parent')}：{byId.get(unit.parentId)?.name ?? '—'}
                  </Typography.Paragraph>
                ) : null}
              </Card>
              <Card title={t('unit.people')} className="section-gap">
                <ResponsiveTable<User>
                  rowKey="id"
                  size="small"
                  loading={usersQ.isLoading}
                  dataSource={usersQ.data?.items ?? []}
                  pagination={false}
                  locale={{
                    emptyText: (
                      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('unit.noPeople')} />
                    ),
                  }}
                  columns={[
                    { title: t('user.name'), dataIndex: 'name', width: 110 },
                    { title: t('user.username'), dataIndex: 'username', width: 130, className: 'mono' },
                    { title: t('user.post'), dataIndex: 'post', render: (v) => v || '—' },
                    { title: t('user.roles'), dataIndex: 'roles', render: (r) => <RoleTags roles={r} /> },
                    {
                      title: t('user.status'),
                      dataIndex: 'disabled',
                      width: 80,
                      render: (d) =>
                        d ? (
                          <Tag>{t('common.disabled')}</Tag>
                        ) : (
                          <Tag color="success">{t('common.enabled')}</Tag>
                        ),
                    },
                  ]}
                />
              </Card>
            </>
          ) : (
            <Card>
              <Empty description={t('unit.pickHint')} />
            </Card>
          )}
        </Col>
      </Row>
      <UnitEditModal
        open={!!editing}
        unit={editing?.unit ?? null}
        parentId={editing?.parentId}
        onClose={(saved) => {
          setEditing(null);
          if (saved) setSelected(saved.id);
        }}
      />
      <ImportModal
        open={importOpen}
        onClose={() => setImportOpen(false)}
        title={t('unit.importTitle')}
        uploadPath="/api/units/import"
        templatePath={
          has('GET /api/units/import-template.xlsx') ? '/api/units/import-template.xlsx' : undefined
        }
        templateName={t('unit.templateFile')}
        onDone={() => qc.invalidateQueries({ queryKey: ['units'] })}
      />
      {canDivision ? <DivisionModal open={divisionOpen} onClose={() => setDivisionOpen(false)} /> : null}
    </>
  );
}
