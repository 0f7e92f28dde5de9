import { render } from 'preact';
import { Popup } from '@/components/Popup';
import { browserClient } from '@/lib/ui/extension-client';
import '@/components/popup.css';

render(<Popup client={browserClient} />, document.getElementById('app')!);
