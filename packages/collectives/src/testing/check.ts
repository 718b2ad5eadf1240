/** A broken property: names the rank and what differed. */
export class PropertyViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PropertyViolation';
  }
}

/** Throw a {@link PropertyViolation} with `message()` unless `condition` holds. */
export function check(condition: boolean, message: () => string): void {
  if (!condition) throw new PropertyViolation(message());
}

/** Same bits: compares the bytes of two typed arrays. */
export function sameBits(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
