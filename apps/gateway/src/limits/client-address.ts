import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * Which peers may tell us the client's address in X-Forwarded-For, as Express reads its
 * `trust proxy` setting: false = none (the default: a client could otherwise pick its own IP and
 * dodge per-IP limits), true = any, a number = that many hops, or addresses/subnets/names.
 */
export function compileTrustProxy(setting: boolean | number | string): TrustProxy {
  if (setting === true) return () => true;
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyaddr.compile(setting.split(',').map((part) => part.trim()));
}

/** The client address of an HTTP request or a socket.io handshake, under the same trust as REST. */
export function clientAddress(request: IncomingMessage, trust: TrustProxy): string {
  return proxyaddr(request, trust);
}
