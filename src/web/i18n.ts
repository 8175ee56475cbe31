import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en';
import zhCN from './locales/zh-CN';

export type Lang = 'zh-CN' | 'en';
export const LANGS: Lang[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'jibao.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    /* storage unavailable */
  }
  return 'zh-CN';
}

const lng = initialLang();
void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng,
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});
dayjs.locale(lng === 'en' ? 'en' : 'zh-cn');
document.documentElement.lang = lng;

export function currentLang(): Lang {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

export function setLang(l: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    /* ignore */
  }
  dayjs.locale(l === 'en' ? 'en' : 'zh-cn');
  document.documentElement.lang = l;
  void i18n.changeLanguage(l);
}

/**
 * Other modules add their own strings: `addTranslations({ duty: {...} }, { duty: {...} })`, merged deeply into
 * the default namespace. Call it at module load of the page file.
 */
export function addTranslations(zh: Record<string, unknown>, enRes: Record<string, unknown>): void {
  i18n.addResourceBundle('zh-CN', 'translation', zh, true, true);
  i18n.addResourceBundle('en', 'translation', enRes, true, true);
}

export default i18n;
