/**
 * Page checks shared by the phone-size and polish browser tests: the routes a user's menu offers, sideways
 * scroll, column headers, and text in the other language.
 */
import type { Page } from 'playwright-core';

/** Routes of the side menu (or the drawer menu on a phone), plus the pages reached from the header. */
export async function menuRoutes(page: Page): Promise<string[]> {
  const inDrawer = await page.getByTestId('menu-toggle').isVisible();
  let hrefs: string[];
  if ((await page.locator('.app-sider').count()) === 0 && inDrawer) {
    await page.getByTestId('menu-toggle').click();
    await page.locator('.app-drawer .app-menu').waitFor();
    hrefs = await page
      .locator('.app-drawer .app-menu a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    await page.locator('.app-drawer .ant-drawer-close').click();
    await page.locator('.app-drawer .app-menu').waitFor({ state: 'hidden' });
  } else {
    hrefs = await page
      .locator('.app-sider .app-menu a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  }
  return [...new Set([...hrefs.filter(Boolean), '/me/unit', '/notifications', '/notifications/settings'])];
}

/**
 * Go to a route and wait until its page has rendered and its data settled. Inside the signed-in app the move is
 * made the way a click on a menu link makes it (the router's history, no reload); otherwise a full load.
 */
export async function visit(page: Page, path: string): Promise<void> {
  const here = new URL(page.url());
  const inApp =
    here.pathname + here.search !== path &&
    (await page
      .locator('.app-header')
      .count()
      .catch(() => 0)) > 0;
  let moved = false;
  if (inApp) {
    await page.evaluate((to) => {
      // mark what is on screen now, so the wait below is for the next page's header, not this one's
      for (const el of Array.from(document.querySelectorAll('.page-header, .ant-result')))
        el.setAttribute('data-left', '');
      window.history.pushState({}, '', to);
      window.dispatchEvent(new PopStateEvent('popstate'));
    }, path);
    // two routes of one page component keep its header element: those are loaded in full below
    moved = await page
      .locator('.page-header:not([data-left]), .ant-result:not([data-left])')
      .first()
      .waitFor({ timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
  }
  if (!moved) {
    await page.goto(path);
    await page.locator('.page-header, .ant-result').first().waitFor({ timeout: 15_000 });
  }
  await page
    .locator('.ant-skeleton, .ant-spin-spinning')
    .first()
    .waitFor({ state: 'hidden', timeout: 10_000 })
    .catch(() => {});
  await page.waitForTimeout(150);
}

/** The page scrolls sideways: the widest elements sticking out on the right, or null. */
export async function sidewaysScroll(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const w = window.innerWidth;
    if (document.documentElement.scrollWidth <= w) return null;
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const b = el.getBoundingClientRect();
      if (b.width > 0 && b.right > w + 1) {
        const cls = typeof el.className === 'string' ? el.className.split(' ').slice(0, 2).join('.') : '';
        out.push(`${el.tagName.toLowerCase()}.${cls}→${Math.round(b.right)}`);
      }
    }
    return `scrollWidth ${document.documentElement.scrollWidth} > ${w}: ${out.slice(0, 4).join(' ')}`;
  });
}

/** Table columns without a header (no text and no accessible name), as "page: column n". */
export async function headerlessColumns(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const out: number[] = [];
    for (const table of Array.from(document.querySelectorAll('.ant-table-thead'))) {
      const cells = Array.from(table.querySelectorAll('th.ant-table-cell')).filter(
        (th) =>
          !th.classList.contains('ant-table-selection-column') &&
          !th.classList.contains('ant-table-row-expand-icon-cell') &&
          !th.classList.contains('ant-table-cell-scrollbar') &&
          // a header cell of a grouped header spans its children: they are checked themselves
          (th.getAttribute('colspan') ?? '1') === '1',
      );
      cells.forEach((th, i) => {
        const text = (th.textContent ?? '').trim() || th.getAttribute('aria-label') || '';
        if (!text) out.push(i + 1);
      });
    }
    return out;
  });
}

/** Visible interface text: headers, menus, buttons, labels, titles, tabs (not data cells or free text). */
export async function interfaceTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const sel = [
      '.ant-table-thead th',
      '.app-menu .ant-menu-title-content',
      'button',
      '.ant-form-item-label label',
      '.page-title',
      '.ant-card-head-title',
      '.ant-tabs-tab',
      '.ant-descriptions-item-label',
      '.ant-modal-title',
      '.ant-drawer-title',
      '.rtable-label',
      '.ant-radio-button-wrapper',
      '.ant-checkbox-wrapper',
      '.ant-segmented-item-label',
    ].join(',');
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(sel))) {
      if (!el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
      // the language switch ("中文 / EN") and the signed-in user's name and unit are not interface text
      if (el.closest('.lang-switch, .user-chip')) continue;
      // messages written for their readers (notification titles) are content, not interface text
      if (el.closest('[data-content]')) continue;
      const text = (el.innerText ?? '').replace(/\s+/g, ' ').trim();
      if (text) out.push(text);
    }
    return [...new Set(out)];
  });
}

/** Letters of the other language in `texts`, once the allowed names are taken out. */
export function otherLanguage(texts: string[], lang: 'zh-CN' | 'en', allowed: string[]): string[] {
  const names = [...allowed].filter(Boolean).sort((a, b) => b.length - a.length);
  const bad = lang === 'zh-CN' ? /[A-Za-z]/ : /[\u3400-\u9fff\uff08\uff09\u3001\u3002\uff0c\uff1a]/;
  const out: string[] = [];
  for (const t of texts) {
    let rest = t;
    for (const n of names) rest = rest.split(n).join(' ');
    if (bad.test(rest)) out.push(t);
  }
  return out;
}

/** Names and terms that may appear in either language. */
export const ALWAYS_ALLOWED = ['Jibao', 'Excel', 'ID', 'SM3', 'SHA-256', 'GB/T', 'SMTP', 'SMS', 'API'];
