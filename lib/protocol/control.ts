/**
 * Remote control (issue 6) as it crosses our boundaries: technician -> extension (wire), extension ->
 * technician (wire), background <-> shared tab (runtime port). Declared once here and merged into the
 * unions in wire.ts and runtime.ts.
 *
 * Positions are fractions, never pixels of the technician's screen: a click is "this rrweb node, at
 * (x, y) of its box"; a pointer or a scroll is "(x, y) of the recorded viewport". The customer's page
 * turns them into its own pixels, whatever the viewer's zoom.
 */
import { z } from 'zod';

const fraction = z.number().finite().min(0).max(1);
/** rrweb mirror ids start at 1; anything else cannot name a node. */
const nodeId = z.number().int().min(1).max(2 ** 31 - 1);
const seq = z.number().int().min(0).max(2 ** 31 - 1);
const delta = z.number().finite().min(-5000).max(5000);

// --- technician -> extension ---

export const controlRequestMessages = [
  /** "Vraag bediening": asks the customer; nothing more. The extension decides. */
  z.object({ type: z.literal('control-request') }),
  /** The technician gives control back, or withdraws an unanswered request. */
  z.object({ type: z.literal('control-release') }),
  /** A click on a node of the replay, at (x, y) of that node's box. Executed only while control is granted. */
  z.object({ type: z.literal('click'), seq, id: nodeId, x: fraction, y: fraction }),
  /** Wheel over the replay at (x, y) of the viewport. Executed only while control is granted. */
  z.object({ type: z.literal('scroll'), x: fraction, y: fraction, dx: delta, dy: delta }),
  /** Where the technician points, (x, y) of the viewport: a short-lived dot on the customer's page. */
  z.object({ type: z.literal('pointer'), x: fraction, y: fraction }),
] as const;

// --- extension -> technician ---

export const controlPhaseSchema = z.enum(['watching', 'requested', 'granted']);
export type ControlPhase = z.infer<typeof controlPhaseSchema>;

/** Why control is (no longer) what the technician asked for. */
export const controlEndReasonSchema = z.enum([
  'refused',
  'unanswered',
  'revoked',
  'released',
  'expired',
  'navigated',
  'unavailable',
  'too-soon',
]);
export type ControlEndReason = z.infer<typeof controlEndReasonSchema>;

export const controlStateMessage = z.object({
  type: z.literal('control-state'),
  state: controlPhaseSchema,
  reason: controlEndReasonSchema.optional(),
  /** While granted: how long control lasts from now, unless taken back. While requested: the prompt's life. */
  remainingMs: z.number().int().min(0).optional(),
});
export type ControlStateMessage = z.infer<typeof controlStateMessage>;

/** Why a click was not executed. Every one of them is logged (history, audit trail). */
export const clickRefusalSchema = z.enum([
  'no-control',
  'tab-unavailable',
  'rate-limited',
  'unknown-node',
  'stale-node',
  'no-control-zone',
  'blocked',
  'own-ui',
  'not-visible',
  'timeout',
]);
export type ClickRefusal = z.infer<typeof clickRefusalSchema>;

/** What was clicked, without its content: the tag and the (ARIA) role, never text, value, id or class. */
export const targetSchema = z.object({
  tag: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/),
  role: z.string().regex(/^[a-z-]{1,40}$/).nullable(),
});
export type ClickTarget = z.infer<typeof targetSchema>;

export const clickOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), target: targetSchema }),
  z.object({ ok: z.literal(false), reason: clickRefusalSchema }),
]);
export type ClickOutcome = z.infer<typeof clickOutcomeSchema>;

export const clickResultSchema = z.object({ type: z.literal('click-result'), seq, outcome: clickOutcomeSchema });

// --- background <-> shared tab ---

/** The tab's side of control: what its prompt, indicator and executor are to do. */
export const tabControlStateSchema = z.enum(['off', 'asking', 'granted']);
export type TabControlState = z.infer<typeof tabControlStateSchema>;

export const backgroundToTabControl = [
  z.object({
    type: z.literal('control-prompt'),
    /** Names this one question: an answer to an older prompt counts for nothing. */
    promptId: z.string().min(8).max(64),
    technicianName: z.string().max(200),
    remainingMs: z.number().int().min(0),
    grantMinutes: z.number().int().min(1),
  }),
  z.object({ type: z.literal('control-state'), state: tabControlStateSchema, technicianName: z.string().max(200) }),
  z.object({ type: z.literal('control-click'), seq, id: nodeId, x: fraction, y: fraction }),
  z.object({ type: z.literal('control-scroll'), x: fraction, y: fraction, dx: delta, dy: delta }),
  z.object({ type: z.literal('control-pointer'), x: fraction, y: fraction }),
] as const;

export const tabToBackgroundControl = [
  /** The customer's own answer: sent only after a trusted click or key press in the closed prompt. */
  z.object({ type: z.literal('control-answer'), promptId: z.string().min(8).max(64), allow: z.boolean() }),
  /** The customer took control back (indicator button or Esc, trusted events only). */
  z.object({ type: z.literal('control-revoke'), via: z.enum(['button', 'escape']) }),
  z.object({ type: z.literal('control-click-result'), seq, outcome: clickOutcomeSchema }),
] as const;

// --- the customer's record ---

export const controlEventKindSchema = z.enum(['requested', 'granted', 'refused', 'revoked', 'expired', 'click', 'click-refused']);
export type ControlEventKind = z.infer<typeof controlEventKindSchema>;

/** One line in the customer's history of a session: when, what, and a content-free detail. */
export const controlEventSchema = z.object({ at: z.number(), kind: controlEventKindSchema, detail: z.string().max(200) });
export type ControlEvent = z.infer<typeof controlEventSchema>;
