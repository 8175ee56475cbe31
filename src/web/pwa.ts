/**
 * Over HTTPS the app is an installable PWA (manifest + a minimal service worker, public/sw.js). On plain HTTP —
 * county intranets — service workers are unavailable and nothing is registered: the field report keeps its
 * drafts in IndexedDB and sends them from the page, with or without a service worker.
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext || window.location.protocol !== 'https:')
    return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      /* blocked or unsupported: the app works without it */
    });
  });
}
