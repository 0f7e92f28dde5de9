/**
 * Made-up photos for the customer's pages (fidelity e2e, bench): deterministic PNGs, different for every n.
 * `grain` adds the fine noise real photos have, which is what makes them expensive to send.
 */
import { PNG } from 'pngjs';

/** A 'photo': a two-colour gradient with a disc, as PNG. */
export function photo(n: number, width = 640, height = 480, grain = 0): Buffer {
  const png = new PNG({ width, height });
  const hue = (n * 47) % 360;
  const [r1, g1, b1] = hsl(hue, 0.6, 0.55);
  const [r2, g2, b2] = hsl((hue + 120) % 360, 0.5, 0.35);
  const cx = width * (0.3 + ((n * 13) % 40) / 100);
  const cy = height * 0.5;
  const radius = height * 0.25;
  const rand = prng(n + 1);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x + y) / (width + height);
      const inDisc = (x - cx) ** 2 + (y - cy) ** 2 < radius ** 2;
      const i = (y * width + x) * 4;
      const noise = grain ? (rand() - 0.5) * grain : 0;
      png.data[i] = clamp((inDisc ? 250 : r1 + (r2 - r1) * t) + noise);
      png.data[i + 1] = clamp((inDisc ? 240 : g1 + (g2 - g1) * t) + noise);
      png.data[i + 2] = clamp((inDisc ? 200 : b1 + (b2 - b1) * t) + noise);
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

/** A small deterministic PRNG (mulberry32), so every run makes the same photos and pages (bench/pages.ts too). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
