/** Every factory checks its options at once and names the option and its allowed range. */
import { OptionError } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import * as compression from '../index.js';

describe('compressor factories validate their options eagerly', () => {
  const bad: [string, () => unknown, RegExp][] = [
    ['topK ratio 0', () => compression.topK({ ratio: 0 }), /topK: option 'ratio' must be a finite number > 0 <= 1, got 0/],
    ['topK ratio 1.5', () => compression.topK({ ratio: 1.5 }), /'ratio' must be .* <= 1, got 1.5/],
    ['topK typo', () => compression.topK({ raito: 0.1 } as never), /'raito' is not an option of topK \(did you mean 'ratio'\?\)/],
    ['randomK sharedMask', () => compression.randomK({ sharedMask: 'yes' as never }), /randomK: option 'sharedMask' must be true or false/],
    ['qsgd levels 0', () => compression.qsgd({ levels: 0 }), /qsgd: option 'levels' must be an integer >= 1 <= 32767, got 0/],
    ['qsgd bucketSize 1.5', () => compression.qsgd({ bucketSize: 1.5 }), /'bucketSize' must be an integer/],
    ['minMax8Bit rounding', () => compression.minMax8Bit({ rounding: 'up' as never }), /'rounding' must be one of 'nearest', 'stochastic', got "up"/],
    ['threshold missing', () => compression.threshold(), /threshold: option 'threshold' is required/],
    ['threshold negative', () => compression.threshold({ threshold: -1 }), /'threshold' must be a finite number > 0/],
    ['powerSgd rank 0', () => compression.powerSgd({ rank: 0 }), /powerSgd: option 'rank' must be an integer >= 1/],
    ['countSketch rows', () => compression.countSketch({ rows: 0 }), /countSketch: option 'rows'/],
    ['dgc warmupSteps', () => compression.deepGradientCompression({ warmupSteps: -1 }), /'warmupSteps' must be an integer >= 0/],
    ['gTopK ratio', () => compression.gTopK({ ratio: Number.NaN }), /gTopK: option 'ratio'/],
    ['ternGrad scalarSharing', () => compression.ternGrad({ scalarSharing: 1 as never }), /'scalarSharing' must be true or false/],
    ['momentumCorrection momentum 1', () => compression.momentumCorrection({ momentum: 1 }), /'momentum' must be a finite number >= 0 < 1, got 1/],
    ['identity options', () => compression.identity({ x: 1 } as never), /'x' is not an option of identity; known options: none/],
    ['fp16 not an object', () => compression.fp16(3 as never), /fp16: option 'options' must be an object/],
  ];
  for (const [label, make, message] of bad) {
    it(`refuses ${label}`, () => {
      expect(make).toThrow(OptionError);
      expect(make).toThrow(message);
    });
  }

  it('fills in defaults and freezes the resulting spec', () => {
    const spec = compression.qsgd();
    expect(spec.options).toEqual({ levels: 127, bucketSize: 512 });
    expect(Object.isFrozen(spec) && Object.isFrozen(spec.options)).toBe(true);
    expect(compression.topK().options).toEqual({ ratio: 0.01 });
    expect(compression.deepGradientCompression().options).toEqual({ ratio: 0.001, warmupSteps: 0, initialRatio: 0.25, warmupStages: 4 });
  });
});
