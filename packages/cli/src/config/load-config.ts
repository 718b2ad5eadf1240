/**
 * A config as the command line gives it: the file (or a built-in config), then the command's
 * flags (`--ranks`, `--transport`, `--epochs`, `--metrics`, `--trace`, `--backend`), then `--set` overrides,
 * then validation.
 */
import { applyOverrides, setField } from './overrides.js';
import type { TrainConfig } from './train-config.js';
import { validateConfig } from './validate-config.js';

/** Flags that override config fields. */
export interface ConfigFlags {
  readonly ranks?: number;
  readonly transport?: string;
  readonly epochs?: number;
  readonly metrics?: string;
  readonly trace?: string;
  readonly backend?: string;
  /** `path=value` assignments, applied last. */
  readonly set?: readonly string[];
}

/** `raw` with the flags applied. A `--transport` of the kind the file already configures keeps its settings. */
export function withFlags(raw: unknown, flags: ConfigFlags): unknown {
  let result = raw;
  if (flags.ranks !== undefined) result = setField(result, 'ranks', flags.ranks);
  if (flags.transport !== undefined) {
    const current = (result as { transport?: unknown } | null)?.transport;
    const kind = typeof current === 'string' ? current : (current as { kind?: unknown } | undefined)?.kind;
    if (kind !== flags.transport) result = setField(result, 'transport', flags.transport);
  }
  if (flags.epochs !== undefined) result = setField(result, 'epochs', flags.epochs);
  if (flags.metrics !== undefined) result = setField(result, 'metrics', flags.metrics);
  if (flags.trace !== undefined) result = setField(result, 'trace', flags.trace);
  if (flags.backend !== undefined) result = setField(result, 'backend', flags.backend);
  return applyOverrides(result, flags.set ?? []);
}

/** Validate `raw` (read from `source`) after applying `flags`. */
export function loadConfig(raw: unknown, source: string, flags: ConfigFlags = {}): TrainConfig {
  return validateConfig(withFlags(raw, flags), source);
}
