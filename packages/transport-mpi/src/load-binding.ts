import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { TransportError } from '@syncopate/core';
import type { MpiBinding } from './binding.js';

/** What is missing when the MPI binding cannot be loaded. */
export type MpiUnavailableReason = 'addon-not-built' | 'mpi-runtime-missing' | 'wrong-node' | 'outdated-addon' | 'load-failed';

/**
 * The MPI binding cannot be loaded. The message says what to install or run; `remedy` holds
 * just that command line.
 */
export class MpiUnavailableError extends TransportError {
  constructor(
    readonly reason: MpiUnavailableReason,
    message: string,
    readonly remedy: string,
    options?: { cause?: unknown },
  ) {
    super(`@syncopate/transport-mpi: ${message}`, [], options);
  }
}

/** Where and how {@link loadMpiBinding} looks; every field defaults to the real thing. */
export interface LoadMpiBindingOptions {
  /** The compiled addon. Default: `build/Release/syncopate_mpi.node` in this package. */
  readonly addonPath?: string;
  /** Loads a `.node` file. Default: Node's `require`. */
  readonly load?: (path: string) => unknown;
  /** Whether a file exists. Default: `fs.existsSync`. */
  readonly exists?: (path: string) => boolean;
  /** Debian multiarch triplet of this machine, e.g. `x86_64-linux-gnu`. */
  readonly multiarch?: string;
}

/** The compiled addon inside this package. */
export const DEFAULT_ADDON_PATH = fileURLToPath(new URL('../build/Release/syncopate_mpi.node', import.meta.url));

const INSTALL_OPEN_MPI = 'apt-get install -y openmpi-bin libopenmpi-dev g++ make python3';
const REBUILD = 'npm rebuild @syncopate/transport-mpi';
const REQUIRED: readonly (keyof MpiBinding)[] = [
  'init', 'finalize', 'abort', 'wtime', 'isInitialized', 'isFinalized', 'inFlight', 'commRank', 'commSize', 'split',
  'commFree', 'allreduce', 'allreduceNow', 'broadcast', 'broadcastNow', 'allgather', 'allgatherv', 'gather', 'reduceScatter', 'barrier',
  'barrierNow', 'ringAllreduce', 'send', 'recv', 'cancel',
];

function debianMultiarch(): string {
  return process.arch === 'arm64' ? 'aarch64-linux-gnu' : process.arch === 'x64' ? 'x86_64-linux-gnu' : `${process.arch}-linux-gnu`;
}

/**
 * Loads the native Open MPI binding, or throws a {@link MpiUnavailableError} that says exactly
 * what to install or run: Open MPI's packages when they are missing, the rebuild command when
 * only the addon is, and why the addon did not load otherwise.
 *
 * @example
 * ```ts
 * const transport = new MpiTransport(loadMpiBinding());
 * ```
 */
export function loadMpiBinding(options: LoadMpiBindingOptions = {}): MpiBinding {
  const addonPath = options.addonPath ?? DEFAULT_ADDON_PATH;
  const exists = options.exists ?? existsSync;
  const load = options.load ?? createRequire(import.meta.url);
  const multiarch = options.multiarch ?? debianMultiarch();
  const header = `/usr/lib/${multiarch}/openmpi/include/mpi.h`;

  if (!exists(addonPath)) {
    if (!exists(header)) {
      throw new MpiUnavailableError(
        'addon-not-built',
        `the native addon is not built (${addonPath} is missing) because Open MPI's development files are not installed ` +
          `(${header} is missing). Install Open MPI and a C++ tool chain with \`${INSTALL_OPEN_MPI}\` ` +
          `(Debian/Ubuntu, as root), then build the addon with \`${REBUILD}\`.`,
        `${INSTALL_OPEN_MPI} && ${REBUILD}`,
      );
    }
    throw new MpiUnavailableError(
      'addon-not-built',
      `the native addon is not built (${addonPath} is missing). Open MPI is installed; build the addon with \`${REBUILD}\` ` +
        `(it runs \`node-gyp rebuild --nodedir=/usr\`; its output names any missing tool).`,
      REBUILD,
    );
  }

  let loaded: unknown;
  try {
    loaded = load(addonPath);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (/libmpi[^:]*: cannot open shared object file/.test(text)) {
      throw new MpiUnavailableError(
        'mpi-runtime-missing',
        `Open MPI's runtime library is missing (${text.split('\n')[0]}). Install it with \`apt-get install -y openmpi-bin\`.`,
        'apt-get install -y openmpi-bin',
        { cause: error },
      );
    }
    if (/NODE_MODULE_VERSION|was compiled against a different Node\.js/.test(text)) {
      throw new MpiUnavailableError(
        'wrong-node',
        `the native addon was built for another version of Node.js (${process.version} is running). Rebuild it with \`${REBUILD}\`.`,
        REBUILD,
        { cause: error },
      );
    }
    throw new MpiUnavailableError(
      'load-failed',
      `the native addon at ${addonPath} did not load: ${text.split('\n')[0]}. Rebuild it with \`${REBUILD}\` and read node-gyp's output.`,
      REBUILD,
      { cause: error },
    );
  }

  const missing = REQUIRED.filter((name) => typeof (loaded as Record<string, unknown> | null)?.[name] !== 'function');
  if (missing.length > 0) {
    throw new MpiUnavailableError(
      'outdated-addon',
      `the native addon at ${addonPath} is out of date (it lacks ${missing.join(', ')}). Rebuild it with \`${REBUILD}\`.`,
      REBUILD,
    );
  }
  return loaded as MpiBinding;
}
