import { io, type Socket } from 'socket.io-client';

/**
 * One authenticated /chat socket over websocket only (no polling upgrade, no reconnection: a
 * benchmark counts what it opened), resolved once connected; a refused key rejects.
 */
export function connectBenchSocket(url: string, key: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/chat`, {
      auth: { key },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
    socket.once('error', (error: { code: string }) => reject(new Error(error.code)));
  });
}
