import { render } from 'preact';
import { App } from './components/App';
import { httpApi } from './lib/api-client';
import 'rrweb/dist/style.css';
import './viewer.css';

render(<App api={httpApi} />, document.getElementById('app')!);
