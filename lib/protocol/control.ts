/**
 * Remote control (issue 6) as it crosses our boundaries: technician -> extension (wire), extension ->
 * technician (wire), background <-> shared tab (runtime port). Declared once here and merged into the
 * unions in wire.ts and runtime.ts.
 *
 * Positions are fractions, never pixels of the technician's screen: a click is "this rrweb node, at
 * (x, y) of its box"; a pointer or a scroll is "(x, y) of the recorded viewport". The customer's page
 * turns them into its own pixels, whatever the viewer's zoom.
 */
// zod/mini: the shared tab's content script loads this module (lib/protocol/tab-port.ts says why).
import * as z from 'zod/mini';

/** Finite numbers only (zod 4 refuses Infinity and NaN in z.number()). */
const fraction = z.number().check(z.gte(0), z.lte(1));
/** rrweb mirror ids start at 1; anything else cannot name a node. */
const nodeId = z.int().check(z.gte(1), z.lte(2 ** 31 - 1));
const seq = z.int().check(z.gte(0), z.lte(2 ** 31 - 1));
const delta = z.number().check(z.gte(-5000), z.lte(5000));
const promptId = z.string().check(z.minLength(8), z.maxLength(64));
const technicianName = z.string().check(z.maxLength(200));

/** Keys other than a character that typing on the customer's behalf may press (issue 23). */
export const NAMED_KEYS = ['Backspace', 'Delete', 'Enter', 'ArrowLeft', 'ArrowRight', 'Home', 'End'] as const;
export type NamedKey = (typeof NAMED_KEYS)[number];
/** One printable character (one code point, no control or format character), or a named key. */
const key = z.union([z.enum(NAMED_KEYS), z.string().check(z.regex(/^\P{C}$/u))]);

// --- technician -> extension ---

export const controlRequestMessages = [
  /** "Vraag bediening": asks the customer; nothing more. The extension decides. */
  z.object({ type: z.literal('control-request') }),
  /** The technician gives control back, or withdraws an unanswered request. */
  z.object({ type: z.literal('control-release') }),
  /** A click on a node of the replay, at (x, y) of that node's box. Executed only while control is granted. */
  z.object({ type: z.literal('click'), seq, id: nodeId, x: fraction, y: fraction }),
  /** A key typed over the replay: into the customer's focused field. Executed only while control is granted. */
  z.object({ type: z.literal('key'), seq, key }),
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
  reason: z.optional(controlEndReasonSchema),
  /** While granted: how long control lasts from now, unless taken back. While requested: the prompt's life. */
  remainingMs: z.optional(z.int().check(z.gte(0))),
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
  tag: z.string().check(z.regex(/^[a-z][a-z0-9-]{0,40}$/)),
  role: z.nullable(z.string().check(z.regex(/^[a-z-]{1,40}$/))),
});
export type ClickTarget = z.infer<typeof targetSchema>;

export const clickOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), target: targetSchema }),
  z.object({ ok: z.literal(false), reason: clickRefusalSchema }),
]);
export type ClickOutcome = z.infer<typeof clickOutcomeSchema>;

/** Why a key was not typed. Every one of them is logged (history, audit trail), like refused clicks. */
export const keyRefusalSchema = z.enum(['no-control', 'tab-unavailable', 'rate-limited', 'no-field', 'protected-field', 'no-control-zone', 'blocked', 'timeout']);
export type KeyRefusal = z.infer<typeof keyRefusalSchema>;
export const keyOutcomeSchema = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), reason: keyRefusalSchema })]);
export type KeyOutcome = z.infer<typeof keyOutcomeSchema>;
export const keyResultSchema = z.object({ type: z.literal('key-result'), seq, outcome: keyOutcomeSchema });

export const clickResultSchema = z.object({ type: z.literal('click-result'), seq, outcome: clickOutcomeSchema });

// --- background <-> shared tab ---

/** The tab's side of control: what its prompt, indicator and executor are to do. */
export const tabControlStateSchema = z.enum(['off', 'asking', 'granted']);
export type TabControlState = z.infer<typeof tabControlStateSchema>;

export const backgroundToTabControl = [
  z.object({
    type: z.literal('control-prompt'),
    /** Names this one question: an answer to an older prompt counts for nothing. */
    promptId,
    technicianName,
    remainingMs: z.int().check(z.gte(0)),
    grantMinutes: z.int().check(z.gte(1)),
  }),
  z.object({ type: z.literal('control-state'), state: tabControlStateSchema, technicianName }),
  z.object({ type: z.literal('control-click'), seq, id: nodeId, x: fraction, y: fraction }),
  z.object({ type: z.literal('control-scroll'), x: fraction, y: fraction, dx: delta, dy: delta }),
  z.object({ type: z.literal('control-pointer'), x: fraction, y: fraction }),
  z.object({ type: z.literal('control-key'), seq, key }),
] as const;

export const tabToBackgroundControl = [
  /** The customer's own answer: sent only after a trusted click or key press in the closed prompt. */
  z.object({ type: z.literal('control-answer'), promptId, allow: z.boolean() }),
  /** The customer took control back (indicator button or Esc, trusted events only). */
  z.object({ type: z.literal('control-revoke'), via: z.enum(['button', 'escape']) }),
  z.object({ type: z.literal('control-click-result'), seq, outcome: clickOutcomeSchema }),
  z.object({ type: z.literal('control-key-result'), seq, outcome: keyOutcomeSchema }),
] as const;

// --- the customer's record ---

export const controlEventKindSchema = z.enum(['requested', 'granted', 'refused', 'revoked', 'expired', 'click', 'click-refused', 'typed', 'key-refused']);
export type ControlEventKind = z.infer<typeof controlEventKindSchema>;

/** One line in the customer's history of a session: when, what, and a content-free detail. */
export const controlEventSchema = z.object({ at: z.number(), kind: controlEventKindSchema, detail: z.string().check(z.maxLength(200)) });
export type ControlEvent = z.infer<typeof controlEventSchema>;
