/**
 * The trust boundary for event batches (lib/protocol/events-json.ts): the text comes from the customer's
 * page, and the peer host parses it and checks it against the wire schema here, before anything reads it.
 * Only the peer host loads this module (it builds the wire schemas; the content scripts need not).
 */
import { z } from 'zod';
import { rrwebEventSchema, type WireRrwebEvent } from './wire';

const batchSchema = z.array(rrwebEventSchema).min(1).max(100_000);

export class EventsJsonError extends Error {
  override name = 'EventsJsonError';
}

/** The batch, checked; throws EventsJsonError for anything that is not a well-formed batch. */
export function decodeEvents(json: string): WireRrwebEvent[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new EventsJsonError(`events are not JSON: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300));
  }
  const parsed = batchSchema.safeParse(value);
  if (!parsed.success) throw new EventsJsonError(`not an rrweb event batch: ${parsed.error.issues[0]?.message ?? 'invalid'}`.slice(0, 300));
  return parsed.data;
}
