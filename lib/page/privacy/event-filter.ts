/**
 * The last gate in the page before an rrweb event is posted anywhere: it re-applies every masking rule
 * to the finished event, looking at the live element behind each node id. rrweb masks most things itself
 * (with our options), but its tracker lists gaps we close here rather than trust a version bump:
 * hidden and file inputs (rrweb #1609), the ticked state of checkboxes and radios and the `selected`
 * attribute of options (getsentry/rrweb #75, rrweb #746), textarea text changed through its text node,
 * attribute words inside masked regions (rrweb #1361, #1581), contenteditable and designMode text,
 * masking and blocking across shadow roots and frames (`closest` stops at a shadow root), iframe
 * `srcdoc` (DataDog browser-sdk #2714), HTML comments, and query strings in the page URL.
 * Every string that is let through then passes the gate (gate.ts), on every channel: text, every
 * attribute (style and inline stylesheets included), button labels, the URL, and through `deep` every
 * other event (stylesheet rules inserted, replaced or adopted, style declarations, custom events).
 */
import {
  EventType,
  IncrementalSource,
  NodeType,
  type attributes as SerializedAttributes,
  type eventWithTime,
  type inputData,
  type mutationData,
  type serializedNodeWithId,
} from '@rrweb/types';
import { composedClosest, frameOf, isElement, ownerElement, safeMatches } from '@/lib/shared/dom';
import {
  MASK,
  isEditable,
  isLabelInput,
  isTextAttribute,
  isTypedValue,
  maskText,
  maskValue,
  maskedValue,
  mayReveal,
  tagOf,
  type MaskRules,
  type PasswordMemory,
} from '@/lib/shared/mask';
import type { Gate } from './gate';
import { maskUrl, type SecretScrubber } from './secrets';
import { createSplitText } from './split-text';
import { foreignFrameAttributes, isForeignFrame, isFrameTag, toForeignPlaceholder } from './foreign-frames';

export interface FilterDeps {
  rules: MaskRules;
  passwords: PasswordMemory;
  secrets: SecretScrubber;
  gate: Gate;
  /** A masked select was sent: the viewer must be told it has no choice (privacy.ts sends an input event). */
  onMaskedSelect?: (id: number) => void;
  /** rrweb's mirror: serialized node id -> the live node in this page or a same-origin frame. */
  nodeOf: (id: number) => Node | null;
}

interface Region {
  masked: boolean;
  blocked: boolean;
  editable: boolean;
  /** Tag of the element whose children we are looking at ('' at a document). */
  tag: string;
}

const TOP: Region = { masked: false, blocked: false, editable: false, tag: '' };
/** A node we cannot find in the page: assume the worst for its text. */
const UNKNOWN: Region = { masked: true, blocked: false, editable: true, tag: '' };
const FIELD_TAGS = new Set(['input', 'textarea', 'select']);
/** Pointer, scroll and viewport samples: numbers and node ids only, and many of them. */
const NUMBERS_ONLY: ReadonlySet<number> = new Set([
  IncrementalSource.MouseMove, IncrementalSource.MouseInteraction, IncrementalSource.Scroll, IncrementalSource.ViewportResize,
  IncrementalSource.TouchMove, IncrementalSource.Drag,
]);

export type EventFilter = (event: eventWithTime) => eventWithTime | null;

