import { LockOutlined, SafetyOutlined, ThunderboltOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Form, Input, Segmented } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../api';
import { type Lang, setLang } from '../i18n';
import { Logo } from '../layout/Logo';
import type { Me } from '../types';

const REMEMBER_KEY = 'jibao.lastUser';

export default function LoginPage() {
  const { t, i18n } = useTranslation();
  const nav = useNavigate();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const [form] = Form.useForm();
  const [remember, setRemember] = useState(() => !!localStorage.getItem(REMEMBER_KEY));
  const lang: Lang = i18n.language === 'en' ? 'en' : 'zh-CN';

  useEffect(() => {
    document.title = `${t('app.name')} · ${t('app.subtitle')}`;
  }, [t]);

  const login = useMutation({
    meta: { silent: true },
    mutationFn: (v: { username: string; password: string }) =>
      api.post<{ token: string; user: Me }>('/api/auth/login', v, { allow401: true }),
    onSuccess: (r, v) => {
      if (remember) localStorage.setItem(REMEMBER_KEY, v.username);
      else localStorage.removeItem(REMEMBER_KEY);
      qc.clear();
      qc.setQueryData(['me'], r.user);
      const next = params.get('next');
      nav(next?.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    },
  });

  return (
    <div className="login-page">
      <div className="login-brand">
        <div className="login-brand-inner">
          <div className="login-logo-row">
            <Logo size={56} />
            <div>
              <div className="login-product">{t('app.name')}</div>
              <div className="login-product-sub">{t('app.subtitle')}</div>
            </div>
          </div>
          <h1 className="login-slogan">{t('login.slogan')}</h1>
          <p className="login-lead">{t('login.lead')}</p>
          <ul className="login-points">
            <li>
              <ThunderboltOutlined /> {t('login.point1')}
            </li>
            <li>
              <SafetyOutlined /> {t('login.point2')}
            </li>
            <li>
              <LockOutlined /> {t('login.point3')}
            </li>
          </ul>
        </div>
        <div className="login-brand-foot">{t('login.owner')}</div>
      </div>
      <div className="login-panel">
        <div className="login-lang">
          <Segmented
            size="small"
            value={lang}
            onChange={(v) => setLang(v as Lang)}
            options={[
              { label: '中文', value: 'zh-CN' },
              { label: 'EN', value: 'en' },
            ]}
          />
        </div>
        <div className="login-card">
          <h2 className="login-title">{t('login.title')}</h2>
          <p className="login-hint">{t('login.hint')}</p>
          {login.error ? (
            <Alert
              type="error"
              showIcon
              title={login.error.message}
              className="login-error"
              data-testid="login-error"
            />
          ) : null}
          <Form
            form={form}
            layout="vertical"
            size="large"
            requiredMark={false}
            initialValues={{ username: localStorage.getItem(REMEMBER_KEY) ?? '' }}
            onFinish={(v) => login.mutate(v)}
          >
            <Form.Item
              name="username"
              label={t('login.username')}
              rules={[{ required: true, message: t('login.usernameRequired') }]}
            >
              <Input
                prefix={<UserOutlined />}
                autoComplete="username"
                placeholder={t('login.usernamePh')}
                autoFocus
              />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('login.password')}
              rules={[{ required: true, message: t('login.passwordRequired') }]}
            >
              <Input.Password
                prefix={<LockOutlined />}
                autoComplete="current-password"
                placeholder={t('login.passwordPh')}
              />
            </Form.Item>
            <div className="login-row">
              <Checkbox checked={remember} onChange={(e) => setRemember(e.target.checked)}>
                {t('login.remember')}
              </Checkbox>
              <span className="login-forgot">{t('login.forgot')}</span>
            </div>
            <Button type="primary" htmlType="submit" block loading={login.isPending} className="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
          <div className="login-security">{t('login.security')}</div>
        </div>
        <div className="login-copyright">{t('app.footer')}</div>
      </div>
    </div>
  );
}
