/**
 * The customer's own privacy tools in the shared tab (issue 5, "the customer decides too"): hide any
 * part of the page with one click, see at a glance what the technician cannot see, and unhide, which
 * only the customer can do. What is hidden goes to the recorder as blocked selectors (and a mark on the
 * element); the recorder starts over with a fresh snapshot, so the technician's view drops it.
 */
import browser from 'webextension-polyfill';
import type { PageRules } from '@/lib/protocol/site-rules';
import { isValidSelector } from '@/lib/shared/dom';
import { buildMaskRules, createPasswordMemory } from '@/lib/shared/mask';
import { showHidePanel } from './hide-panel';
import { startPicker } from './hide-picker';
import { createHideState } from './hide-state';
import { showOutline } from './outline';
import { findTargets } from './outline-targets';

export interface PrivacyToolsOptions {
  siteRules: PageRules;
  /** The selectors the recorder must block from now on (all of them, each time). */
  onHiddenChange: (selectors: string[]) => void;
  doc?: Document;
  t?: (key: string) => string;
}

export function showPrivacyTools({ siteRules, onHiddenChange, doc = document, t = (key) => browser.i18n.getMessage(key) }: PrivacyToolsOptions): () => void {
  const passwords = createPasswordMemory();
  const state = createHideState({
    doc,
    onChange: (selectors) => {
      onHiddenChange(selectors);
      panel.setHiddenCount(state.count);
      outline.rescan();
    },
  });
  const rules = () => buildMaskRules({ ...siteRules, block: [...siteRules.block, ...state.selectors()] }, (s) => isValidSelector(s, doc));
  const outline = showOutline({
    doc,
    t,
    targets: () => findTargets(doc, { rules: rules(), passwords, isHidden: (element) => state.hiddenPartOf(element) !== null }),
    onUnhide: (element) => state.unhide(element),
  });

  let stopPicker: (() => void) | undefined;
  const endPick = () => {
    stopPicker?.();
    stopPicker = undefined;
    panel.setPicking(false);
  };
  const panel = showHidePanel({
    doc,
    t,
    onPick: () => {
      if (stopPicker) return;
      stopPicker = startPicker({
        root: panel.root,
        doc,
        t,
        onPick: (element) => {
          endPick();
          state.hide(element);
        },
        onCancel: endPick,
      });
      panel.setPicking(true);
    },
    onCancelPick: endPick,
    onOutline: (visible) => {
      outline.setVisible(visible);
      panel.setOutline(visible);
    },
    onUnhideAll: () => state.unhideAll(),
  });

  return () => {
    stopPicker?.();
    panel.stop();
    outline.stop();
    state.stop();
  };
}
