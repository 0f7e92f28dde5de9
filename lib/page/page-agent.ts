/**
 * Runs in the page's main world (injected only into the shared tab, only during a session). Starts and
 * stops the recorder when the isolated content script says so and posts event batches back to it.
 */
import { PAGE_CHANNEL, toPageSchema, type FromPage } from '@/lib/bridge/page-messages';
import { NO_PAGE_RULES, type PageRules } from '@/lib/protocol/site-rules';
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
  let siteRules: PageRules = NO_PAGE_RULES;
  /** Selectors for the parts the customer hid ("verberg dit"): blocked like the site's own. */
  let hidden: string[] = [];

  // rrweb fixes its selectors when it starts, so new rules mean a new recording: it begins with a fresh
  // full snapshot in which the newly hidden parts are placeholders.
  const begin = () => {
    recording?.stop();
    recording = undefined;
    try {
      recording = startRecording({
        siteRules: { ...siteRules, block: [...siteRules.block, ...hidden] },
        emit: (events) => post(win, { type: 'events', events: events as FromPageEvents }),
        onError: (error) => post(win, { type: 'error', message: String(error).slice(0, 500) }),
      });
    } catch (error) {
      post(win, { type: 'error', message: String(error).slice(0, 500) });
    }
  };

  win.addEventListener('message', (event: MessageEvent) => {
    if (event.source !== win) return;
    const parsed = toPageSchema.safeParse(event.data);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'start') {
      if (recording && token === message.token) return;
      token = message.token;
      siteRules = message.siteRules ?? NO_PAGE_RULES;
      hidden = message.hidden ?? [];
      begin();
    } else if (message.token === token) {
      if (message.type === 'snapshot') recording?.snapshot();
      if (message.type === 'hide') {
        hidden = message.selectors;
        if (recording) begin();
      }
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
