import type { MessageInstance } from 'antd/es/message/interface';
import type { NotificationInstance } from 'antd/es/notification/interface';

/** Message and notification handles of the antd <App>, usable outside components (query callbacks). */
export const ui: { message: MessageInstance | null; notification: NotificationInstance | null } = {
  message: null,
  notification: null,
};

export function showError(e: unknown): void {
  const text = (e as Error)?.message || String(e);
  if (ui.message) void ui.message.error({ content: text, duration: 6 });
}
