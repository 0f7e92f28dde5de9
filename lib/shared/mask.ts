/**
 * The masking rules, applied inside the customer's page before any event leaves it (terms art. 2.1:
 * the technician sees as little private information as the help needs; DESIGN.md invariant 2).
 *
 * Defaults, not options: every value a form holds is masked (all input types, hidden and file included,
 * textareas, selects, the ticked state of checkboxes and radios) and so is contenteditable text.
 * A site can mask or block more (data-meekijk-mask / data-meekijk-block, or server site rules) and can
 * reveal an ordinary field (data-meekijk-unmask), but never a password, not even after a script changed
 * its type, and never a field with a sensitive autocomplete hint. docs/site-owners.md explains them.
 *
 * rrweb's own mask repeats `*` per character and so leaks the length of a password or card number; ours
 * is one constant.
 */
import { NO_PAGE_RULES, type PageRules } from '@/lib/protocol/site-rules';
import { composedClosest, safeMatches } from './dom';

export const MASK = '••••••';

export const MASK_ATTRIBUTE = 'data-meekijk-mask';
export const BLOCK_ATTRIBUTE = 'data-meekijk-block';
export const UNMASK_ATTRIBUTE = 'data-meekijk-unmask';
/** Set by the extension on a part the customer hid ("verberg dit"); only the customer can remove it. */
export const HIDDEN_ATTRIBUTE = 'data-meekijk-hidden';
/** The host element of everything Meekijk draws in the page (indicator, prompts, outline). */
export const UI_TAG = 'meekijk-ui';

/** Editable regions hold what a person typed; rrweb records their text as ordinary text. */
export const CONTENT_EDITABLE_SELECTOR = '[contenteditable]:not([contenteditable="false"])';

/** Always blocked / always text-masked, before any site rules. */
export const BLOCK_SELECTOR = `[${BLOCK_ATTRIBUTE}], [${HIDDEN_ATTRIBUTE}], ${UI_TAG}`;
export const MASK_TEXT_SELECTOR = `[${MASK_ATTRIBUTE}], ${CONTENT_EDITABLE_SELECTOR}`;

export interface MaskRules {
  /** Replaced by a same-size placeholder. */
  blockSelector: string;
  /** Text masked (rrweb's maskTextSelector, checked on ancestors). */
  maskTextSelector: string;
  /** Ordinary fields whose value may be shown; null when the site reveals nothing. */
  unmaskSelector: string | null;
}

/** Builds the selectors for one page; selectors the browser rejects are left out and reported. */
export function buildMaskRules(
  page: PageRules = NO_PAGE_RULES,
  isValid: (selector: string) => boolean = () => true,
  onInvalid: (selector: string) => void = () => undefined,
): MaskRules {
  const valid = (list: string[]) =>
    list.filter((selector) => {
      if (isValid(selector)) return true;
      onInvalid(selector);
      return false;
    });
  const join = (base: string, extra: string[]) => [base, ...valid(extra)].join(', ');
  const unmask = [`[${UNMASK_ATTRIBUTE}]`, ...valid(page.unmask)];
  return {
    blockSelector: join(BLOCK_SELECTOR, page.block),
    maskTextSelector: join(MASK_TEXT_SELECTOR, page.mask),
    unmaskSelector: unmask.join(', '),
  };
}

const FIELD_TAGS = new Set(['input', 'textarea', 'select']);
/** An input of these types shows its value as its label: page text, not something the customer typed. */
const LABEL_TYPES = new Set(['submit', 'button', 'reset', 'image']);
/** Never revealed, whatever the site says: tokens and file names. */
const NEVER_REVEALED_TYPES = new Set(['password', 'hidden', 'file']);

/** https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#autofill-field */
const SENSITIVE_AUTOCOMPLETE = /(^|\s)(cc-[a-z-]+|one-time-code|current-password|new-password|webauthn)(\s|$)/i;
const SENSITIVE_NAME_WORDS = /password|passwd|wachtwoord|passcode|pincode|secret|token|iban|cvc|cvv|creditcard|cardnumber/i;
const SENSITIVE_NAME_TOKENS = new Set(['pin', 'pwd', 'otp', 'tan', 'bsn', 'ssn', 'csc', 'cvc', 'cvv', 'pass']);

export function tagOf(element: Element): string {
  return element.localName.toLowerCase();
}

export function isFormField(element: Element): element is HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement {
  return FIELD_TAGS.has(tagOf(element));
}

/** The normalised `type` of an input ('' for anything else); unknown types read as "text", as in the browser. */
export function inputType(element: Element): string {
  if (tagOf(element) !== 'input') return '';
  const type = (element as HTMLInputElement).type;
  return typeof type === 'string' ? type.toLowerCase() : 'text';
}

