/** The database could not be opened or reached. */
export class DatabaseUnavailableError extends Error {
  readonly code: 'database_unavailable' | 'database_locked' = 'database_unavailable';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}
