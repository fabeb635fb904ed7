import { ZhibingError } from '@zhibing/protocol';

/** The console's error codes, with the HTTP status each one answers. */
export const CONSOLE_ERROR_STATUS = {
  console_unavailable: 503,
  console_file_not_found: 404,
} as const;
export type ConsoleErrorCode = keyof typeof CONSOLE_ERROR_STATUS;

export class ConsoleError extends ZhibingError {
  constructor(code: ConsoleErrorCode, message: string) {
    super(code, message);
    this.name = 'ConsoleError';
  }

  static notBuilt(): ConsoleError {
    return new ConsoleError(
      'console_unavailable',
      'The console is not built: `npm start` or `npm run build` builds it into dist/console',
    );
  }

  static noSuchFile(): ConsoleError {
    return new ConsoleError('console_file_not_found', 'No such file in the console');
  }
}
