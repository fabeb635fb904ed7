import { Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';

/**
 * socket.io for Nest without RxJS pipelines held per socket. Nest's IoAdapter keeps, for every
 * socket and every @SubscribeMessage handler, a fromEvent → mergeMap → takeUntil(disconnect)
 * subscription: about 14 KB of closures and subscribers per idle socket (heap snapshots of 2,000
 * sockets), more than bare socket.io's whole socket. Here each handler is one listener; an event's
 * work becomes an observable only while it runs. Answers are Nest's: `{ event, data }` is emitted,
 * anything else acknowledges (unless the handler acknowledges itself); nothing is sent for nil.
 */
export class LeanIoAdapter extends IoAdapter {
  private readonly logger = new Logger('Socket');

  override bindMessageHandlers(
    // Nest's own copy of socket.io's types.
    socket: Parameters<IoAdapter['bindMessageHandlers']>[0],
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(message as string, (...args: unknown[]) => {
        // As rxjs' fromEvent hands it to Nest's mapPayload: one argument alone, several as an array.
        const { data, ack } = this.mapPayload(args.length > 1 ? args : args[0]);
        transform(callback(data, ack)).subscribe({
          next: (response) => {
            if (response === null || response === undefined) return;
            const { event, data: payload } = response as { event?: string; data?: unknown };
            if (event) socket.emit(event, payload);
            else if (!isAckHandledManually && typeof ack === 'function') ack(response);
          },
          // Nest's exception filters answer the client before this; what still escapes is logged.
          error: (error: unknown) => this.logger.error({ err: error, event: message }, 'socket event failed'),
        });
      });
    }
  }
}
