import * as net from 'node:net';

/**
 * A socket.io websocket client that upgrades, then never reads again: it never answers the
 * server's close handshake (the `ws` library waits 30 s for that before it gives up on a peer).
 */
export async function openUnresponsiveWebsocket(port: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  socket.write(
    'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n' +
      'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  await new Promise((resolve, reject) => {
    socket.once('data', resolve);
    socket.once('error', reject);
  });
  socket.pause();
  // Once the server cuts it, that is expected.
  socket.on('error', () => undefined);
  return socket;
}
