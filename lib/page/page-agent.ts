/**
 * Runs in the page's main world (injected only into the shared tab, only during a session). Starts and
 * stops the recorder when the isolated content script says so and posts event batches back to it.
 */
import { PAGE_CHANNEL, toPageSchema, type FromPage } from '@/lib/bridge/page-messages';
import { startRecording, type Recording } from '@/lib/record/recorder';

const INSTALLED = Symbol.for('meekijk.page-agent');

export function installPageAgent(win: Window = window): void {
  const slot = win as unknown as Record<symbol, boolean>;
  if (slot[INSTALLED]) {
    post(win, { type: 'ready' });
    return;
  }
  slot[INSTALLED] = true;
  let recording: Recording | undefined;
  let token: string | undefined;

  win.addEventListener('message', (event: MessageEvent) => {
    if (event.source !== win) return;
    const parsed = toPageSchema.safeParse(event.data);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'start') {
      if (recording && token === message.token) return;
      recording?.stop();
      token = message.token;
      try {
        recording = startRecording({
          emit: (events) => post(win, { type: 'events', events: events as FromPageEvents }),
          onError: (error) => post(win, { type: 'error', message: String(error).slice(0, 500) }),
        });
      } catch (error) {
        post(win, { type: 'error', message: String(error).slice(0, 500) });
      }
    } else if (message.token === token) {
      if (message.type === 'snapshot') recording?.snapshot();
      if (message.type === 'stop') {
        recording?.stop();
        recording = undefined;
        token = undefined;
      }
    }
  });
  post(win, { type: 'ready' });
}

type FromPageEvents = Extract<FromPage, { type: 'events' }>['events'];
type FromPageBody = FromPage extends infer M ? (M extends FromPage ? Omit<M, 'channel'> : never) : never;

function post(win: Window, body: FromPageBody) {
  win.postMessage({ channel: PAGE_CHANNEL, ...body }, '*');
}
