/**
 * PeerJS options pointing at our own PeerServer with our configured ICE servers. PeerJS would otherwise
 * default to its public cloud (0.peerjs.com) and Google's public STUN: we always pass host, port, path, key
 * and an explicit `config.iceServers` (possibly empty on loopback), so it never does.
 */
import type { PeerJSOption } from 'peerjs';
import type { IceServer, IceTransportPolicy, PeerEndpoint } from '@/lib/protocol/api';

export function peerOptions(
  serverUrl: string,
  endpoint: PeerEndpoint,
  token: string,
  iceServers: IceServer[],
  iceTransportPolicy: IceTransportPolicy = 'all',
): PeerJSOption {
  const url = new URL(serverUrl);
  const secure = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : secure ? 443 : 80;
  const path = endpoint.path.endsWith('/') ? endpoint.path : `${endpoint.path}/`;
  return {
    host: url.hostname,
    port,
    path,
    secure,
    key: endpoint.key,
    token,
    debug: 0,
    config: { iceServers: iceServers.map((s) => ({ ...s })), iceTransportPolicy },
  };
}
