/**
 * Placeholders the customer's side puts in the recorded events where it sends nothing of a part of the
 * page, and the viewer labels in the technician's language (issue 20, docs/replay-assets.md).
 *
 * A placeholder is an empty `<div>` with this attribute, the part's id, class and inline style (for its
 * place in the layout), and its size at the time (rrweb's `rr_width`/`rr_height`). The viewer styles it
 * and writes the label; the events carry no words for it.
 */
export const PLACEHOLDER_ATTRIBUTE = 'data-meekijk-placeholder';

/** `other-site`: a frame showing a page of another origin (a payment widget, an embed); none of it is recorded. */
export const PLACEHOLDER_KINDS = ['other-site'] as const;
export type PlaceholderKind = (typeof PLACEHOLDER_KINDS)[number];
