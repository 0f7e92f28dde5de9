/** Event batches as JSON text inside the extension: the peer host's check is the trust boundary. */
import { describe, expect, it } from 'vitest';
import { decodeEvents, EventsJsonError } from '@/lib/protocol/events-decode';
import { encodeEvents, eventsJsonSchema } from '@/lib/protocol/events-json';
import { MAX_MESSAGE_BYTES } from '@/lib/protocol/version';

const batch = [
  { type: 4, data: { href: 'https://shop.example/', width: 1280, height: 720 }, timestamp: 1 },
  { type: 3, data: { source: 0, texts: [], attributes: [], removes: [], adds: [] }, timestamp: 2 },
];

describe('events as JSON text', () => {
  it('round-trips a batch', () => {
    expect(decodeEvents(encodeEvents(batch))).toEqual(batch);
  });

  it.each([
    ['not JSON', '[{"type":3,', /not JSON/],
    ['not an array', '{"type":3}', /not an rrweb event batch/],
    ['an empty batch', '[]', /not an rrweb event batch/],
    ['an event without a type', '[{"data":{},"timestamp":1}]', /not an rrweb event batch/],
    ['an unknown event type', '[{"type":99,"data":{},"timestamp":1}]', /not an rrweb event batch/],
    ['data that is not an object', '[{"type":3,"data":"x","timestamp":1}]', /not an rrweb event batch/],
  ])('refuses %s with a clear error', (_what, json, message) => {
    expect(() => decodeEvents(json)).toThrow(EventsJsonError);
    expect(() => decodeEvents(json)).toThrow(message);
  });

  it('bounds the text the hops pass on', () => {
    expect(eventsJsonSchema.safeParse('x'.repeat(MAX_MESSAGE_BYTES + 1)).success).toBe(false);
    expect(eventsJsonSchema.safeParse(123).success).toBe(false);
    expect(eventsJsonSchema.safeParse(encodeEvents(batch)).success).toBe(true);
  });
});
