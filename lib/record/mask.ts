/**
 * Masking rules, applied inside the customer's page before any event leaves it (art. 2.1).
 * rrweb's default mask repeats `*` for every character, which leaks the length of a password or a card
 * number; ours is a constant.
 */
export const MASK = '••••••';

/** Every input value is masked, whatever the element. The length is never revealed. */
export function maskInput(_value: string, _element: HTMLElement): string {
  return MASK;
}

/** Text inside `data-meekijk-mask` elements: keep the shape of whitespace so layout stays readable. */
export function maskText(text: string): string {
  return text.trim() === '' ? text : MASK;
}

/** Elements a site marks as private are replaced by a same-size placeholder in the recording. */
export const BLOCK_SELECTOR = '[data-meekijk-block], meekijk-ui';
/** Elements a site marks for text masking. */
export const MASK_TEXT_SELECTOR = '[data-meekijk-mask]';
