import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt } from './ensure-built.js';
import { runMain } from './helpers.js';

beforeAll(() => ensureCliBuilt(), 120_000);

describe('syncopate demo', () => {
  it('trains the composed Fashion-MNIST MLP on worker-thread ranks and prints what happened (tiny run)', async () => {
    // The full demo (60,000 examples, 4 ranks) is the README's main command; here: 2 ranks, 512 examples.
    const { code, stdout } = await runMain(['demo', '--ranks', '2', '--train-examples', '512', '--test-examples', '256', '--min-accuracy', '99']);
    expect(stdout).toContain('ranks: 2 (local-threads); data: fashion-mnist (512 train, 256 test examples)');
    expect(stdout).toMatch(/model: mlp 784-256-10 \(relu\), 203,530 parameters; backend: wasm/);
    expect(stdout).toContain('sync-policy: localSgd(period=4');
    expect(stdout).toContain('momentum: slowMo(');
    expect(stdout).toMatch(/^traffic: [\d.]+ [kM]B sent by 2 ranks/m);
    const accuracy = Number(/^demo: ([\d.]+)% test accuracy in .* \(target 99%: NOT reached\)$/m.exec(stdout)?.[1]);
    // 2 epochs of 4 steps per rank: far from the target, but well above chance (10 %).
    expect(accuracy).toBeGreaterThan(30);
    expect(code).toBe(1);
  });
});
