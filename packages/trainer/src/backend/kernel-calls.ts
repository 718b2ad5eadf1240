import { getKernel, type KernelBackend, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';

/**
 * Runs other kernels of one backend from inside a kernel (no engine, no tape: kernels take and
 * return raw `TensorInfo`s), and frees the intermediates it made. Used by the kernel fixes that
 * are built out of a backend's existing kernels.
 */
export class KernelCalls {
  private readonly made: TensorInfo[] = [];

  constructor(
    private readonly backend: KernelBackend,
    private readonly backendName: string,
    /** Names the calling kernel in errors. */
    private readonly caller: string,
  ) {}

  /** Run `kernelName` on this backend; the result is freed by {@link releaseAllBut} unless kept. */
  run(kernelName: string, inputs: NamedTensorInfoMap | TensorInfo[], attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = getKernel(kernelName, this.backendName);
    if (!kernel) throw new Error(`${this.caller} on '${this.backendName}' needs the '${kernelName}' kernel, which that backend lacks`);
    const out = kernel.kernelFunc({ inputs: inputs as NamedTensorInfoMap, backend: this.backend, attrs }) as TensorInfo;
    this.made.push(out);
    return out;
  }

  /** Free `info` now (it must have come from {@link run}). */
  release(info: TensorInfo): void {
    const at = this.made.indexOf(info);
    if (at >= 0) this.made.splice(at, 1);
    this.backend.disposeData(info.dataId);
  }

  /** Free everything made so far except `keep`. */
  releaseAllBut(keep?: TensorInfo): void {
    for (const info of this.made) if (info !== keep) this.backend.disposeData(info.dataId);
    this.made.length = 0;
  }
}