/** A button-like input: its value is its page-authored label. */
export function isLabelInput(element: Element): boolean {
  return LABEL_TYPES.has(inputType(element));
}

export function isChoiceInput(element: Element): boolean {
  const type = inputType(element);
  return type === 'checkbox' || type === 'radio';
}

/** Remembers which fields have ever been password fields, so a "show password" toggle reveals nothing. */
export interface PasswordMemory {
  note(element: Element): void;
  was(element: Element): boolean;
}

export function createPasswordMemory(): PasswordMemory {
  const seen = new WeakSet<Element>();
  return {
    note(element) {
      if (inputType(element) === 'password') seen.add(element);
    },
    was(element) {
      // rrweb marks an input whose type changed away from password with data-rr-is-password.
      return seen.has(element) || inputType(element) === 'password' || element.hasAttribute('data-rr-is-password');
    },
  };
}

function nameTokens(value: string): string[] {
  return value
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Passwords (now or ever), fields with a sensitive autocomplete hint, and fields named like secrets. */
export function isSensitiveField(element: Element, passwords: PasswordMemory): boolean {
  if (passwords.was(element)) return true;
  const autocomplete = element.getAttribute('autocomplete') ?? '';
  if (SENSITIVE_AUTOCOMPLETE.test(autocomplete)) return true;
  for (const attribute of ['name', 'id']) {
    const value = element.getAttribute(attribute) ?? '';
    if (SENSITIVE_NAME_WORDS.test(value)) return true;
    if (nameTokens(value).some((token) => SENSITIVE_NAME_TOKENS.has(token))) return true;
  }
  return false;
}

/**
 * Whether the technician may see this field's value: only when the site marked it (or an ancestor) with
 * an unmask rule, and never for passwords, sensitive fields, hidden or file inputs, or fields inside a
 * masked or blocked region.
 */
export function mayReveal(element: Element, rules: MaskRules, passwords: PasswordMemory): boolean {
  if (!rules.unmaskSelector || !isFormField(element)) return false;
  if (NEVER_REVEALED_TYPES.has(inputType(element))) return false;
  if (isSensitiveField(element, passwords)) return false;
  if (composedClosest(element, rules.blockSelector) || composedClosest(element, rules.maskTextSelector)) return false;
  return composedClosest(element, rules.unmaskSelector) !== null;
}

/**
 * The value the technician gets for a field: the one constant mask, whatever the value (empty included,
 * so not even "has the customer typed anything" shows), unless the field is a button label or revealed.
 */
export function maskValue(value: string, element: Element, rules: MaskRules, passwords: PasswordMemory): string {
  passwords.note(element);
  if (isLabelInput(element)) return value;
  return mayReveal(element, rules, passwords) ? value : maskedValue(element);
}

/**
 * Inputs whose value must parse (a number, a date, a colour): the mask text would make the viewer's
 * browser reject it and log an error, so they get the empty value instead, the same for every value
 * ("has the customer filled it in" does not show either). A range shows its middle, a colour black.
 */
const PARSED_TYPES = new Set(['number', 'range', 'date', 'datetime-local', 'month', 'week', 'time']);

/** What a masked field shows the technician. */
export function maskedValue(element: Element): string {
  const type = inputType(element);
  if (type === 'color') return '#000000';
  return PARSED_TYPES.has(type) ? '' : MASK;
}

/** Masked text keeps whitespace-only nodes as they are, so the layout stays readable. */
export function maskText(text: string): string {
  return text.trim() === '' ? text : MASK;
}

/** Attributes that carry words rather than structure; masked inside masked and editable regions. */
const TEXT_ATTRIBUTES = new Set([
  'title', 'alt', 'placeholder', 'label', 'value', 'content', 'summary', 'abbr', 'download',
  'aria-label', 'aria-valuetext', 'aria-description', 'aria-roledescription', 'aria-placeholder', 'aria-valuenow',
]);

export function isTextAttribute(name: string): boolean {
  const lower = name.toLowerCase();
  if (TEXT_ATTRIBUTES.has(lower)) return true;
  return lower.startsWith('data-') && !lower.startsWith('data-meekijk-') && !lower.startsWith('data-rr-');
}

export function isEditable(element: Element): boolean {
  return (element as HTMLElement).isContentEditable === true || safeMatches(element, CONTENT_EDITABLE_SELECTOR);
}

/**
 * Values worth looking for elsewhere in the page (lib/page/privacy/secrets.ts): what a person types. Not
 * button labels, the page's own option values, hidden tokens, or fields the site chose to reveal.
 */
export function isTypedValue(element: Element, rules: MaskRules, passwords: PasswordMemory): boolean {
  if (isLabelInput(element) || isChoiceInput(element) || tagOf(element) === 'select' || inputType(element) === 'hidden') return false;
  return !mayReveal(element, rules, passwords);
}
