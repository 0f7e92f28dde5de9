import { describe, expect, it } from 'vitest';
import { parseToExtension, parseToViewer, type ParseResult, type ToExtension, type ToViewer } from '@/lib/protocol/wire';
import { PROTOCOL_VERSION } from '@/lib/protocol/version';

const event = { type: 2, timestamp: 1_700_000_000_000, data: { node: { id: 1 } } };

const validToViewer: ToViewer[] = [
  { type: 'hello', protocol: PROTOCOL_VERSION, sessionId: 's-1', invite: 'payload.signature' },
  { type: 'events', events: [] },
  { type: 'events', events: [event, { type: 3, timestamp: 1, data: {} }] },
  { type: 'tab-state', state: 'sharing' },
  { type: 'tab-state', state: 'paused', reason: 'other-site' },
  { type: 'end', reason: 'customer-stopped' },
  { type: 'error', code: 'stream-lost', message: 'inflate failed' },
];

const validToExtension: ToExtension[] = [
  { type: 'hello', protocol: PROTOCOL_VERSION },
  { type: 'resync' },
  { type: 'end', reason: 'technician-ended' },
  { type: 'error', code: 'malformed', message: '' },
];

function rejection<T>(result: ParseResult<T>): { code: string; message: string } {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.value)}`);
  return { code: result.code, message: result.message };
}

const directions: Array<{ direction: string; parse: (input: unknown) => ParseResult<unknown>; valid: unknown[] }> = [
  { direction: 'to viewer', parse: parseToViewer, valid: validToViewer },
  { direction: 'to extension', parse: parseToExtension, valid: validToExtension },
];

describe.each(directions)('wire messages $direction', ({ parse, valid }) => {
  it.each(valid.map((message) => [JSON.stringify(message), message]))('accepts %s', (_, message) => {
    expect(parse(message)).toEqual({ ok: true, value: message });
  });

  it.each([['null', null], ['a string', 'hello'], ['a number', 42], ['an array', [{ type: 'hello' }]], ['undefined', undefined]])(
    'rejects %s as malformed',
    (_, input) => {
      expect(rejection(parse(input)).code).toBe('malformed');
    },
  );

  it('rejects an object without a type as malformed', () => {
    expect(rejection(parse({ protocol: PROTOCOL_VERSION })).code).toBe('malformed');
  });

  it.each([['control'], ['Hello'], [''], [7], [null]])('rejects type %j as unknown-type', (type) => {
    expect(rejection(parse({ type })).code).toBe('unknown-type');
  });

  it('keeps the message for a long unknown type short', () => {
    const { code, message } = rejection(parse({ type: 'x'.repeat(10_000) }));
    expect(code).toBe('unknown-type');
    expect(message.length).toBeLessThan(100);
  });

  it('rejects a hello for another protocol version', () => {
    const { code, message } = rejection(parse({ type: 'hello', protocol: PROTOCOL_VERSION + 1, sessionId: 's', invite: 'i' }));
    expect(code).toBe('malformed');
    expect(message).toContain('protocol');
    expect(rejection(parse({ type: 'hello', sessionId: 's', invite: 'i' })).code).toBe('malformed');
  });

  it.each([
    ['an unknown error code', { type: 'error', code: 'teapot', message: '' }],
    ['an error message over 500 characters', { type: 'error', code: 'internal', message: 'x'.repeat(501) }],
    ['an error without a message', { type: 'error', code: 'internal' }],
    ['an end for an unknown reason', { type: 'end', reason: 'bored' }],
  ])('rejects %s as malformed', (_, input) => {
    expect(rejection(parse(input)).code).toBe('malformed');
  });

  it('answers every rejection with an error reply the other end accepts', () => {
    // Otherwise the two ends could bounce error replies back and forth.
    const bad: unknown[] = [null, 'x', {}, { type: 'x'.repeat(10_000) }, { type: 'error', code: 'internal', message: 'y'.repeat(5000) }, { type: { nested: true } }];
    for (const input of bad) {
      const { code, message } = rejection(parse(input));
      expect(parseToViewer({ type: 'error', code, message }).ok).toBe(true);
      expect(parseToExtension({ type: 'error', code, message }).ok).toBe(true);
    }
  });
});

describe('wire messages to the viewer', () => {
  it.each([
    ['a hello without a session', { type: 'hello', protocol: PROTOCOL_VERSION, sessionId: '', invite: 'i' }],
    ['a hello without an invite', { type: 'hello', protocol: PROTOCOL_VERSION, sessionId: 's' }],
    ['a hello with an oversized invite', { type: 'hello', protocol: PROTOCOL_VERSION, sessionId: 's', invite: 'i'.repeat(4001) }],
    ['events that are not an array', { type: 'events', events: { 0: event } }],
    ['an event of an unknown rrweb type', { type: 'events', events: [{ ...event, type: 7 }] }],
    ['an event with a fractional type', { type: 'events', events: [{ ...event, type: 2.5 }] }],
    ['an event without a timestamp', { type: 'events', events: [{ type: 2, data: {} }] }],
    ['an event with an infinite timestamp', { type: 'events', events: [{ ...event, timestamp: Infinity }] }],
    ['an event whose data is not an object', { type: 'events', events: [{ ...event, data: 'x' }] }],
    ['an event that is null', { type: 'events', events: [null] }],
    ['a tab state that does not exist', { type: 'tab-state', state: 'watching' }],
    ['a pause for an unknown reason', { type: 'tab-state', state: 'paused', reason: 'because' }],
  ])('rejects %s as malformed', (_, input) => {
    expect(rejection(parseToViewer(input)).code).toBe('malformed');
  });

  it('keeps fields of an rrweb event it does not check itself', () => {
    const withDelay = { ...event, delay: 12 };
    expect(parseToViewer({ type: 'events', events: [withDelay] })).toEqual({ ok: true, value: { type: 'events', events: [withDelay] } });
  });

  it('refuses more than 100,000 events in one message', () => {
    const events = Array.from({ length: 100_001 }, () => event);
    expect(rejection(parseToViewer({ type: 'events', events })).code).toBe('malformed');
  });
});

describe('wire messages to the extension', () => {
  it('refuses what only the customer may send', () => {
    // A hostile viewer must not be able to feed the extension events or claim the customer's reasons.
    expect(rejection(parseToExtension({ type: 'events', events: [event] })).code).toBe('unknown-type');
    expect(rejection(parseToExtension({ type: 'tab-state', state: 'sharing' })).code).toBe('unknown-type');
    expect(rejection(parseToExtension({ type: 'end', reason: 'customer-stopped' })).code).toBe('malformed');
  });

  it('drops fields it does not know', () => {
    expect(parseToExtension({ type: 'resync', script: 'alert(1)' })).toEqual({ ok: true, value: { type: 'resync' } });
  });
});
