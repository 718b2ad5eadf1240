import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { env, setBackend } from '@tensorflow/tfjs';

/**
 * Loading the wasm backend in Node. The package's `.wasm` binaries sit next to its `dist/` entry
 * point; emscripten would look for them relative to the running script, so the directory is
 * given explicitly with `setWasmPaths` before the backend initialises. In Node the backend runs
 * the SIMD binary on one thread (emscripten's pthread workers are created from `blob:` URLs,
 * which Node's `Worker` refuses).
 */

/** The directory holding `tfjs-backend-wasm*.wasm` in the installed `@tensorflow/tfjs-backend-wasm`, with a trailing slash. */
export function wasmBinaryDirectory(): string {
  const require = createRequire(import.meta.url);
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`;
}

/** What initialising the wasm backend found. */
export interface WasmInfo {
  readonly simd: boolean;
  readonly threads: number;
}

/**
 * Register the wasm backend (importing its package registers it), point it at its binaries and
 * make it the active backend. Throws with the reason when it cannot start.
 */
export async function startWasmBackend(binaryDirectory = wasmBinaryDirectory()): Promise<WasmInfo> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // Only the first initialisation reads the path; later calls change nothing. (Do not probe with
  // tf.findBackend('wasm'): it starts the initialisation, with the default path.)
  wasm.setWasmPaths(binaryDirectory);
  if (!(await setBackend('wasm'))) {
    throw new Error(`the wasm backend did not initialise (binaries looked up in ${binaryDirectory})`);
  }
  return { simd: Boolean(await env().getAsync('WASM_HAS_SIMD_SUPPORT')), threads: wasm.getThreadsCount() };
}
