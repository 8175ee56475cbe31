import { Button, Space } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A small rich-text editor on a contentEditable block: headings, paragraphs, lists, bold; a paste from Word keeps
 * its structure (the browser hands over the HTML; the server keeps headings, lists and tables and drops the rest).
 */
export function RichEditor({ value, onChange }: { value?: string; onChange?: (html: string) => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (ref.current && value !== undefined && ref.current.innerHTML !== value) ref.current.innerHTML = value;
  }, [value]);
  const exec = (cmd: string, arg?: string) => {
    ref.current?.focus();
    document.execCommand(cmd, false, arg);
    onChange?.(ref.current?.innerHTML ?? '');
  };
  return (
    <div className="affairs-editor">
      <Space wrap size={4} className="affairs-editor-bar">
        <Button
          size="small"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => exec('formatBlock', 'H2')}
        >
          {t('affairs.compose.h')}
        </Button>
        <Button size="small" onMouseDown={(e) => e.preventDefault()} onClick={() => exec('formatBlock', 'P')}>
          {t('affairs.compose.p')}
        </Button>
        <Button
          size="small"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => exec('insertOrderedList')}
        >
          {t('affairs.compose.ol')}
        </Button>
        <Button
          size="small"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => exec('insertUnorderedList')}
        >
          {t('affairs.compose.ul')}
        </Button>
        <Button size="small" onMouseDown={(e) => e.preventDefault()} onClick={() => exec('bold')}>
          <b>{t('affairs.compose.bold')}</b>
        </Button>
      </Space>
      <div
        ref={ref}
        className="affairs-editor-area affairs-body"
        contentEditable
        suppressContentEditableWarning
        data-testid="piece-body"
        onInput={() => onChange?.(ref.current?.innerHTML ?? '')}
        onBlur={() => onChange?.(ref.current?.innerHTML ?? '')}
      />
    </div>
  );
}
