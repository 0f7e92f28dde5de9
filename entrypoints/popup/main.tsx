import { render } from 'preact';
import { Popup } from '@/components/Popup';
import { browserClient } from '@/lib/ui/extension-client';
import { uiLocale } from '@/lib/ui/i18n';
import '@/components/popup.css';

// The page says which language it is in, so screen readers pronounce it right (WCAG 3.1.1).
document.documentElement.lang = uiLocale();
render(<Popup client={browserClient} />, document.getElementById('app')!);
