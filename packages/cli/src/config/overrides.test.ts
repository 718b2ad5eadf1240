import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli-error.js';
import { applyOverrides, setField } from './overrides.js';

describe('--set overrides', () => {
  it('sets nested fields and array elements without touching the original', () => {
    const raw = { data: { name: 'fashion-mnist' }, plugins: [{ name: 'localSgd', options: { period: 4 } }, 'slowMo'] };
    const result = applyOverrides(raw, ['data.trainExamples=512', 'plugins[0].options.period=8', 'plugins[1]=errorFeedback', 'epochs=2']);
    expect(result).toEqual({
      data: { name: 'fashion-mnist', trainExamples: 512 },
      plugins: [{ name: 'localSgd', options: { period: 8 } }, 'errorFeedback'],
      epochs: 2,
    });
    expect(raw.plugins[0]).toEqual({ name: 'localSgd', options: { period: 4 } });
  });

  it('reads values as JSON when they parse, else as strings', () => {
    expect(applyOverrides({}, ['a=true', 'b=[1,2]', 'c={"kind":"simulated"}', 'd=0.5', 'e=hello', 'f="7"'])).toEqual({
      a: true,
      b: [1, 2],
      c: { kind: 'simulated' },
      d: 0.5,
      e: 'hello',
      f: '7',
    });
  });

  it('creates missing objects and arrays on the way', () => {
    expect(setField(undefined, 'plugins[1].options.ratio', 0.1)).toEqual({ plugins: [undefined, { options: { ratio: 0.1 } }] });
  });

  it('refuses malformed assignments and paths with a usage error', () => {
    expect(() => applyOverrides({}, ['epochs'])).toThrow(UsageError);
    expect(() => applyOverrides({}, ['=3'])).toThrow("--set: expected path=value, got '=3'");
    expect(() => applyOverrides({}, ['data..name=x'])).toThrow(/is not a field path/);
    expect(() => applyOverrides({}, ['plugins[x]=1'])).toThrow(/is not a field path/);
  });
});
