/**
 * What the build patches for rrweb's bundle share (scripts/rrweb-record-only.ts,
 * scripts/rrweb-sliced-snapshot.ts, scripts/rrweb-untainted-check.ts): which file they change, the error they throw when rrweb's code no
 * longer has the shape they expect, and the Vite plugin that applies one of them.
 */
import type { Plugin } from 'vite';

/** rrweb's ES bundle, wherever the package manager put it. */
export const RRWEB_BUNDLE = /[\\/]node_modules[\\/]rrweb[\\/]dist[\\/]rrweb\.js$/;

/** rrweb's code has changed shape: the named patch must be updated for this rrweb version. */
export class RrwebPatchError extends Error {}

/** A Vite plugin that applies `patch` to rrweb's bundle (or the files `bundle` matches), before any other transform. */
export function rrwebBundlePlugin(
  name: string,
  patch: (source: string, warn: (message: string) => void) => string,
  bundle: RegExp = RRWEB_BUNDLE,
): Plugin {
  return {
    name,
    enforce: 'pre',
    transform(source, id) {
      if (!bundle.test(id.split('?')[0] ?? id)) return null;
      return { code: patch(source, (message) => this.warn(message)), map: null };
    },
  };
}
