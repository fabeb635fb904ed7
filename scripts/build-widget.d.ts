/** Builds apps/widget into dist/widget/zhibing-widget.js unless the build there is of the current sources. */
export function buildWidgetIfStale(options?: {
  quiet?: boolean;
}): Promise<{ built: boolean; ms?: number; bytes?: number }>;
/** The built widget (what the gateway serves at /widget.js). */
export const widgetFile: string;
