/**
 * Test instrumentation for Firefox (never shipped). Firefox is driven over WebDriver BiDi, which has no
 * DevTools protocol: what a Chromium test does through CDP (click the toolbar button, pierce a closed
 * shadow root, watch an extension context) is done here with chrome-privileged script, which Firefox runs
 * for the remote agent when it is started with `--remote-allow-system-access`.
 */
import type { Browser, Page } from 'puppeteer-core';

interface BidiConnection {
  send(method: string, params: object): Promise<{ result: Record<string, unknown> }>;
}

const connection = (browser: Browser): BidiConnection => {
  const conn = (browser as unknown as { connection?: BidiConnection }).connection;
  if (!conn) throw new Error('not a WebDriver BiDi browser');
  return conn;
};

/** The BiDi browsing context id of a page (puppeteer keeps it on the frame). */
export const contextOf = (page: Page): string => (page.mainFrame() as unknown as { _id: string })._id;

const chromeContexts = new WeakMap<Browser, Promise<string>>();

/** The browser window's chrome context (`moz:scope: chrome`), where privileged script runs. */
function chromeContext(browser: Browser): Promise<string> {
  let found = chromeContexts.get(browser);
  if (!found) {
    found = connection(browser)
      .send('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 })
      .then(({ result }) => {
        const [top] = result['contexts'] as Array<{ context: string }>;
        if (!top) throw new Error('no chrome context (is Firefox started with --remote-allow-system-access?)');
        return top.context;
      });
    chromeContexts.set(browser, found);
  }
  return found;
}

/**
 * Evaluates `expression` (an expression whose value may be a promise) with chrome privileges and returns
 * its value as JSON: the expression should produce a JSON string.
 */
export async function evalChrome<T>(browser: Browser, expression: string): Promise<T> {
  const { result } = await connection(browser).send('script.evaluate', {
    expression,
    target: { context: await chromeContext(browser) },
    awaitPromise: true,
    resultOwnership: 'none',
  });
  if (result['type'] === 'exception') {
    const details = result['exceptionDetails'] as { text?: string } | undefined;
    throw new Error(`chrome script failed: ${details?.text ?? JSON.stringify(result)}`);
  }
  const value = (result['result'] as { type: string; value?: unknown }).value;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Chrome-side helpers every privileged snippet below starts with. */
const PRELUDE = `
  const { NavigableManager } = ChromeUtils.importESModule('chrome://remote/content/shared/NavigableManager.sys.mjs');
  const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
  const browserFor = (context) => {
    const found = NavigableManager.getBrowserById(context);
    if (!found) throw new Error('no browser for context ' + context);
    return found;
  };
  /** Runs fn(content, ...args) as a frame script in the page of <browser> b and resolves with what it returns. */
  const inContent = (b, fn, args) => new Promise((resolve, reject) => {
    const mm = b.messageManager;
    const name = 'meekijk-test-' + Math.random().toString(36).slice(2);
    const timer = setTimeout(() => { mm.removeMessageListener(name, listener); reject(new Error('frame script timed out')); }, 10000);
    const listener = (m) => { clearTimeout(timer); mm.removeMessageListener(name, listener); resolve(m.data); };
    mm.addMessageListener(name, listener);
    const body = '(' + fn + ')(content, ...' + JSON.stringify(args) + ')';
    mm.loadFrameScript('data:,' + encodeURIComponent('Promise.resolve().then(() => ' + body + ').then((v) => sendAsyncMessage(' + JSON.stringify(name) + ', v === undefined ? null : v), (e) => sendAsyncMessage(' + JSON.stringify(name) + ', { error: String(e) }))'), false);
  });
`;

/**
 * Clicks the extension's toolbar button in the window of `tab`, which must be that window's selected tab:
 * Firefox's own step for a click on the button runs (`triggerClickOrPopup`, which grants activeTab for the
 * tab and answers the popup to show), as the customer's click does. The panel itself is not opened: BiDi
 * does not reach into it, so the test drives the same popup page in a background tab of that window
 * (CustomerExtension.openPopup). Returns the popup's URL.
 */
export async function clickToolbarButton(browser: Browser, tab: Page, addonId: string): Promise<string> {
  const { popupUrl, granted } = await evalChrome<{ popupUrl: string | null; granted: boolean }>(browser, `(async () => {
    ${PRELUDE}
    const b = browserFor(${JSON.stringify(contextOf(tab))});
    const win = b.ownerDocument.defaultView;
    const nativeTab = win.gBrowser.getTabForBrowser(b);
    if (win.gBrowser.selectedTab !== nativeTab) throw new Error('the tab is not the selected tab of its window');
    const extension = ExtensionParent.GlobalManager.getExtension(${JSON.stringify(addonId)});
    const button = ExtensionParent.apiManager.global.browserActionFor(extension);
    const popupUrl = button.action.triggerClickOrPopup(nativeTab, { button: 0, modifiers: [] }) ?? null;
    return JSON.stringify({ popupUrl, granted: extension.tabManager.hasActiveTabPermission(nativeTab) });
  })()`);
  if (!granted) throw new Error('the toolbar click did not grant activeTab');
  if (!popupUrl) throw new Error('the toolbar button has no popup');
  return popupUrl;
}

/**
 * Runs `fn(content, ...args)` with system privileges in the page of `page` (a frame script), where
 * `element.openOrClosedShadowRoot` reaches closed shadow roots as DevTools' pierce does in Chromium.
 * `fn` is serialised: it may use only its arguments.
 */
export async function inPagePrivileged<T>(page: Page, fn: (content: Window, ...args: never[]) => unknown, ...args: unknown[]): Promise<T> {
  const value = await evalChrome<T | { error: string }>(page.browser(), `(async () => {
    ${PRELUDE}
    return JSON.stringify(await inContent(browserFor(${JSON.stringify(contextOf(page))}), ${JSON.stringify(fn.toString())}, ${JSON.stringify(args)}));
  })()`);
  if (value && typeof value === 'object' && 'error' in (value as object)) throw new Error(`in-page script failed: ${(value as { error: string }).error}`);
  return value as T;
}

/** Opens `url` in a new background tab in the window of `nextTo`, and returns its page. */
export async function openBackgroundTab(browser: Browser, nextTo: Page, url: string): Promise<Page> {
  const conn = connection(browser);
  const { result } = await conn.send('browsingContext.create', { type: 'tab', referenceContext: contextOf(nextTo), background: true });
  const context = result['context'] as string;
  await conn.send('browsingContext.navigate', { context, url, wait: 'none' });
  for (let i = 0; i < 100; i++) {
    const page = (await browser.pages()).find((p) => contextOf(p) === context);
    if (page) return page;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no page for the new tab ${url}`);
}

/**
 * Answers the add-on permission prompt Firefox shows for `page` (the doorhanger "… requests additional
 * permissions"), as the customer's click on Allow (or Cancel) does: the notification's own action runs.
 * Returns the origins it asked for, or null when no prompt came within the time.
 */
export async function answerPermissionPrompt(page: Page, allow: boolean, timeoutMs = 5_000): Promise<string | null> {
  return evalChrome<string | null>(page.browser(), `(async () => {
    ${PRELUDE}
    const b = browserFor(${JSON.stringify(contextOf(page))});
    const win = b.ownerDocument.defaultView;
    const deadline = Date.now() + ${timeoutMs};
    while (Date.now() < deadline) {
      const notification = win.PopupNotifications.getNotification('addon-webext-permissions', b);
      if (notification) {
        const text = String(notification.message ?? '');
        if (${allow}) notification.mainAction.callback();
        else notification.secondaryActions[0].callback();
        notification.remove();
        return JSON.stringify(text);
      }
      await new Promise((r) => win.setTimeout(r, 50));
    }
    return JSON.stringify(null);
  })()`);
}

/**
 * Runs `fn(content, ...args)` with system privileges in the add-on's background page (where the Firefox
 * build holds the peer), as `inPagePrivileged` does in a tab.
 */
export async function inBackgroundPrivileged<T>(browser: Browser, addonId: string, fn: (content: Window, ...args: never[]) => unknown, ...args: unknown[]): Promise<T> {
  const value = await evalChrome<T | { error: string }>(browser, `(async () => {
    ${PRELUDE}
    const extension = ExtensionParent.GlobalManager.getExtension(${JSON.stringify(addonId)});
    const b = extension.backgroundContext?.xulBrowser;
    if (!b) throw new Error('the background page is not running');
    return JSON.stringify(await inContent(b, ${JSON.stringify(fn.toString())}, ${JSON.stringify(args)}));
  })()`);
  if (value && typeof value === 'object' && 'error' in (value as object)) throw new Error(`background script failed: ${(value as { error: string }).error}`);
  return value as T;
}

/**
 * What Firefox's install prompt grants a Manifest V3 add-on installed from the store: its manifest's
 * host_permissions (the server's join pages here). A temporary add-on, as the tests install, skips that
 * prompt and with it the grant.
 */
export async function grantInstallHostPermissions(browser: Browser, addonId: string): Promise<string[]> {
  return evalChrome<string[]>(browser, `(async () => {
    ${PRELUDE}
    const { ExtensionPermissions } = ChromeUtils.importESModule('resource://gre/modules/ExtensionPermissions.sys.mjs');
    const extension = ExtensionParent.GlobalManager.getExtension(${JSON.stringify(addonId)});
    const origins = [...(extension.manifest.host_permissions ?? [])];
    await ExtensionPermissions.add(${JSON.stringify(addonId)}, { permissions: [], origins }, extension);
    return JSON.stringify(origins);
  })()`);
}
