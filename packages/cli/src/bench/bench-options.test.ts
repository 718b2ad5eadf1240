import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli-error.js';
import { resolveBenchOptions, type BenchFlagValues } from './bench-options.js';

function usageError(values: BenchFlagValues, positionals: string[] = []): UsageError {
  try {
    resolveBenchOptions(values, positionals);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`no error for ${JSON.stringify(values)}`);
}

describe('syncopate bench options', () => {
  it('fills in 4 ranks, no delay, bench-out and DIR/summary.json; configs keep their order, positionals last', () => {
    expect(resolveBenchOptions({ net: '100mbit', config: ['b.json', 'a.json'] }, ['c.yaml'])).toEqual({
      net: '100mbit',
      delayMs: 0,
      ranks: 4,
      configs: ['b.json', 'a.json', 'c.yaml'],
      json: 'bench-out/summary.json',
      out: 'bench-out',
      set: [],
      timeoutS: 1800,
    });
    const o = resolveBenchOptions({ net: '2.5gbit', config: ['a.json'], out: 'o', ranks: '2', 'delay-ms': '5', epochs: '3', 'target-accuracy': '0.85', set: ['seed=2'] });
    expect(o).toMatchObject({ net: '2.5gbit', out: 'o', json: 'o/summary.json', ranks: 2, delayMs: 5, epochs: 3, targetAccuracy: 0.85, set: ['seed=2'] });
  });

  it('needs a network and at least one config, and says how to give them', () => {
    expect(usageError({ config: ['a.json'] }).message).toBe('bench: give the network: --net 100mbit|1gbit|<tc rate> (e.g. --net 100mbit)');
    expect(usageError({ net: '1gbit' }).message).toBe('bench: give at least one config: --config FILE [--config FILE2 ...]');
  });

  it('refuses what tc would refuse, naming the flag and the value', () => {
    for (const net of ['100mb', 'fast', '1 gbit', '-1gbit']) {
      expect(usageError({ net, config: ['a.json'] }).message).toBe(
        `bench: --net must be 100mbit, 1gbit, another tc rate such as 2.5gbit or 500kbit, or none; got '${net}'`,
      );
    }
  });

  it('checks every number against its range', () => {
    const base = { net: '1gbit', config: ['a.json'] };
    expect(usageError({ ...base, ranks: '0' }).message).toBe("bench: --ranks must be an integer from 1 to 250 (one rank per network namespace), got '0'");
    expect(usageError({ ...base, ranks: '251' }).message).toContain('--ranks must be an integer from 1 to 250');
    expect(usageError({ ...base, ranks: '2.5' }).message).toContain('--ranks');
    expect(usageError({ ...base, 'target-accuracy': '85' }).message).toBe("bench: --target-accuracy must be a fraction in (0, 1], e.g. 0.85, got '85'");
    expect(usageError({ ...base, 'target-accuracy': '0' }).message).toContain('--target-accuracy');
    expect(resolveBenchOptions({ ...base, 'target-accuracy': '1' }).targetAccuracy).toBe(1);
    expect(usageError({ ...base, 'delay-ms': '-1' }).message).toContain('--delay-ms must be a delay in ms from 0 to 10000');
    expect(usageError({ ...base, epochs: '' }).message).toContain('--epochs must be a positive integer');
    expect(usageError({ ...base, 'timeout-s': 'soon' }).message).toContain('--timeout-s');
  });
});