export function createEventFilter({ rules, passwords, secrets, gate, nodeOf, onMaskedSelect }: FilterDeps): EventFilter {
  const split = createSplitText(gate.find);
  const regionOf = (node: Node): Region => {
    const isDocument = node.nodeType === 9;
    const element = isDocument ? frameOf(node) : ownerElement(node);
    const doc = isDocument ? (node as Document) : node.ownerDocument;
    const designMode = doc?.designMode === 'on';
    if (!element) return { ...TOP, editable: designMode };
    return {
      masked: composedClosest(element, rules.maskTextSelector) !== null,
      blocked: composedClosest(element, rules.blockSelector) !== null,
      editable: designMode || (!isDocument && isEditable(element)),
      tag: isDocument ? '' : tagOf(element),
    };
  };

  /** Notes a real field value so the scrubber can find it elsewhere (typed values only). */
  const rememberField = (value: string, element: Element) => {
    if (isTypedValue(element, rules, passwords)) secrets.hold(element, value);
  };

  const filterAttributes = (attrs: Record<string, unknown>, element: Element | null, tag: string, region: Region) => {
    for (const name of Object.keys(attrs)) {
      const value = attrs[name];
      const lower = name.toLowerCase();
      // The frame's own document is recorded (and masked) on its own; srcdoc would carry it raw. rrweb
      // keeps the address of a frame it cannot read as rr_src: the replay never loads it (issue 20).
      if (lower === 'srcdoc' || lower === 'rr_src') {
        delete attrs[name];
        continue;
      }
      if (typeof value !== 'string') {
        // A changed style attribute comes as its changed properties: { "--preview": ["'typed'", ""] }.
        if (value && typeof value === 'object') gate.deep(value);
        continue;
      }
      if (lower === 'value' && FIELD_TAGS.has(tag)) {
        if (element) rememberField(value, element);
        attrs[name] = gate.text(element ? maskValue(value, element, rules, passwords) : MASK);
      } else if (lower === 'value' && tag.includes('-')) {
        // A custom element's value is its inner field's (form-associated elements reflect it), and a
        // closed shadow root keeps that field out of our reach.
        attrs[name] = value.trim() === '' ? value : MASK;
      } else if ((region.masked || region.editable) && isTextAttribute(lower)) {
        secrets.remember(value);
        attrs[name] = maskText(value);
      } else {
        // Every other attribute, `style` and inline stylesheets (_cssText) included.
        attrs[name] = gate.text(value);
      }
    }
    // Which box is ticked and which option is chosen are form values too.
    if (tag === 'input' && 'checked' in attrs && !(element && mayReveal(element, rules, passwords))) delete attrs.checked;
    if (tag === 'option' && 'selected' in attrs) {
      const select = element?.closest('select');
      if (!(select && mayReveal(select, rules, passwords))) delete attrs.selected;
    }
  };

  const toPlaceholder = (node: Extract<serializedNodeWithId, { type: NodeType.Element }>, element: Element | null) => {
    const { rr_width, rr_height } = node.attributes;
    const box = element?.getBoundingClientRect();
    const attributes: SerializedAttributes = {
      rr_width: typeof rr_width === 'string' ? rr_width : `${box?.width ?? 0}px`,
      rr_height: typeof rr_height === 'string' ? rr_height : `${box?.height ?? 0}px`,
    };
    if (typeof node.attributes.class === 'string') attributes.class = node.attributes.class;
    node.attributes = attributes;
    node.childNodes = [];
  };

  const walk = (node: serializedNodeWithId, parent: Region): void => {
    switch (node.type) {
      case NodeType.Document: {
        const live = nodeOf(node.id);
        const region = live ? { ...parent, editable: parent.editable || (live as Document).designMode === 'on', tag: '' } : parent;
        node.childNodes.forEach((child) => walk(child, region));
        return;
      }
      case NodeType.Element: {
        const live = nodeOf(node.id);
        const element = isElement(live) ? live : null;
        const region: Region = element
          ? {
              masked: parent.masked || safeMatches(element, rules.maskTextSelector),
              blocked: parent.blocked || safeMatches(element, rules.blockSelector),
              editable: parent.editable || isEditable(element),
              tag: node.tagName,
            }
          : { ...UNKNOWN, blocked: parent.blocked, tag: node.tagName };
        if (region.blocked) return toPlaceholder(node, element);
        // A frame of another origin, or one we cannot find in the page: a labelled box, nothing of it sent.
        if (isFrameTag(node.tagName) && (!element || isForeignFrame(element))) return toForeignPlaceholder(node, element, gate.text);
        filterAttributes(node.attributes, element, node.tagName, region);
        node.childNodes.forEach((child) => walk(child, region));
        // rrweb rebuilds a select showing its first option (or one marked selected): a choice the
        // customer may never have made. The input event privacy.ts sends after this one clears it.
        if (node.tagName === 'select' && !(element && mayReveal(element, rules, passwords))) onMaskedSelect?.(node.id);
        return;
      }
      case NodeType.Text:
        node.textContent = filterText(node.textContent, parent, nodeOf(node.id)) ?? '';
        return;
      case NodeType.Comment:
        // Never shown, and server-rendered pages leave debug data in them.
        node.textContent = '';
        return;
      default:
        return;
    }
  };

  /** A text's new value under `region`, or null to drop it. `live` is the text node in the page. */
  const filterText = (text: string, region: Region, live: Node | null): string | null => {
    if (typeof text !== 'string') return text;
    if (region.tag === 'textarea') return ''; // the textarea's value attribute carries it, masked
    if (region.masked || region.editable) {
      // Typed text: one value per text node, however many key presses it took (secrets.ts).
      if (live) secrets.hold(live, text);
      else secrets.remember(text);
      return maskText(text);
    }
    // <style> and <script> text too: a script can write typed text into a rule's `content:`.
    if (live && split.overlaps(live)) return maskText(text);
    return gate.text(text);
  };

  const filterMutation = (data: mutationData) => {
    data.adds = data.adds.filter((add) => {
      const live = nodeOf(add.node.id);
      const parentNode = live?.parentNode ?? nodeOf(add.parentId);
      const region = parentNode ? regionOf(parentNode) : UNKNOWN;
      if (region.blocked) return false;
      walk(add.node, region);
      return true;
    });
    data.texts = data.texts.filter((text) => {
      const parentNode = nodeOf(text.id)?.parentNode;
      const region = parentNode ? regionOf(parentNode) : UNKNOWN;
      if (region.blocked || region.tag === 'textarea') return false;
      if (text.value !== null) text.value = filterText(text.value, region, nodeOf(text.id));
      return true;
    });
    data.attributes = data.attributes.filter((change) => {
      const live = nodeOf(change.id);
      const element = isElement(live) ? live : null;
      const region = element ? regionOf(element) : UNKNOWN;
      if (region.blocked) return false;
      if (element && isForeignFrame(element)) change.attributes = foreignFrameAttributes(change.attributes);
      filterAttributes(change.attributes, element, element ? tagOf(element) : '', region);
      return Object.keys(change.attributes).length > 0;
    });
  };

  const filterInput = (data: inputData): boolean => {
    const live = nodeOf(data.id);
    if (!isElement(live)) {
      data.text = MASK;
      data.isChecked = false;
      return true;
    }
    if (composedClosest(live, rules.blockSelector)) return false;
    const reveal = mayReveal(live, rules, passwords);
    // Already masked by rrweb (maskInputFn) in the recorder; noted here too for events that were not.
    rememberField(data.text, live);
    if (!isLabelInput(live) && !reveal) data.text = maskedValue(live);
    // A button's label is page text, and a script may have built it from what was typed.
    data.text = gate.text(data.text);
    if (!reveal) data.isChecked = false;
    return true;
  };

  return (event) => {
    split.reset();
    switch (event.type) {
      case EventType.Meta:
        secrets.rememberUrl(event.data.href);
        event.data.href = gate.text(maskUrl(event.data.href));
        return event;
      case EventType.FullSnapshot:
        walk(event.data.node, TOP);
        return event;
      case EventType.IncrementalSnapshot:
        if (event.data.source === IncrementalSource.Mutation) filterMutation(event.data);
        else if (event.data.source === IncrementalSource.Input) return filterInput(event.data) ? event : null;
        // Every other channel (stylesheet rules inserted, replaced or adopted, style declarations, custom
        // elements, media, selections, and whatever rrweb adds): each string through the gate.
        else if (!NUMBERS_ONLY.has(event.data.source)) gate.deep(event.data);
        return event;
      case EventType.Custom:
      case EventType.Plugin:
        gate.deep(event.data);
        return event;
      default:
        return event;
    }
  };
}
