import './i18n';
import './styles.css';
import { createRoot } from 'react-dom/client';
import { registerServiceWorker } from './pwa';
import { Root } from './Root';

createRoot(document.getElementById('root')!).render(<Root />);
registerServiceWorker();
