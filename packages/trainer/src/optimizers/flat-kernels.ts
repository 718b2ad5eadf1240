/**
 * Arithmetic on the trainer's flat buffers, with a WebAssembly SIMD fast path.
 *
 * Why: one SGD update of a 200k-parameter MLP, written as a JavaScript loop over Float32Arrays,
 * costs about 0.3 ms — 5–9 % of a 6.5 ms wasm training step, most of the trainer's overhead over a
 * hand-written tfjs loop (docs/benchmarks.md, "Trainer overhead"). The same update as a 4-lane
 * SIMD loop in WebAssembly runs several times faster. For that the buffers must live in the
 * module's memory, so {@link FlatKernels.allocate} hands out Float32Array views of one
 * `WebAssembly.Memory` (sized once, never grown, so views stay valid). On other arrays, or where
 * WebAssembly SIMD is unavailable, the same operation runs as a JavaScript loop.
 *
 * The two paths round differently (float32 arithmetic in SIMD, float64 then rounded to float32 in
 * JavaScript), so the path is part of what ranks compare at start-up ({@link FlatKernels.arithmetic}).
 *
 * The module is assembled below from its instructions rather than shipped as an opaque blob:
 *
 *     axpy(y: i32, x: i32, n: i32, a: f32) -> i32      ;; n floats, a multiple of 4
 *       va = f32x4.splat(a); end = y + 4n
 *       while y < end:
 *         vx  = v128.load(x)
 *         acc = acc + (vx − vx)                          ;; 0 for finite lanes, NaN for NaN/±Inf
 *         v128.store(y, v128.load(y) + va·vx)
 *         y += 16; x += 16
 *       return any_true(acc ≠ acc)                       ;; 1 when some x was not finite
 *
 *     poisoned(x: i32, n: i32) -> i32                    ;; the same check, reading only
 *       end = x + 4n
 *       while x < end: vx = v128.load(x); acc = acc + (vx − vx); x += 16
 *       return any_true(acc ≠ acc)
 */

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const SIMD = 0xfd;

function leb128(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

const name = (text: string) => [...leb128(text.length), ...new TextEncoder().encode(text)];
const section = (id: number, body: number[]) => [id, ...leb128(body.length), ...body];
const vector = (items: number[][]) => [...leb128(items.length), ...items.flat()];
const simd = (opcode: number) => [SIMD, ...leb128(opcode)];
const get = (index: number) => [0x20, index];
const set = (index: number) => [0x21, index];
const memarg = [2, 0]; // alignment 2^2 = 4 bytes (a hint), offset 0

/** The bytes of the module described above. */
function axpyModule(): Uint8Array {
  const [y, x, n, a, end, va, acc, vx] = [0, 1, 2, 3, 4, 5, 6, 7];
  const body = [
    ...vector([
      [1, I32],
      [3, V128],
    ]),
    ...get(a), ...simd(0x13), ...set(va), // f32x4.splat
    ...get(y), ...get(n), 0x41, 2, 0x74, 0x6a, ...set(end), // end = y + (n << 2)
    0x02, 0x40, 0x03, 0x40, // block, loop
    ...get(y), ...get(end), 0x4f, 0x0d, 1, // if (y >= end) break
    ...get(x), ...simd(0x00), ...memarg, ...set(vx), // vx = v128.load(x)
    ...get(acc), ...get(vx), ...get(vx), ...simd(0xe5), ...simd(0xe4), ...set(acc), // acc += vx − vx
    ...get(y), ...get(y), ...simd(0x00), ...memarg, ...get(va), ...get(vx), ...simd(0xe6), ...simd(0xe4), ...simd(0x0b), ...memarg, // y += va·vx
    ...get(y), 0x41, 16, 0x6a, ...set(y),
    ...get(x), 0x41, 16, 0x6a, ...set(x),
    0x0c, 0, 0x0b, 0x0b, // continue; end loop; end block
    ...get(acc), ...get(acc), ...simd(0x42), ...simd(0x53), // any_true(f32x4.ne(acc, acc))
    0x0b,
  ];
  const poisoned = poisonedBody();
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, vector([[0x60, 4, I32, I32, I32, F32, 1, I32], [0x60, 2, I32, I32, 1, I32]])),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 1]])),
    ...section(3, vector([[0], [1]])),
    ...section(7, vector([[...name('axpy'), 0x00, 0], [...name('poisoned'), 0x00, 1]])),
    ...section(10, vector([[...leb128(body.length), ...body], [...leb128(poisoned.length), ...poisoned]])),
  ]);
}

