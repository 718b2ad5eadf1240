import { describe, expect, it } from 'vitest';
import { OptionError } from './errors.js';
import { choiceOption, knownOptions, numberOption } from './options.js';

describe('option checks', () => {
  it('accepts values in range and fills defaults', () => {
    expect(numberOption('topK', 'ratio', 0.01, { above: 0, max: 1 })).toBe(0.01);
    expect(numberOption('localSgd', 'period', undefined, { min: 1, integer: true }, 8)).toBe(8);
    expect(choiceOption('slowMo', 'baseBuffer', undefined, ['reset', 'average', 'keep'], 'reset')).toBe('reset');
  });

  it('names the plugin, the option and the allowed range', () => {
    expect(() => numberOption('topK', 'ratio', 2, { above: 0, max: 1 })).toThrow(
      "topK: option 'ratio' must be a finite number > 0 <= 1, got 2",
    );
    expect(() => numberOption('localSgd', 'period', 2.5, { min: 1, integer: true })).toThrow(/an integer >= 1, got 2.5/);
    expect(() => numberOption('qsgd', 'levels', Number.NaN, { min: 1 })).toThrow(OptionError);
    expect(() => numberOption('qsgd', 'levels', '4', { min: 1 })).toThrow(/got "4"/);
    expect(() => choiceOption('slowMo', 'baseBuffer', 'drop', ['reset', 'average', 'keep'])).toThrow(
      /must be one of 'reset', 'average', 'keep', got "drop"/,
    );
  });

  it('rejects unknown keys and suggests the closest known one', () => {
    expect(() => knownOptions('localSgd', { perod: 8 }, ['period', 'warmup'])).toThrow(/did you mean 'period'/);
    expect(() => knownOptions('localSgd', { zzz: 1 }, ['period'])).toThrow(/known options: period/);
    expect(() => knownOptions('localSgd', [1], ['period'])).toThrow(/must be an object/);
    expect(() => knownOptions('localSgd', { period: 8 }, ['period'])).not.toThrow();
  });
});
