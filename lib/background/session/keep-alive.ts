/**
 * Keeps a non-persistent background page awake while a session runs, where the background page holds
 * the peer (Firefox). Firefox suspends an MV3 background page after `extensions.background.idle.timeout`
 * (30 s) without extension API calls or events; a quiet shared page (nothing changes, nobody moves the
 * mouse) sends only data-channel traffic, which does not count, and the suspension would take the peer
 * and the session with it. An API call to the browser resets that timer; one every few seconds is enough
 * and costs nothing worth measuring. Chrome keeps its peer in the offscreen document and needs none.
 */
export const KEEP_ALIVE_MS = 5_000;

export function startKeepAlive(ping: () => Promise<unknown>, everyMs = KEEP_ALIVE_MS): () => void {
  const timer = setInterval(() => void ping().catch(() => undefined), everyMs);
  return () => clearInterval(timer);
}
