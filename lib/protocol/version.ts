/** Version of the wire protocol between extension and viewer. Bumped on any incompatible change. */
export const PROTOCOL_VERSION = 6;

/** Chromium's data channel message limit is 256 KiB; we stay well under it, frame header included. */
export const MAX_CHUNK_BYTES = 64 * 1024;

/** Upper bound for one reassembled message (a very large snapshot). Anything larger is refused. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** Backpressure: stop writing while the channel holds more than this, resume below the low mark. */
export const BUFFER_HIGH_WATER = 256 * 1024;
export const BUFFER_LOW_WATER = 64 * 1024;
