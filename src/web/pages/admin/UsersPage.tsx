import {
  DownloadOutlined,
  KeyOutlined,
  PlusOutlined,
  SearchOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Form, Input, Modal, Popconfirm, Row, Select, Space, Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type List, qs } from '../../api';
import { PageHeader } from '../../components/page';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { RoleTags } from '../../components/tags';
import { ui } from '../../notify';
import { useUnitName } from '../../session';
import { ROLES, type User } from '../../types';
import { UnitTreeSelect, useApiPaths } from '../../units';
import { ImportModal } from './ImportModal';

interface UserForm {
  username: string;
  password?: string;
  name: string;
  unitId: string;
  roles: User['roles'];
  officerType?: 'full_time' | 'part_time' | null;
  post?: string;
  phone?: string;
  email?: string;
}

function UserEditModal({ open, user, onClose }: { open: boolean; user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<UserForm>();
  const roles = Form.useWatch('roles', form) ?? [];
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (user)
      form.setFieldsValue({
        username: user.username,
        name: user.name,
        unitId: user.unitId,
        roles: user.roles,
        officerType: user.officerType ?? undefined,
        post: user.post ?? undefined,
        phone: user.phone ?? undefined,
        email: user.email ?? undefined,
      });
    else form.setFieldsValue({ roles: ['reporter'] });
  }, [open, user, form]);

  const save = useMutation({
    mutationFn: (v: UserForm) => {
      const blank = (s?: string | null) => (s?.trim() ? s.trim() : null);
      const common = {
        name: v.name,
        unitId: v.unitId,
        roles: v.roles ?? [],
        officerType: v.roles?.includes('reporter') ? (v.officerType ?? null) : null,
        post: blank(v.post),
        phone: blank(v.phone),
        email: blank(v.email),
      };
      return user
        ? api.patch<User>(`/api/users/${user.id}`, common)
        : api.post<User>('/api/users', { ...common, username: v.username, password: v.password });
    },
    onSuccess: (u) => {
      void qc.invalidateQueries({ queryKey: ['users'] });
      ui.message?.success(user ? t('common.saved') : t('user.created', { name: u.name }));
      onClose();
    },
  });

  return (
    <Modal
      open={open}
      title={user ? t('user.editTitle', { name: user.name }) : t('user.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      width={620}
      destroyOnHidden
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item
              name="username"
              label={t('user.username')}
              rules={[
                { required: true, message: t('form.required') },
                { pattern: /^[A-Za-z0-9_.@-]{2,64}$/, message: t('user.usernameRule') },
              ]}
            >
              <Input disabled={!!user} autoComplete="off" className="mono" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="name"
              label={t('user.name')}
              rules={[{ required: true, message: t('form.required') }]}
            >
              <Input maxLength={60} />
            </Form.Item>
          </Col>
        </Row>
        {user ? null : (
          <Form.Item
            name="password"
            label={t('user.initialPassword')}
            extra={t('user.passwordRule')}
            rules={[
              { required: true, message: t('form.required') },
              { min: 10, message: t('user.passwordRule') },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item
          name="unitId"
          label={t('user.unit')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <UnitTreeSelect />
        </Form.Item>
        <Form.Item
          name="roles"
          label={t('user.roles')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Select
            mode="multiple"
            options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            placeholder={t('user.rolesPh')}
          />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="post" label={t('user.post')}>
              <Input maxLength={60} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="officerType" label={t('user.officerType')}>
              <Select
                allowClear
                disabled={!roles.includes('reporter')}
                options={[
                  { value: 'full_time', label: t('officerType.full_time') },
                  { value: 'part_time', label: t('officerType.part_time') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="phone" label={t('user.phone')}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="email"
              label={t('user.email')}
              rules={[{ type: 'email', message: t('user.emailBad') }]}
            >
              <Input maxLength={120} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ password: string }>();
  const reset = useMutation({
    mutationFn: (v: { password: string }) =>
      api.post(`/api/users/${user!.id}/reset-password`, { password: v.password }),
    onSuccess: () => {
      ui.message?.success(t('user.passwordReset', { name: user?.name }));
      onClose();
    },
  });
  return (
    <Modal
      open={!!user}
      title={t('user.resetTitle', { name: user?.name ?? '' })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('user.resetOk')}
      confirmLoading={reset.isPending}
      destroyOnHidden
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={(v) => reset.mutate(v)}>
        <Form.Item
          name="password"
          label={t('user.newPassword')}
          extra={t('user.passwordRule')}
          rules={[
            { required: true, message: t('form.required') },
            { min: 10, message: t('user.passwordRule') },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function UsersPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const unitName = useUnitName();
  const has = useApiPaths();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [unitId, setUnitId] = useState<string | undefined>();
  const [editing, setEditing] = useState<{ user: User | null } | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [importOpen, setImportOpen] = useState(false);

  const list = useQuery({
    queryKey: ['users', { q: search, unitId }],
    queryFn: () => api.get<List<User>>(`/api/users${qs({ q: search, unitId })}`),
  });
  const toggle = useMutation({
    mutationFn: (u: User) => api.patch<User>(`/api/users/${u.id}`, { disabled: !u.disabled }),
    onSuccess: (u) => {
      void qc.invalidateQueries({ queryKey: ['users'] });
      ui.message?.success(
        u.disabled ? t('user.disabledOk', { name: u.name }) : t('user.enabledOk', { name: u.name }),
      );
    },
  });

  const unlock = useMutation({
    mutationFn: (u: User) => api.post(`/api/users/${u.id}/unlock`).then(() => u),
    onSuccess: (u) => {
      void qc.invalidateQueries({ queryKey: ['users'] });
      ui.message?.success(t('user.unlockedOk', { name: u.name }));
    },
  });

  return (
    <>
      <PageHeader
        title={t('nav.users')}
        subtitle={t('user.pageHint')}
        extra={
          <>
            {has('POST /api/users/import') ? (
              <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)}>
                {t('common.import')}
              </Button>
            ) : null}
            {has('GET /api/users/export.xlsx') ? (
              <Button
                icon={<DownloadOutlined />}
                onClick={() =>
                  api
                    .download('/api/users/export.xlsx', `${t('nav.users')}.xlsx`)
                    .catch((e) => ui.message?.error(e.message))
                }
              >
                {t('common.export')}
              </Button>
            ) : null}
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ user: null })}>
              {t('user.create')}
            </Button>
          </>
        }
      />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            enterButton={<SearchOutlined />}
            placeholder={t('user.searchPh')}
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              if (!e.target.value) setSearch('');
            }}
            onSearch={(v) => setSearch(v.trim())}
            style={{ width: 300 }}
          />
          <UnitTreeSelect
            value={unitId}
            onChange={setUnitId}
            placeholder={t('user.filterUnit')}
            style={{ width: 300 }}
          />
        </Space>
        <ResponsiveTable<User>
          rowKey="id"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (n) => t('common.total', { n }) }}
          locale={{ emptyText: search ? t('user.noMatch') : t('common.empty') }}
          scroll={{ x: 1000 }}
          columns={[
            { title: t('user.name'), dataIndex: 'name', width: 110, fixed: 'left' },
            { title: t('user.username'), dataIndex: 'username', width: 130, className: 'mono' },
            {
              // the whole unit name, wrapped, never cut off with an ellipsis
              title: t('user.unit'),
              dataIndex: 'unitId',
              width: 200,
              render: (id) => <span className="cell-wrap">{unitName(id)}</span>,
            },
            { title: t('user.post'), dataIndex: 'post', width: 130, render: (v) => v || '—' },
            { title: t('user.roles'), dataIndex: 'roles', width: 220, render: (r) => <RoleTags roles={r} /> },
            { title: t('user.phone'), dataIndex: 'phone', width: 130, render: (v) => v || '—' },
            {
              title: t('user.status'),
              dataIndex: 'disabled',
              width: 110,
              render: (d, u) => (
                <>
                  {d ? <Tag>{t('common.disabled')}</Tag> : <Tag color="success">{t('common.enabled')}</Tag>}
                  {u.lockedUntil ? (
                    <Tooltip
                      title={t('user.lockedHint', { until: new Date(u.lockedUntil).toLocaleString() })}
                    >
                      <Tag color="error">{t('user.locked')}</Tag>
                    </Tooltip>
                  ) : null}
                </>
              ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 260,
              fixed: 'right',
              render: (_, u) => (
                <Space size={0}>
                  {u.can?.edit ? (
                    <Button type="link" size="small" onClick={() => setEditing({ user: u })}>
                      {t('common.edit')}
                    </Button>
                  ) : null}
                  {u.can?.resetPassword ? (
                    <Button type="link" size="small" icon={<KeyOutlined />} onClick={() => setResetting(u)}>
                      {t('user.resetPassword')}
                    </Button>
                  ) : null}
                  {u.lockedUntil && u.can?.unlock ? (
                    <Popconfirm
                      title={t('user.unlockConfirm', { name: u.name })}
                      onConfirm={() => unlock.mutate(u)}
                    >
                      <Button type="link" size="small">
                        {t('user.unlock')}
                      </Button>
                    </Popconfirm>
                  ) : null}
                  {u.can?.edit ? (
                    <Popconfirm
                      title={
                        u.disabled
                          ? t('user.enableConfirm', { name: u.name })
                          : t('user.disableConfirm', { name: u.name })
                      }
                      onConfirm={() => toggle.mutate(u)}
                    >
                      <Button type="link" size="small" danger={!u.disabled}>
                        {u.disabled ? t('common.enable') : t('common.disable')}
                      </Button>
                    </Popconfirm>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <UserEditModal open={!!editing} user={editing?.user ?? null} onClose={() => setEditing(null)} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
      <ImportModal
        open={importOpen}
        onClose={() => setImportOpen(false)}
        title={t('user.importTitle')}
        uploadPath="/api/users/import"
        templatePath={
          has('GET /api/users/import-template.xlsx') ? '/api/users/import-template.xlsx' : undefined
        }
        templateName={t('user.templateFile')}
        onDone={() => qc.invalidateQueries({ queryKey: ['users'] })}
      />
    </>
  );
}
