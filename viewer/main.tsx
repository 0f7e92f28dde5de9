import { render } from 'preact';
import { App } from './components/App';
import { httpApi } from './lib/api-client';
import { locale } from './lib/i18n';
import 'rrweb/dist/style.css';
import './viewer.css';

// The page says which language it is in (WCAG 3.1.1); the switch keeps it up to date (lib/i18n.ts).
document.documentElement.lang = locale.value;
render(<App api={httpApi} />, document.getElementById('app')!);
