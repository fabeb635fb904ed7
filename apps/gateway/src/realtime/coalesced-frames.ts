import type { Server } from 'socket.io';

/** What engine.io hands its server's `flush` listeners: the socket and the packets it is about to send. */
interface FlushingSocket {
  transport: { name: string; socket?: { _socket?: { cork(): void; uncork(): void } } };
}

/**
 * Sends the packets engine.io flushes together in one write system call instead of one per packet.
 *
 * engine.io queues the events emitted while a websocket write is pending and then sends them in
 * one batch, but `ws` writes each frame on its own (cork/uncork per frame), so a reply's deltas,
 * its end and the avatar state each cost a `writev`: 28% of a loaded gateway's CPU time in
 * `npm run bench load`. Corking the TCP socket around the batch makes the frames one write; the
 * frames and their order are unchanged.
 */
export function coalesceFlushedFrames(server: Server): void {
  server.engine.on('flush', (socket: FlushingSocket, packets: unknown[]) => {
    if (packets.length < 2 || socket.transport.name !== 'websocket') return;
    // ws keeps the TCP socket in a private field; without it the frames go out one by one as before.
    const tcp = socket.transport.socket?._socket;
    if (!tcp) return;
    tcp.cork();
    // The batch is written synchronously by transport.send right after this event.
    process.nextTick(() => tcp.uncork());
  });
}