/** The body of `poisoned(x, n)`: the axpy loop's finiteness check without the update. */
function poisonedBody(): number[] {
  const [x, n, end, acc, vx] = [0, 1, 2, 3, 4];
  return [
    ...vector([
      [1, I32],
      [2, V128],
    ]),
    ...get(x), ...get(n), 0x41, 2, 0x74, 0x6a, ...set(end), // end = x + (n << 2)
    0x02, 0x40, 0x03, 0x40, // block, loop
    ...get(x), ...get(end), 0x4f, 0x0d, 1, // if (x >= end) break
    ...get(x), ...simd(0x00), ...memarg, ...set(vx), // vx = v128.load(x)
    ...get(acc), ...get(vx), ...get(vx), ...simd(0xe5), ...simd(0xe4), ...set(acc), // acc += vx − vx
    ...get(x), 0x41, 16, 0x6a, ...set(x),
    0x0c, 0, 0x0b, 0x0b, // continue; end loop; end block
    ...get(acc), ...get(acc), ...simd(0x42), ...simd(0x53), // any_true(f32x4.ne(acc, acc))
    0x0b,
  ];
}

type Axpy = (y: number, x: number, n: number, a: number) => number;
type Poisoned = (x: number, n: number) => number;

/** The part of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

/** Flat-buffer arithmetic, SIMD in WebAssembly when the buffers come from {@link FlatKernels.allocate}. */
export class FlatKernels {
  /** `wasm-simd` or `js`: which arithmetic {@link FlatKernels.axpy} uses on allocated buffers. */
  readonly arithmetic: 'wasm-simd' | 'js';
  private readonly memory: WasmMemory | undefined;
  private readonly kernel: Axpy | undefined;
  private readonly check: Poisoned | undefined;
  private next = 0;

  /** Room for buffers of `capacity` floats in total. `simd: false` forces the JavaScript path. */
  constructor(capacity: number, options: { simd?: boolean } = {}) {
    let memory: WasmMemory | undefined;
    let kernel: Axpy | undefined;
    let check: Poisoned | undefined;
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (options.simd !== false && api) {
      try {
        const bytes = 16 * Math.ceil(capacity / 4) + 64 * 16;
        memory = new api.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
        const instance = new api.Instance(new api.Module(axpyModule()), { env: { memory } });
        kernel = instance.exports.axpy as Axpy;
        check = instance.exports.poisoned as Poisoned;
      } catch {
        memory = undefined;
        kernel = undefined;
        check = undefined;
      }
    }
    this.memory = memory;
    this.kernel = kernel;
    this.check = check;
    this.arithmetic = kernel ? 'wasm-simd' : 'js';
  }

  /** A zeroed buffer of `length` floats (in the SIMD memory while it has room, else ordinary). */
  allocate(length: number): Float32Array {
    const memory = this.memory;
    const bytes = 16 * Math.ceil(length / 4);
    if (!memory || this.next + bytes > memory.buffer.byteLength) return new Float32Array(length);
    const view = new Float32Array(memory.buffer, this.next, length);
    this.next += bytes;
    return view;
  }

  /**
   * In place `y ← y + a·x`. Returns -1, or the index of the first NaN/±Inf in `x` (the update is
   * applied regardless).
   */
  axpy(y: Float32Array, x: Float32Array, a: number): number {
    const n = y.length;
    const kernel = this.kernel;
    let done = 0;
    let poisoned = false;
    if (kernel && y.buffer === this.memory!.buffer && x.buffer === y.buffer && x.length === n && y.byteOffset % 16 === 0 && x.byteOffset % 16 === 0) {
      done = n - (n % 4);
      poisoned = kernel(y.byteOffset, x.byteOffset, done, a) !== 0;
    }
    let poison = 0;
    for (let i = done; i < n; i++) {
      const v = x[i]!;
      poison += v * 0;
      y[i] = y[i]! + a * v;
    }
    if (!poisoned && poison === 0) return -1;
    for (let i = 0; i < n; i++) if (x[i]! - x[i]! !== 0) return i;
    return -1;
  }

  /**
   * The index of the first NaN/±Inf in `x`, or -1, changing nothing: the check {@link axpy} does
   * on its way, as a read-only pass (SIMD on allocated buffers). The trainer runs it on the
   * gradient before the base optimizer's update, so a stopped run keeps the last good step.
   */
  firstNonFinite(x: Float32Array): number {
    const n = x.length;
    const check = this.check;
    let done = 0;
    let poisoned = false;
    if (check && x.buffer === this.memory!.buffer && x.byteOffset % 16 === 0) {
      done = n - (n % 4);
      poisoned = check(x.byteOffset, done) !== 0;
    }
    let poison = 0;
    for (let i = done; i < n; i++) poison += x[i]! * 0;
    if (!poisoned && poison === 0) return -1;
    for (let i = 0; i < n; i++) if (x[i]! - x[i]! !== 0) return i;
    return -1;
  }
}
