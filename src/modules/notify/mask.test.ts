import { describe, expect, it } from 'vitest';
import { maskConfig, maskText, maskUrl, unmaskConfig } from './mask.js';

const WECOM = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
const DING = 'https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789abcdef0123456789';

describe('credentials are masked recognisably', () => {
  it('a robot key in a URL shows only its last four characters', () => {
    expect(maskUrl(WECOM)).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=••••5aaa');
    expect(maskUrl(DING)).toBe('https://oapi.dingtalk.com/robot/send?access_token=••••6789');
  });

  it('token, secret, sign, signature and password parameters are masked; others are kept', () => {
    const u = maskUrl(
      'https://gw.example/sms?user=jibao&Token=t1&secret=s&sign=x&signature=y&password=p&to={{phone}}',
    );
    expect(u).toBe(
      'https://gw.example/sms?user=jibao&Token=******&secret=******&sign=******&signature=******&password=******&to={{phone}}',
    );
  });

  it('the password of a URL userinfo is masked, the user name kept', () => {
    expect(maskUrl('https://jibao:hunter2@gw.example/send')).toBe('https://jibao:******@gw.example/send');
  });

  it('a Feishu hook token in the path is masked', () => {
    expect(maskUrl('https://open.feishu.cn/open-apis/bot/v2/hook/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0')).toBe(
      'https://open.feishu.cn/open-apis/bot/v2/hook/••••e1f0',
    );
  });

  it('headers named like credentials and password fields are masked in a configuration', () => {
    const m = maskConfig({
      url: WECOM,
      pass: 'smtp-password',
      secret: 'SECabc',
      headers: { Authorization: 'Bearer abc.def.ghi', 'X-Api-Key': 'k', 'X-Trace': 'visible', Cookie: 'a=b' },
      contentType: 'application/json',
    });
    expect(m).toEqual({
      url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=••••5aaa',
      pass: '******',
      secret: '******',
      headers: { Authorization: '••••.ghi', 'X-Api-Key': '******', 'X-Trace': 'visible', Cookie: '******' },
      contentType: 'application/json',
    });
    expect(JSON.stringify(m)).not.toContain('693a91f6');
  });

  it('an error message quoting a URL with a key no longer holds the key', () => {
    const text = maskText(`TypeError: Failed to parse URL from ${WECOM} (token=abcdefabcdefabcdef12)`);
    expect(text).not.toContain('693a91f6');
    expect(text).not.toContain('abcdefabcdefabcdef12');
    expect(text).toContain('key=••••5aaa');
  });
});

describe('saving a configuration with its masks unchanged keeps the stored secrets', () => {
  const stored = {
    url: WECOM,
    pass: 'smtp-password',
    headers: { Authorization: 'Bearer abc.def.ghi', 'X-Trace': 'visible' },
  };

  it('every masked value is restored from the stored configuration', () => {
    expect(unmaskConfig(maskConfig(stored), stored)).toEqual(stored);
  });

  it('an edited URL keeps the stored key where the mask was left', () => {
    const edited = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?debug=1&key=••••5aaa';
    expect(unmaskConfig({ url: edited }, stored)).toEqual({
      url: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?debug=1&key=${WECOM.split('key=')[1]}`,
    });
  });

  it('a new value replaces the stored one', () => {
    expect(unmaskConfig({ pass: 'new-password' }, stored)).toEqual({ pass: 'new-password' });
  });

  it('a mask with nothing stored behind it is refused (null)', () => {
    expect(unmaskConfig({ url: 'https://x.example/send?key=••••1234' }, stored)).toBeNull();
    expect(unmaskConfig({ secret: '******' }, stored)).toBeNull();
  });
});
