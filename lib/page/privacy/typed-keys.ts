/**
 * What the customer types into a field we cannot read: one inside a closed shadow root (a custom element
 * that keeps its <input> to itself, then reflects the value onto its host as `value` or `aria-label`).
 * Its `input` events still reach the document (they are composed), retargeted to the host, and carry the
 * characters typed (InputEvent.data), so the value is rebuilt from them, per host, and handed to the
 * scrubber like any field's (terms art. 2.1). Fields we can read (rrweb records them) are left alone.
 */
import { isFormField, isEditable } from '@/lib/shared/mask';
import type { SecretScrubber } from './secrets';

export interface TypedKeys {
  /** The value being typed into `element` (a host we cannot look into), if any. */
  valueOf(element: Element): string | undefined;
  stop(): void;
}

const MAX_VALUE = 2000;

export function watchTypedKeys(doc: Document, secrets: SecretScrubber): TypedKeys {
  const values = new WeakMap<EventTarget, string>();
  const onInput = (event: Event) => {
    const path = event.composedPath();
    const inner = path[0];
    if (!inner || !(inner as Element).nodeType) return;
    const element = inner as Element;
    // rrweb reads this one itself.
    if (isFormField(element) || isEditable(element)) return;
    const { inputType, data } = event as InputEvent;
    let value = values.get(element) ?? '';
    if (inputType === 'deleteContentBackward') value = value.slice(0, -1);
    else if (inputType === 'deleteContentForward') value = value;
    else if (typeof data === 'string' && data && /^insert/.test(inputType ?? 'insert')) value = (value + data).slice(-MAX_VALUE);
    else value = ''; // a cut, an undo, a whole-word delete: start again (what was there stays remembered)
    values.set(element, value);
    secrets.hold(element, value);
  };
  doc.addEventListener('input', onInput, { capture: true });
  return {
    valueOf: (element) => values.get(element),
    stop: () => doc.removeEventListener('input', onInput, { capture: true }),
  };
}
