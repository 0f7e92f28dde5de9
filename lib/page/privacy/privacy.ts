/**
 * Everything the recorder needs to keep private data in the page: the rrweb options that do the first
 * pass of masking while serialising, and the event filter that checks every finished event again before
 * it is posted out of the page world (lib/page/privacy/event-filter.ts). Both read the same rules.
 */
import type { eventWithTime } from '@rrweb/types';
import type { recordOptions } from 'rrweb';
import type { PageRules } from '@/lib/protocol/site-rules';
import { isValidSelector } from '@/lib/shared/dom';
import { EventType, IncrementalSource } from '@rrweb/types';
import { createEventFilter } from './event-filter';
import { createGate } from './gate';
import { MASK, buildMaskRules, createPasswordMemory, isEditable, isFormField, isTypedValue, maskText, maskValue, type MaskRules, type PasswordMemory } from '@/lib/shared/mask';
import { createSecretScrubber } from './secrets';
import { watchTypedKeys, type TypedKeys } from './typed-keys';

/**
 * rrweb looks fields up here by tag name first, then by type; `input` covers every input type (hidden and
 * file included, which rrweb's own maskAllInputs leaves out, rrweb #1609). maskInput decides per element.
 */
type RecordOptions = recordOptions<eventWithTime>;
type MaskInputOptions = NonNullable<RecordOptions['maskInputOptions']>;
type SlimDOMOptions = Exclude<NonNullable<RecordOptions['slimDOMOptions']>, boolean | 'all'>;

const EVERY_FIELD: MaskInputOptions & Record<'input', boolean> = { input: true, textarea: true, select: true, password: true };

/** Comments are never shown and often carry server debug output; verification metas carry CSRF tokens. */
const SLIM_DOM: SlimDOMOptions = { comment: true, headMetaVerification: true };

export interface PrivacyOptions {
  /** Extra selectors the server configured for this site. */
  page?: PageRules;
  /** rrweb's mirror: serialized node id -> live node. */
  nodeOf: (id: number) => Node | null;
  onInvalidSelector?: (selector: string) => void;
  doc?: Document;
  href?: () => string;
}

export interface Privacy {
  rules: MaskRules;
  recordOptions: {
    maskAllInputs: false;
    maskInputOptions: MaskInputOptions;
    maskInputFn: (text: string, element: HTMLElement) => string;
    maskTextSelector: string;
    maskTextFn: (text: string, element: HTMLElement | null) => string;
    blockSelector: string;
    slimDOMOptions: SlimDOMOptions;
  };
  /** The event as it may leave the page (none when nothing of it may), and what must follow it. */
  filter(event: eventWithTime): eventWithTime[];
  stop(): void;
}

export function createPrivacy({ page, nodeOf, onInvalidSelector, doc = document, href = () => doc.location.href }: PrivacyOptions): Privacy {
  const rules = buildMaskRules(page, (selector) => isValidSelector(selector, doc), onInvalidSelector);
  const passwords = createPasswordMemory();
  const secrets = createSecretScrubber();
  // Terms art. 2.1: personal numbers always; e-mail addresses and phone numbers where the site asks.
  const gate = createGate(secrets, page?.detect ?? []);
  const typedKeys = watchTypedKeys(doc, secrets);
  const maskedSelects: number[] = [];
  const filter = createEventFilter({ rules, passwords, secrets, gate, nodeOf, onMaskedSelect: (id) => maskedSelects.push(id) });
  let seenHref = '';
  return {
    rules,
    recordOptions: {
      // Not "masking off": rrweb's maskAllInputs would replace EVERY_FIELD with its own list of input types,
      // which leaves hidden and file inputs out. Every field is masked through EVERY_FIELD and maskInputFn,
      // and passwords are never revealed (mask.ts, mayReveal).
      maskAllInputs: false,
      maskInputOptions: EVERY_FIELD,
      maskInputFn: (text, element) => {
        if (isTypedValue(element, rules, passwords)) secrets.hold(element, text);
        return gate.text(maskValue(text, element, rules, passwords));
      },
      maskTextSelector: rules.maskTextSelector,
      maskTextFn: (text, element) => {
        if (element) secrets.hold(element, text);
        else secrets.remember(text);
        return maskText(text);
      },
      blockSelector: rules.blockSelector,
      slimDOMOptions: SLIM_DOM,
    },
    filter(event) {
      // A GET form or a script puts typed values in the URL; links resolved against it carry them too.
      const current = href();
      if (current !== seenHref) {
        seenHref = current;
        secrets.rememberUrl(current);
      }
      secrets.live(focusedValues(doc, rules, passwords, typedKeys));
      const safe = filter(event);
      if (!safe) return [];
      if (!maskedSelects.length) return [safe];
      // A masked select shows no choice in the replay: rrweb's replayer sets the mask as its value,
      // which matches no option. Never the first option, which the customer may not have chosen.
      const clear = maskedSelects.splice(0).map(
        (id): eventWithTime => ({ type: EventType.IncrementalSnapshot, timestamp: safe.timestamp, data: { source: IncrementalSource.Input, id, text: MASK, isChecked: false } }),
      );
      return [safe, ...clear];
    },
    stop: () => typedKeys.stop(),
  };
}

/** The value being typed right now: the focused field (through shadow roots and same-origin frames). */
function focusedValues(doc: Document, rules: MaskRules, passwords: PasswordMemory, typedKeys: TypedKeys): string[] {
  let element: Element | null = doc.activeElement;
  for (let depth = 0; element && depth < 10; depth++) {
    const inner: Element | null | undefined =
      element.shadowRoot?.activeElement ?? (element.localName === 'iframe' ? safeFrameActive(element as HTMLIFrameElement) : null);
    if (!inner) break;
    element = inner;
  }
  if (!element) return [];
  const typed = typedKeys.valueOf(element);
  if (typed !== undefined) return [typed];
  if (isFormField(element)) return isTypedValue(element, rules, passwords) ? [element.value] : [];
  return isEditable(element) ? [element.textContent ?? ''] : [];
}

function safeFrameActive(frame: HTMLIFrameElement): Element | null {
  try {
    return frame.contentDocument?.activeElement ?? null;
  } catch {
    return null;
  }
}
