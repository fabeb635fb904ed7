import { ZhibingError } from '@zhibing/protocol';

/** The widget route's error codes, with the HTTP status each one answers. */
export const WIDGET_ERROR_STATUS = {
  widget_unavailable: 503,
} as const;
export type WidgetErrorCode = keyof typeof WIDGET_ERROR_STATUS;

export class WidgetError extends ZhibingError {
  constructor(code: WidgetErrorCode, message: string) {
    super(code, message);
    this.name = 'WidgetError';
  }

  static notBuilt(): WidgetError {
    return new WidgetError(
      'widget_unavailable',
      'The widget is not built: `npm start`, `npm test` or `npm run build` builds it into dist/widget',
    );
  }
}
