/**
 * Where the customer finds our button (issue 23): Chrome hides an extension under the puzzle-piece menu
 * until it is pinned, so the join page says which to click. Both facts come from the browser, and either
 * may be unknown (null): then the page names both ways.
 */
import browser from 'webextension-polyfill';

export interface ToolbarFacts {
  /** The Meekijk button is on the toolbar (pinned), not in the extensions menu. */
  pinned: boolean | null;
  /** The keyboard shortcut that opens the popup (manifest `commands`), as the browser shows it, if set. */
  shortcut: string | null;
}

export async function toolbarFacts(): Promise<ToolbarFacts> {
  let pinned: boolean | null = null;
  try {
    // action.getUserSettings: Chrome 91+, Firefox 118+.
    const settings: { isOnToolbar?: unknown } = await browser.action.getUserSettings();
    if (typeof settings.isOnToolbar === 'boolean') pinned = settings.isOnToolbar;
  } catch {
    pinned = null;
  }
  let shortcut: string | null = null;
  try {
    const command = (await browser.commands.getAll()).find((c) => c.name === '_execute_action');
    shortcut = command?.shortcut || null;
  } catch {
    shortcut = null;
  }
  return { pinned, shortcut };
}
