/**
 * The customer's privacy bar in the shared tab: "Verberg iets" (hide something, then one click on the
 * part), a switch for the outline of what the technician cannot see, with its legend, and "show all
 * again". A closed shadow root on a <meekijk-ui> host: page scripts cannot read, restyle or click it
 * (only trusted clicks count), and the recorder blocks it.
 */
import { mountUiHost } from './ui-host';
import { PANEL_STYLE } from './outline-styles';

export interface HidePanelOptions {
  doc?: Document;
  t: (key: string) => string;
  onPick: () => void;
  onCancelPick: () => void;
  onOutline: (visible: boolean) => void;
  onUnhideAll: () => void;
}

export interface HidePanel {
  /** Where the picker draws its catcher and highlight (inside our closed root). */
  readonly root: ShadowRoot;
  setPicking(picking: boolean): void;
  setOutline(visible: boolean): void;
  setHiddenCount(count: number): void;
  stop(): void;
}

export function showHidePanel({ doc = document, t, onPick, onCancelPick, onOutline, onUnhideAll }: HidePanelOptions): HidePanel {
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = '') => {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  };
  const panel = el('div', 'panel');
  panel.setAttribute('role', 'region');
  panel.setAttribute('aria-label', t('privacyPanelLabel'));
  const hint = el('div', 'hint', t('privacyPickHint'));
  hint.setAttribute('role', 'status');
  hint.hidden = true;
  const legend = el('div', 'legend');
  const masked = el('div', '', t('privacyLegendMasked'));
  masked.prepend(el('span', 'm'));
  const hidden = el('div', '', t('privacyLegendHidden'));
  hidden.prepend(el('span', 'h'));
  legend.append(masked, hidden);
  const bar = el('div', 'bar');
  const hide = el('button', 'primary', t('privacyHide'));
  const outline = el('button', '', t('privacyOutline'));
  outline.setAttribute('aria-pressed', 'true');
  const showAll = el('button', '', t('privacyShowAll'));
  showAll.hidden = true;
  for (const button of [hide, outline, showAll]) button.setAttribute('type', 'button');
  bar.append(hide, outline, showAll);
  panel.append(hint, legend, bar);
  const ui = mountUiHost(doc, PANEL_STYLE, panel);

  let picking = false;
  const trusted = (handler: () => void) => (event: Event) => {
    if (event.isTrusted) handler();
  };
  hide.addEventListener('click', trusted(() => (picking ? onCancelPick() : onPick())));
  outline.addEventListener('click', trusted(() => onOutline(outline.getAttribute('aria-pressed') !== 'true')));
  showAll.addEventListener('click', trusted(onUnhideAll));

  return {
    root: ui.root,
    setPicking(next) {
      picking = next;
      hint.hidden = !next;
      hide.textContent = t(next ? 'privacyPickStop' : 'privacyHide');
    },
    setOutline(visible) {
      outline.setAttribute('aria-pressed', String(visible));
      legend.hidden = !visible;
    },
    setHiddenCount(count) {
      showAll.hidden = count === 0;
    },
    stop() {
      ui.remove();
    },
  };
}
