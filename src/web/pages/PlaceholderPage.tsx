import { useTranslation } from 'react-i18next';
import { UnderConstruction } from '../components/page';

/** A section that is still being built, styled like the rest of the product. */
export default function PlaceholderPage({ title, text }: { title: string; text?: string }) {
  const { t } = useTranslation();
  return <UnderConstruction title={t(title)} description={text ? t(text) : undefined} />;
}
