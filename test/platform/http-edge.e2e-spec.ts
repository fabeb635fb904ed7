import * as http from 'node:http';
import { connectChat } from '../support/chat-client';
import { TEST_ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

interface UploadOutcome {
  status?: number;
  code?: string;
  /** Bytes of the body sent when the answer arrived. */
  sentWhenAnswered: number;
  total: number;
  socketClosed: boolean;
}

/**
 * Streams a `total`-byte text body to a knowledge import in 64 KiB chunks, as fast as the server
 * takes them, and stops at the answer; reports how much was sent by then.
 */
function upload(
  url: string,
  headers: Record<string, string>,
  total: number,
  options: { awaitClose: boolean },
): Promise<UploadOutcome> {
  return new Promise((resolve, reject) => {
    const outcome: UploadOutcome = { sentWhenAnswered: -1, total, socketClosed: false };
    let sent = 0;
    let answered = false;
    const request = http.request(`${url}/v1/knowledge-bases/big/import?format=qa`, {
      method: 'POST',
      // Keep-alive, so a closed connection is the server's doing.
      agent: new http.Agent({ keepAlive: true }),
      headers: { 'content-type': 'text/plain', 'content-length': String(total), ...headers },
    });
    request.on('response', (response) => {
      answered = true;
      outcome.sentWhenAnswered = sent;
      outcome.status = response.statusCode;
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        outcome.code = (JSON.parse(body) as { code?: string }).code;
        if (!options.awaitClose) return resolve(outcome);
        request.socket?.once('close', () => {
          outcome.socketClosed = true;
          resolve(outcome);
        });
        if (request.socket?.destroyed) {
          outcome.socketClosed = true;
          resolve(outcome);
        }
      });
    });
    // Writing into a socket the server closed: expected once it has answered.
    request.on('error', (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once('drain', pump);
      }
      if (!answered) request.end();
    };
    pump();
  });
}

describe('the HTTP edge (Postgres server)', () => {
  describe('authentication before the body', () => {
    let server: TestApp;
    beforeAll(async () => {
      server = await startTestApp(testDatabases()[1]);
    });
    afterAll(async () => {
      await server?.close();
    });

    it.each([
      ['no key', {}],
      ['a wrong key', { authorization: 'Bearer zb_root_not-a-real-key-000000' }],
    ])(
      'a 50 MB upload with %s is refused with 401 before it is read, and its connection closed',
      async (_, headers) => {
        const outcome = await upload(server.url, headers, 50 * 1024 * 1024, { awaitClose: true });
        expect(outcome).toMatchObject({ status: 401, code: 'auth_unauthorized', socketClosed: true });
        // Without the check first, the server reads all 50 MB, then answers.
        expect(outcome.sentWhenAnswered).toBeLessThan(outcome.total / 4);
      },
    );

    it('the same route with a good key still reads its body', async () => {
      const outcome = await upload(server.url, { authorization: `Bearer ${TEST_ADMIN_KEY}` }, 64 * 1024, {
        awaitClose: false,
      });
      // The body is read and judged: 64 KiB of "a" is no QA file.
      expect(outcome.status).not.toBe(401);
      expect(outcome.sentWhenAnswered).toBe(outcome.total);
    });
  });

  describe.each([
    ['unset: X-Forwarded-For is ignored', {}, false],
    ['loopback: the proxy on 127.0.0.1 is trusted', { ZHIBING_TRUST_PROXY: 'loopback' }, true],
  ])('ZHIBING_TRUST_PROXY %s', (_, env: Record<string, string>, trusted) => {
    let server: TestApp;
    beforeAll(async () => {
      server = await startTestApp(testDatabases()[1], { ZHIBING_LIMIT_AUTH_FAILURES: '2', ...env });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('per-IP limits count the forwarded client only when trusted, for REST and sockets alike', async () => {
      const wrongKey = (forwardedFor: string) =>
        fetch(`${server.url}/v1/personas`, {
          headers: { authorization: 'Bearer zb_root_wrong-key-0000000000', 'x-forwarded-for': forwardedFor },
        });
      expect((await wrongKey('203.0.113.1')).status).toBe(401);
      expect((await wrongKey('203.0.113.1')).status).toBe(401);
      expect((await wrongKey('203.0.113.1')).status).toBe(429);
      // Another client behind the same proxy: its own count when trusted; the proxy's (used up) when not.
      expect((await wrongKey('203.0.113.2')).status).toBe(trusted ? 401 : 429);

      // A socket with a good key from the limited client is refused; from a fresh one it connects (when trusted).
      const socketFrom = async (forwardedFor: string) => {
        const client = await connectChat(server.url, { key: TEST_ADMIN_KEY, forwardedFor });
        try {
          // Either the session starts, or the handshake is refused: an error event says why, then a disconnect.
          return await new Promise<string>((resolve) => {
            client
              .waitFor('error', () => true, 5000)
              .then(
                (error: { code: string }) => resolve(error.code),
                () => resolve('neither'),
              );
            client.socket.emit('session.start', { personaId: 'front-desk' }, (answer: { ok: boolean }) => {
              if (answer.ok) resolve('ok');
            });
          });
        } finally {
          client.close();
        }
      };
      expect(await socketFrom('203.0.113.1')).toBe('auth_rate_limited');
      expect(await socketFrom('203.0.113.3')).toBe(trusted ? 'ok' : 'auth_rate_limited');
    });
  });
});
