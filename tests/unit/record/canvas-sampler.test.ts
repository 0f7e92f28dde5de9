/**
 * The canvas sampler's decisions (lib/page/record/canvas-sampler.ts), with a fake page: which canvases it
 * reads, when it sends a picture, and that it reads nothing of a hidden tab, a blocked, off-screen,
 * unrendered or unchanged canvas.
 */
import { describe, expect, it } from 'vitest';
import { createCanvasSampler, SAMPLE_MS, type Box, type CanvasSamplerDeps } from '@/lib/page/record/canvas-sampler';

interface FakeCanvas {
  name: string;
  id: number;
  box: Box;
  pixels: string;
  blocked?: boolean;
  rendered?: boolean;
  tainted?: boolean;
}

function fakePage(list: FakeCanvas[]) {
  const reads: string[] = [];
  const pictures: string[] = [];
  const sent: Array<{ id: number; key: string; size: string }> = [];
  let timer: { ms: number; fn: () => void; stopped: boolean } | undefined;
  const page = { hidden: false };
  const of = (canvas: HTMLCanvasElement) => canvas as unknown as FakeCanvas;
  const deps: CanvasSamplerDeps = {
    canvases: () => list as unknown as HTMLCanvasElement[],
    idOf: (c) => of(c).id,
    isBlocked: (c) => !!of(c).blocked,
    isRendered: (c) => of(c).rendered !== false,
    boxOf: (c) => of(c).box,
    viewport: () => ({ width: 1000, height: 800 }),
    hidden: () => page.hidden,
    fingerprint: (c) => {
      reads.push(of(c).name);
      return of(c).tainted ? null : of(c).pixels;
    },
    picture: async (c, width, height) => {
      pictures.push(`${of(c).name}@${width}x${height}`);
      return { bytes: new TextEncoder().encode(of(c).pixels), mime: 'image/webp' };
    },
    send: (id, key, bytes) => sent.push({ id, key, size: new TextDecoder().decode(bytes) }),
    every: (ms, fn) => {
      timer = { ms, fn, stopped: false };
      return () => {
        timer!.stopped = true;
      };
    },
  };
  return { deps, reads, pictures, sent, page, timer: () => timer };
}

const box = (left: number, top: number, width = 300, height = 150): Box => ({ left, top, width, height });

describe('canvas sampler', () => {
  it('samples about twice a second and stops its timer', () => {
    const page = fakePage([]);
    const sampler = createCanvasSampler(page.deps);
    expect(page.timer()?.ms).toBe(SAMPLE_MS);
    expect(SAMPLE_MS).toBe(500);
    sampler.stop();
    expect(page.timer()?.stopped).toBe(true);
  });

  it('sends a visible canvas once per change, at its displayed size, each picture under a new key', async () => {
    const chart: FakeCanvas = { name: 'chart', id: 7, box: box(10, 20, 400.4, 199.6), pixels: 'bars-1' };
    const page = fakePage([chart]);
    const sampler = createCanvasSampler(page.deps);
    await sampler.sample();
    await sampler.sample(); // unchanged: read (fingerprint) but not drawn again
    expect(page.pictures).toEqual(['chart@400x200']);
    chart.pixels = 'bars-2';
    await sampler.sample();
    expect(page.sent.map((s) => [s.id, s.size])).toEqual([[7, 'bars-1'], [7, 'bars-2']]);
    expect(new Set(page.sent.map((s) => s.key)).size).toBe(2);
    for (const s of page.sent) expect(s.key).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });

  it('reads nothing of a blocked, off-screen, unrendered, unrecorded or zero-size canvas', async () => {
    const page = fakePage([
      { name: 'blocked', id: 1, box: box(0, 0), pixels: 'p', blocked: true },
      { name: 'below', id: 2, box: box(0, 900), pixels: 'p' },
      { name: 'left', id: 3, box: box(-400, 0), pixels: 'p' },
      { name: 'display-none', id: 4, box: box(0, 0), pixels: 'p', rendered: false },
      { name: 'unrecorded', id: -1, box: box(0, 0), pixels: 'p' },
      { name: 'empty', id: 5, box: box(0, 0, 0, 0), pixels: 'p' },
    ]);
    const sampler = createCanvasSampler(page.deps);
    await sampler.sample();
    expect(page.reads).toEqual([]);
    expect(page.sent).toEqual([]);
  });

  it('does no work while the tab is hidden, and sends what changed meanwhile when it is back', async () => {
    const chart: FakeCanvas = { name: 'chart', id: 3, box: box(0, 0), pixels: 'a' };
    const page = fakePage([chart]);
    const sampler = createCanvasSampler(page.deps);
    page.page.hidden = true;
    chart.pixels = 'b';
    await sampler.sample();
    expect(page.reads).toEqual([]);
    page.page.hidden = false;
    await sampler.sample();
    expect(page.sent.map((s) => s.size)).toEqual(['b']);
  });

  it('skips a canvas it cannot read (tainted), and sends every visible canvas again after a new full snapshot', async () => {
    const chart: FakeCanvas = { name: 'chart', id: 3, box: box(0, 0), pixels: 'a' };
    const tainted: FakeCanvas = { name: 'tainted', id: 4, box: box(0, 200), pixels: 'x', tainted: true };
    const page = fakePage([chart, tainted]);
    const sampler = createCanvasSampler(page.deps);
    await sampler.sample();
    await sampler.sample();
    expect(page.sent.map((s) => s.id)).toEqual([3]);
    sampler.reset();
    await sampler.sample();
    expect(page.sent.map((s) => s.id)).toEqual([3, 3]);
    expect(page.pictures.filter((p) => p.startsWith('tainted'))).toEqual([]);
  });

  it('scales a canvas larger than 2048 pixels down, keeping its shape', async () => {
    const page = fakePage([{ name: 'huge', id: 9, box: box(0, 0, 4096, 1024), pixels: 'p' }]);
    await createCanvasSampler(page.deps).sample();
    expect(page.pictures).toEqual(['huge@2048x512']);
  });
});
