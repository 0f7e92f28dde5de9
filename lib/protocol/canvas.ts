/**
 * Canvas pictures (issue 20): a visible canvas is sent as still pictures at a low rate. The picture's
 * bytes travel as an asset (lib/protocol/assets.ts) under a key of their own; an rrweb custom event with
 * this tag tells the replay which canvas (rrweb id) shows which picture. Untrusted on the viewer's side
 * like every event: checked with `canvasPictureSchema` before anything reads it.
 */
import * as z from 'zod/mini';
import { ASSET_KEY_PATTERN } from './assets';

export const CANVAS_PICTURE_TAG = 'meekijk-canvas';

export const canvasPictureSchema = z.object({
  id: z.number().check(z.int(), z.positive()),
  key: z.string().check(z.regex(ASSET_KEY_PATTERN)),
});
export type CanvasPicture = z.infer<typeof canvasPictureSchema>;
