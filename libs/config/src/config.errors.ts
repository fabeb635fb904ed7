/** Start-up configuration is invalid; `problems` names each bad variable. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';

  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.variable} ${p.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}
