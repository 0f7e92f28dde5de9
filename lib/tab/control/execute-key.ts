/**
 * Types an approved key from the technician into the field that has focus in the shared tab (issue 23),
 * as approved clicks are executed (execute-click.ts): called by tab-control.ts only while control is
 * granted, and the background decides first. Never into a password, payment-card or other sensitive field
 * (lib/shared/mask.ts), a site's `data-meekijk-no-control` zone, what the technician cannot see, or our
 * own UI. The text goes in through the value setter and an `input` event, as a user's typing does, so the
 * recorder masks it like anything else the customer types (invariant 2).
 */
import { composedClosest } from '@/lib/shared/dom';
import { createPasswordMemory, inputType, isSensitiveField, UI_TAG } from '@/lib/shared/mask';
import type { KeyOutcome, NamedKey } from '@/lib/protocol/control';
import { NO_CONTROL_ATTRIBUTE } from './execute-click';

/** Inputs that take typed text; others (checkbox, date, range, file...) are operated by clicks. */
const TEXT_TYPES = new Set(['text', 'search', 'email', 'url', 'tel', 'number']);
const passwords = createPasswordMemory();

export type TypedTarget = { element: HTMLInputElement | HTMLTextAreaElement; describe: string };

/** The focused element, looking into open shadow roots (a closed one hides its field from us too). */
function focusedElement(doc: Document): Element | null {
  let active = doc.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** The field a key would go into, or why there is none that may take it. */
export function typingTarget(doc: Document, blockSelector: string): TypedTarget | Extract<KeyOutcome, { ok: false }> {
  const element = focusedElement(doc);
  if (!element || element === doc.body) return { ok: false, reason: 'no-field' };
  if (composedClosest(element, UI_TAG)) return { ok: false, reason: 'no-field' };
  const tag = element.localName;
  const isText = tag === 'textarea' || (tag === 'input' && TEXT_TYPES.has(inputType(element)));
  passwords.note(element);
  // A password field (now or ever) is refused before anything else is said about it.
  if (tag === 'input' && passwords.was(element)) return { ok: false, reason: 'protected-field' };
  if (!isText) return { ok: false, reason: 'no-field' };
  const field = element as HTMLInputElement | HTMLTextAreaElement;
  if (field.disabled || field.readOnly) return { ok: false, reason: 'no-field' };
  if (isSensitiveField(field, passwords)) return { ok: false, reason: 'protected-field' };
  if (composedClosest(field, `[${NO_CONTROL_ATTRIBUTE}]`)) return { ok: false, reason: 'no-control-zone' };
  if (composedClosest(field, blockSelector)) return { ok: false, reason: 'blocked' };
  return { element: field, describe: tag === 'textarea' ? 'textarea' : `input type=${inputType(field)}` };
}

/** The value setter of the element's own class, past any a framework put on the instance (React's tracker). */
function setValue(field: HTMLInputElement | HTMLTextAreaElement, value: string) {
  const proto = Object.getPrototypeOf(field) as object;
  const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
  if (setter) setter.call(field, value);
  else field.value = value;
}

/** Selection offsets; number inputs have none, so text goes at the end. */
function selection(field: HTMLInputElement | HTMLTextAreaElement): [number, number] {
  try {
    const start = field.selectionStart;
    const end = field.selectionEnd;
    if (start !== null && end !== null) return [start, end];
  } catch {
    // type=number/email throw on selectionStart in some browsers
  }
  return [field.value.length, field.value.length];
}

function place(field: HTMLInputElement | HTMLTextAreaElement, at: number) {
  try {
    field.setSelectionRange(at, at);
  } catch {
    // not every type has a selection
  }
}

/** Types `key` (one printable character or a named key) into the target. Returns what was done. */
export function executeKey(target: TypedTarget, key: string | NamedKey): KeyOutcome {
  const field = target.element;
  const value = field.value;
  const [start, end] = selection(field);
  const edit = (next: string, caret: number, inputType: string, data: string | null) => {
    if (field.maxLength > 0 && next.length > field.maxLength && next.length > value.length) return;
    setValue(field, next);
    place(field, caret);
    field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType, data }));
  };
  switch (key) {
    case 'Backspace':
      if (start !== end) edit(value.slice(0, start) + value.slice(end), start, 'deleteContentBackward', null);
      else if (start > 0) edit(value.slice(0, start - 1) + value.slice(end), start - 1, 'deleteContentBackward', null);
      break;
    case 'Delete':
      if (start !== end) edit(value.slice(0, start) + value.slice(end), start, 'deleteContentForward', null);
      else if (end < value.length) edit(value.slice(0, start) + value.slice(end + 1), start, 'deleteContentForward', null);
      break;
    case 'ArrowLeft':
      place(field, Math.max(0, start === end ? start - 1 : start));
      break;
    case 'ArrowRight':
      place(field, Math.min(value.length, start === end ? end + 1 : end));
      break;
    case 'Home':
      place(field, 0);
      break;
    case 'End':
      place(field, value.length);
      break;
    case 'Enter':
      if (field.localName === 'textarea') edit(value.slice(0, start) + '\n' + value.slice(end), start + 1, 'insertLineBreak', null);
      else if (field.form) {
        // In a single-line field Enter submits its form, as the customer's own Enter would; not a form
        // the site keeps from remote control (its pay button, say).
        const form = field.form;
        if (composedClosest(form, `[${NO_CONTROL_ATTRIBUTE}]`) || form.querySelector(`[${NO_CONTROL_ATTRIBUTE}]`)) return { ok: false, reason: 'no-control-zone' };
        form.requestSubmit();
      }
      break;
    default:
      edit(value.slice(0, start) + key + value.slice(end), start + key.length, 'insertText', key);
  }
  return { ok: true };
}
