import { findBackendFactory, setBackend } from '@tensorflow/tfjs';

/**
 * The native TensorFlow backends. `@tensorflow/tfjs-node-gpu` and `@tensorflow/tfjs-node`
 * download libtensorflow when they are installed, so they are optional: Syncopate never depends
 * on them and loads them with a dynamic import. Either one registers the backend `tensorflow`.
 */
export const NATIVE_PACKAGES = Object.freeze(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);

/** Imports a module by name; injectable so tests can pretend a package is (or is not) installed. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** The default importer: Node's dynamic `import()`. */
export const importModule: ModuleImporter = (specifier) => import(specifier);

/** Whether `error` is Node's "package not installed" error. */
function isNotInstalled(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/**
 * Import `packageName` and activate the `tensorflow` backend it registers. Resolves when active;
 * throws an Error whose message says why not (not installed, failed to load, registered with
 * another copy of tfjs, failed to initialise).
 */
export async function startNativeBackend(packageName: string, load: ModuleImporter = importModule): Promise<void> {
  try {
    await load(packageName);
  } catch (error) {
    if (isNotInstalled(error)) throw new Error(`${packageName} is not installed`);
    throw new Error(`${packageName} failed to load: ${(error as Error)?.message ?? String(error)}`);
  }
  if (!findBackendFactory('tensorflow')) {
    throw new Error(`${packageName} loaded but registered no 'tensorflow' backend with this copy of @tensorflow/tfjs (two tfjs versions installed?)`);
  }
  if (!(await setBackend('tensorflow'))) throw new Error(`${packageName}: the 'tensorflow' backend did not initialise`);
}
