/**
 * Compares two screenshots of the same size with pixelmatch, with rectangles left out (our own UI, masked
 * fields: what is meant to differ), and saves both images and the diff for a person to look at.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

export interface Rect {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DiffResult {
  width: number;
  height: number;
  differing: number;
  /** Differing pixels over compared pixels (left-out ones not counted). */
  ratio: number;
  /** The same, inside each named region. */
  regions: Record<string, number>;
}

/** pixelmatch's default colour threshold: anti-aliasing and re-encoding differences are not counted. */
const THRESHOLD = 0.1;

function blank(png: PNG, rect: Rect): number {
  let count = 0;
  for (let y = Math.max(0, Math.floor(rect.y)); y < Math.min(png.height, Math.ceil(rect.y + rect.height)); y++) {
    for (let x = Math.max(0, Math.floor(rect.x)); x < Math.min(png.width, Math.ceil(rect.x + rect.width)); x++) {
      const i = (y * png.width + x) * 4;
      png.data[i] = 255;
      png.data[i + 1] = 0;
      png.data[i + 2] = 255;
      png.data[i + 3] = 255;
      count++;
    }
  }
  return count;
}

function crop(png: PNG, rect: Rect): PNG {
  const out = new PNG({ width: Math.round(rect.width), height: Math.round(rect.height) });
  PNG.bitblt(png, out, Math.round(rect.x), Math.round(rect.y), out.width, out.height, 0, 0);
  return out;
}

export function comparePngs(expected: Buffer, actual: Buffer, options: { leaveOut: Rect[]; regions: Rect[]; saveTo: string }): DiffResult {
  const a = PNG.sync.read(expected);
  const b = PNG.sync.read(actual);
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`screenshots differ in size: ${a.width}x${a.height} against ${b.width}x${b.height}`);
  }
  let left = 0;
  for (const rect of options.leaveOut) {
    left += blank(a, rect);
    blank(b, rect);
  }
  const diff = new PNG({ width: a.width, height: a.height });
  const differing = pixelmatch(a.data, b.data, diff.data, a.width, a.height, { threshold: THRESHOLD });
  const regions: Record<string, number> = {};
  for (const rect of options.regions) {
    const ra = crop(a, rect);
    const rb = crop(b, rect);
    regions[rect.name] = pixelmatch(ra.data, rb.data, undefined, ra.width, ra.height, { threshold: THRESHOLD }) / (ra.width * ra.height);
  }
  mkdirSync(options.saveTo, { recursive: true });
  writeFileSync(path.join(options.saveTo, 'customer.png'), PNG.sync.write(a));
  writeFileSync(path.join(options.saveTo, 'replay.png'), PNG.sync.write(b));
  writeFileSync(path.join(options.saveTo, 'diff.png'), PNG.sync.write(diff));
  return { width: a.width, height: a.height, differing, ratio: differing / (a.width * a.height - left), regions };
}
