/**
 * Choosing the tfjs compute backend.
 *
 * tfjs keeps one active backend per process (its engine is global), so this is the one place in
 * Syncopate that changes it. Candidates are tried fastest first — native TensorFlow with CUDA,
 * native TensorFlow on the CPU, WebAssembly, plain JavaScript — starting from the preferred one;
 * every attempt is reported with its reason, and the chosen backend gets its kernel fixes.
 */
import { OptionError, booleanOption, choiceOption, knownOptions } from '@syncopate/core';
import { setBackend } from '@tensorflow/tfjs';
import { applyKernelFixes } from './kernel-fixes.js';
import { NATIVE_PACKAGES, importModule, startNativeBackend, type ModuleImporter } from './native-backend.js';
import { startWasmBackend, wasmBinaryDirectory } from './wasm-backend.js';

/** The backends Syncopate knows how to choose. `tensorflow` is tfjs-node(-gpu). */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /**
   * Where to start: `auto` (default) and `tensorflow` try tfjs-node-gpu, tfjs-node, wasm, cpu in
   * that order; `wasm` tries wasm then cpu; `cpu` takes the plain JavaScript backend (for tiny
   * tests, or to compare against).
   */
  readonly prefer?: 'auto' | BackendName;
  /** Fall back to the next candidate when the preferred one fails (default true); otherwise throw. */
  readonly fallback?: boolean;
  /** Apply the kernel fixes for the chosen backend (default true). */
  readonly kernelFixes?: boolean;
  /** Directory of the `.wasm` binaries (default: the installed `@tensorflow/tfjs-backend-wasm`'s `dist/`). */
  readonly wasmPaths?: string;
  /** How packages are imported; tests inject one to simulate installed or broken native packages. */
  readonly importModule?: ModuleImporter;
}

/** One candidate that was tried. */
export interface BackendAttempt {
  readonly backend: BackendName;
  /** The package that provides it. */
  readonly source: string;
  readonly ok: boolean;
  /** Why it failed, or what it found (`SIMD, 1 thread`). */
  readonly detail: string;
}

/** What {@link selectBackend} chose and why. */
export interface BackendSelection {
  readonly backend: BackendName;
  /** The package that provides it, e.g. `@tensorflow/tfjs-backend-wasm`. */
  readonly source: string;
  /** One line for logs: the choice and why the candidates before it were skipped. */
  readonly reason: string;
  /** Every candidate tried, in order, the chosen one last. */
  readonly attempts: readonly BackendAttempt[];
  /** Kernels replaced or added by Syncopate's fixes for this backend. */
  readonly kernelFixes: readonly string[];
}

interface Candidate {
  readonly backend: BackendName;
  readonly source: string;
  start(): Promise<string>;
}

/**
 * Pick and activate the best available tfjs backend, apply its kernel fixes, and say what was
 * chosen and why. Safe to call again (the fixes are idempotent). The backends are those of
 * TensorFlow.js (Smilkov et al., "TensorFlow.js: machine learning for the web and beyond",
 * SysML 2019).
 *
 * @example
 * ```ts
 * const selection = await selectBackend();           // tfjs-node(-gpu) if installed, else wasm
 * console.log(selection.reason);
 * // "wasm (@tensorflow/tfjs-backend-wasm: SIMD, 1 thread); skipped: @tensorflow/tfjs-node-gpu is not installed; …"
 * await selectBackend({ prefer: 'cpu' });            // tiny tests
 * ```
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendSelection> {
  knownOptions('selectBackend', options, ['prefer', 'fallback', 'kernelFixes', 'wasmPaths', 'importModule']);
  const prefer = choiceOption('selectBackend', 'prefer', options.prefer, ['auto', 'tensorflow', 'wasm', 'cpu'] as const, 'auto');
  const fallback = booleanOption('selectBackend', 'fallback', options.fallback, true);
  const kernelFixes = booleanOption('selectBackend', 'kernelFixes', options.kernelFixes, true);
  if (options.wasmPaths !== undefined && (typeof options.wasmPaths !== 'string' || options.wasmPaths.length === 0)) {
    throw new OptionError('selectBackend', 'wasmPaths', 'must be a non-empty directory path');
  }
  if (options.importModule !== undefined && typeof options.importModule !== 'function') {
    throw new OptionError('selectBackend', 'importModule', 'must be a function (specifier) => Promise<module>');
  }
  const load = options.importModule ?? importModule;
  const wasmDirectory = options.wasmPaths ? options.wasmPaths.replace(/\/?$/, '/') : undefined;

  const all: Candidate[] = [
    ...NATIVE_PACKAGES.map((source) => ({
      backend: 'tensorflow' as const,
      source,
      start: async () => {
        await startNativeBackend(source, load);
        return 'native TensorFlow';
      },
    })),
    {
      backend: 'wasm',
      source: '@tensorflow/tfjs-backend-wasm',
      start: async () => {
        const info = await startWasmBackend(wasmDirectory ?? wasmBinaryDirectory());
        return `${info.simd ? 'SIMD' : 'no SIMD'}, ${info.threads} thread${info.threads === 1 ? '' : 's'}`;
      },
    },
    {
      backend: 'cpu',
      source: '@tensorflow/tfjs-backend-cpu',
      start: async () => {
        if (!(await setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
        return 'plain JavaScript';
      },
    },
  ];
  const first = all.findIndex((c) => prefer === 'auto' || c.backend === prefer);
  const candidates = all.slice(first);

  const attempts: BackendAttempt[] = [];
  for (const candidate of candidates) {
    try {
      const detail = await candidate.start();
      attempts.push({ backend: candidate.backend, source: candidate.source, ok: true, detail });
      const fixed = kernelFixes ? applyKernelFixes(candidate.backend) : [];
      const skipped = attempts.filter((a) => !a.ok).map((a) => a.detail);
      const reason = `${candidate.backend} (${candidate.source}: ${detail})${skipped.length ? `; skipped: ${skipped.join('; ')}` : ''}`;
      return Object.freeze({ backend: candidate.backend, source: candidate.source, reason, attempts: Object.freeze(attempts), kernelFixes: Object.freeze(fixed) });
    } catch (error) {
      attempts.push({ backend: candidate.backend, source: candidate.source, ok: false, detail: (error as Error).message ?? String(error) });
      const preferredFailed = prefer !== 'auto' && !fallback && attempts.every((a) => a.backend === prefer);
      const nextIsPreferred = candidates[attempts.length]?.backend === prefer;
      if (preferredFailed && !nextIsPreferred) {
        throw new OptionError('selectBackend', 'prefer', `'${prefer}' is not available (${attempts.map((a) => a.detail).join('; ')}) and fallback is false`);
      }
    }
  }
  throw new OptionError('selectBackend', 'prefer', `no tfjs backend could start: ${attempts.map((a) => a.detail).join('; ')}`);
}
