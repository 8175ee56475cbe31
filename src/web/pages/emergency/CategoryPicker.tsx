import { Cascader } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCategories } from './shared';

/**
 * The event-category picker (GB/T 35561 class › type › subtype). A class opens its types; picking a type or a
 * subtype, or a search result, is a choice and closes the list. Typing searches every level by name.
 */
export function CategoryPicker({
  id,
  value,
  onChange,
}: {
  id?: string;
  value?: string[];
  onChange?: (v: string[] | undefined) => void;
}) {
  const { t } = useTranslation();
  const cats = useCategories();
  const [open, setOpen] = useState(false);
  return (
    <Cascader
      id={id}
      value={value}
      open={open}
      onOpenChange={setOpen}
      onChange={(v, selected) => {
        onChange?.(v as string[] | undefined);
        const last = selected?.[selected.length - 1] as { children?: unknown[] } | undefined;
        if (!v || v.length >= 2 || !last?.children?.length) setOpen(false);
      }}
      options={cats.options}
      changeOnSelect
      showSearch
      loading={cats.loading}
      placeholder={cats.error ? t('report.categoriesUnavailable') : t('report.categoryPh')}
      notFoundContent={t('common.empty')}
      data-testid="category-picker"
    />
  );
}
