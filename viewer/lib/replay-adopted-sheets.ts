/**
 * Adopted stylesheets for a shadow root the replay has not built yet (issue 20: a component lost its
 * border). A component attaches its shadow root and adopts its constructed stylesheets at once, and often
 * renders into it later. rrweb's recorder reports the adoption as soon as it sees the root; its replayer
 * creates a shadow root only when a first child arrives in it, and drops an adoption for a host without
 * one, so the styles never applied. An adoption for an element says the customer's element has a shadow
 * root: the replay gets an (empty) one too, as the customer's page has, and the sheets go on it. A child
 * that arrives later goes into it (rrweb attaches a shadow root only where there is none).
 */
import type { Replayer } from 'rrweb';
import type { adoptedStyleSheetData } from '@rrweb/types';

interface AdoptingReplayer {
  applyAdoptedStyleSheet(data: adoptedStyleSheetData): void;
}

const ELEMENT_NODE = 1;

export function attachShadowOnAdoption(replayer: Replayer): void {
  // A private method of rrweb's Replayer (checked below, so an rrweb that renames it fails loudly in the tests).
  const target = replayer as unknown as AdoptingReplayer;
  const apply = target.applyAdoptedStyleSheet;
  if (typeof apply !== 'function') throw new Error('rrweb Replayer has no applyAdoptedStyleSheet: check viewer/lib/replay-adopted-sheets.ts');
  target.applyAdoptedStyleSheet = function (data) {
    const host = replayer.getMirror().getNode(data.id);
    if (host?.nodeType === ELEMENT_NODE && !(host as Element).shadowRoot) {
      try {
        (host as Element).attachShadow({ mode: 'open' });
      } catch {
        // An element that cannot have a shadow root (say, an <input>): rrweb ignores the adoption, as before.
      }
    }
    apply.call(this, data);
  };
}
