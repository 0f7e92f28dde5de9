/**
 * The one place that decides what text may leave the customer's page (terms art. 2.1). Every string an
 * rrweb event carries passes through here on its way out, whatever the channel: text, every attribute
 * (style included), stylesheet rules inserted, replaced or adopted, style declarations, button labels,
 * the page URL and title, and any channel rrweb adds later (`deep`). The element rules (mask.ts,
 * event-filter.ts) decide first what a field or a masked region shows; the gate then removes:
 * - values the customer typed or the page holds privately, however the page reshaped them (secrets.ts);
 * - card numbers, IBANs and BSNs anywhere, by checksum (lib/shared/privacy/detect.ts);
 * - e-mail addresses and phone numbers, where a site rule asks for it (docs/site-owners.md).
 */
import { findPersonalData, type Detector } from '@/lib/shared/privacy/detect';
import { maskRanges, type Range } from '@/lib/shared/privacy/match';
import { MASK } from '@/lib/shared/mask';
import type { SecretScrubber } from './secrets';

export interface Gate {
  /** `text` as it may leave the page. */
  text(text: string): string;
  /** Where `text` holds something that may not leave (for text a page split over several nodes). */
  find(text: string): Range[];
  /** Every string inside `value` (objects and arrays, in place) as it may leave the page. */
  deep<T>(value: T): T;
}

export function createGate(secrets: SecretScrubber, detectors: readonly Detector[] = []): Gate {
  const find = (text: string): Range[] => {
    const personal = findPersonalData(text, detectors);
    if (secrets.empty) return personal;
    const typed = secrets.find(text);
    return personal.length ? [...personal, ...typed] : typed;
  };
  const text = (value: string): string => {
    if (typeof value !== 'string' || value.length < 3) return value;
    return maskRanges(value, find(value), MASK);
  };
  const deep = <T>(value: T): T => {
    if (typeof value === 'string') return text(value) as T;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = deep(value[i]);
    } else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) record[key] = deep(record[key]);
    }
    return value;
  };
  return { text, find, deep };
}
