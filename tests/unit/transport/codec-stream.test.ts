/**
 * The codec's stream tricks (lib/shared/transport/codec.ts): packed events, a new stream per full snapshot that
 * starts from the previous snapshot as its dictionary, and sync-flush trailers left off the wire.
 */
import { describe, expect, it } from 'vitest';
import { decodeFrame, FrameFlag } from '@/lib/protocol/frame';
import { MessageDecoder, MessageEncoder, type DecodeResult } from '@/lib/shared/transport/codec';

const t0 = 1_790_000_000_000;
let nextId = 0;

/** A page with a shared header and footer and a per-page middle, as a full snapshot event. */
function page(title: string, rows: number, at: number) {
  nextId = 0;
  const el = (tagName: string, attributes: Record<string, unknown>, childNodes: unknown[] = []) => ({ type: 2, tagName, attributes, childNodes, id: ++nextId });
  const text = (textContent: string) => ({ type: 3, textContent, id: ++nextId });
  const header = el('header', { class: 'top' }, ['Producten', 'Service', 'Zakelijk', 'Account'].map((m) => el('button', { class: 'menu' }, [text(m)])));
  const css = el('style', { _cssText: Array.from({ length: 80 }, (_, i) => `.rule-${i} { margin: ${i}px; color: #${(i * 4099).toString(16).padStart(6, '0')} }`).join('\n') });
  const middle = el('main', {}, Array.from({ length: rows }, (_, i) => el('p', { class: `row r${i % 5}` }, [text(`${title} regel ${i} met wat tekst ${(i * 7919) % 1000}`)])));
  const footer = el('footer', {}, Array.from({ length: 20 }, (_, i) => el('a', { href: `/info/${i}` }, [text(`Informatie ${i}`)])));
  const html = el('html', {}, [el('head', {}, [css]), el('body', {}, [header, middle, footer])]);
  return { type: 2, data: { node: { type: 0, childNodes: [html], id: ++nextId }, initialOffset: { left: 0, top: 0 } }, timestamp: at };
}

const events = (...list: unknown[]) => ({ type: 'events', events: list });
const move = (at: number) => ({ type: 3, data: { source: 1, positions: [{ x: 100 + (at % 50), y: 200, id: 7, timeOffset: -16 }] }, timestamp: at });

function decodeAll(decoder: MessageDecoder, frames: Uint8Array[]): DecodeResult[] {
  return frames.flatMap((f) => decoder.push(f));
}

describe('codec stream', () => {
  it('round-trips events exactly, packed on the wire', () => {
    const encoder = new MessageEncoder();
    const decoder = new MessageDecoder();
    const messages = [{ type: 'hello' }, events({ type: 4, data: { href: 'x', width: 1280, height: 720 }, timestamp: t0 }, page('Een', 50, t0 + 1)), events(move(t0 + 40)), { type: 'tab-state', state: 'sharing' }];
    for (const message of messages) {
      const frames = encoder.encode(message);
      expect(decodeAll(decoder, frames)).toEqual([{ ok: true, value: message }]);
      const packed = (decodeFrame(frames[0]!).flags & FrameFlag.packed) !== 0;
      expect(packed).toBe(message.type === 'events');
    }
  });

  it('starts a new stream at a full snapshot, from the previous snapshot, and the next page costs far less', () => {
    const encoder = new MessageEncoder();
    const decoder = new MessageDecoder();
    const size = (frames: Uint8Array[]) => frames.reduce((n, f) => n + f.byteLength, 0);
    const first = encoder.encode(events(page('Een', 120, t0)));
    expect(decodeFrame(first[0]!).flags & (FrameFlag.streamReset | FrameFlag.dictionary)).toBe(FrameFlag.streamReset);
    expect(decodeAll(decoder, first)[0]?.ok).toBe(true);
    for (let i = 0; i < 50; i++) expect(decodeAll(decoder, encoder.encode(events(move(t0 + 16 * i))))[0]?.ok).toBe(true);

    const secondPage = page('Twee', 120, t0 + 5000);
    const second = encoder.encode(events(secondPage));
    expect(decodeFrame(second[0]!).flags & (FrameFlag.streamReset | FrameFlag.dictionary)).toBe(FrameFlag.streamReset | FrameFlag.dictionary);
    expect(decodeAll(decoder, second)).toEqual([{ ok: true, value: events(secondPage) }]);

    // The same page without the dictionary, for comparison.
    const alone = new MessageEncoder().encode(events(page('Twee', 120, t0 + 5000)));
    expect(size(second)).toBeLessThan(size(alone) * 0.75);
    // And the stream goes on from there.
    expect(decodeAll(decoder, encoder.encode(events(move(t0 + 6000))))).toEqual([{ ok: true, value: events(move(t0 + 6000)) }]);
  });

  it('a receiver without the dictionary, or with another one, reports stream-lost, and the sender recovers', () => {
    const encoder = new MessageEncoder();
    const decoder = new MessageDecoder();
    decodeAll(decoder, encoder.encode(events(page('Een', 30, t0))));
    const other = new MessageDecoder();
    decodeAll(other, new MessageEncoder().encode(events(page('Iets anders', 30, t0))));

    const next = encoder.encode(events(page('Twee', 30, t0 + 1)));
    expect(new MessageDecoder().push(next[0]!).map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['stream-lost']);
    const mismatch = other.push(next[0]!);
    expect(mismatch.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['stream-lost']);

    // The link answers stream-lost; the sender resets and its next stream needs nothing the receiver lacks.
    encoder.reset();
    const fresh = encoder.encode(events(page('Drie', 30, t0 + 2)));
    expect(decodeFrame(fresh[0]!).flags & FrameFlag.dictionary).toBe(0);
    expect(other.push(fresh[0]!)[0]?.ok).toBe(true);
  });

  it('leaves the sync-flush trailer off the wire', () => {
    const encoder = new MessageEncoder();
    encoder.encode({ warm: 'up' });
    const [frame] = encoder.encode({ type: 'tab-state', state: 'sharing' });
    const payload = decodeFrame(frame!).payload;
    expect([...payload.subarray(-4)]).not.toEqual([0, 0, 0xff, 0xff]);
  });
});
