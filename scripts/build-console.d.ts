/** Builds apps/console into dist/console unless the build there is of the current sources. */
export function buildConsoleIfStale(options?: { quiet?: boolean }): Promise<{ built: boolean; ms?: number }>;
export const consoleDir: string;
