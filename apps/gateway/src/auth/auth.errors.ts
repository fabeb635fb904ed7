import { ZhibingError } from '@zhibing/protocol';

export class AuthError extends ZhibingError {
  static missing(): AuthError {
    return new AuthError('auth_unauthorized', 'Missing API key: send Authorization: Bearer <key>');
  }

  static invalid(): AuthError {
    return new AuthError('auth_unauthorized', 'Invalid or revoked API key');
  }

  static revoked(): AuthError {
    return new AuthError('auth_unauthorized', 'This API key was revoked');
  }

  static forbidden(reason: string): AuthError {
    return new AuthError('auth_forbidden', reason);
  }
}
