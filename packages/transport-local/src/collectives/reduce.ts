import type { NumericArray, ReduceOp } from '@syncopate/core';

/**
 * `target[i] = op(target[i], source[i])`. Sums round to the target's type after every addition
 * (int32 wraps around); `max`/`min` propagate NaN.
 */
export function reduceInto(target: NumericArray, source: NumericArray, op: ReduceOp): void {
  const n = target.length;
  if (op === 'sum') {
    for (let i = 0; i < n; i++) target[i] += source[i]!;
  } else if (op === 'max') {
    for (let i = 0; i < n; i++) {
      const s = source[i]!;
      if (s > target[i]! || s !== s) target[i] = s;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const s = source[i]!;
      if (s < target[i]! || s !== s) target[i] = s;
    }
  }
}
