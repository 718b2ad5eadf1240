/**
 * The README's main command: 4 ranks train a 784-256-10 MLP on Fashion-MNIST with a composed run
 * (local SGD with period 4 and SlowMo as the outer optimizer, heavy-ball momentum inside), on
 * the wasm backend with Syncopate's kernel fixes, as worker threads of one process.
 */
export const DEMO_CONFIG = {
  description: 'Fashion-MNIST MLP, local SGD (period 4) + SlowMo',
  seed: 1,
  ranks: 4,
  transport: 'local',
  data: { name: 'fashion-mnist', shuffle: 'global' },
  model: { name: 'mlp', hidden: [256], activation: 'relu' },
  backend: 'wasm',
  optimizer: { name: 'momentum', lr: 0.1, momentum: 0.9 },
  batchSize: 64,
  epochs: 2,
  plugins: [
    { name: 'localSgd', options: { period: 4 } },
    { name: 'slowMo', options: { beta: 0.5, baseBuffer: 'reset' } },
  ],
} as const;

/** Test accuracy the full demo must reach. */
export const DEMO_TARGET_ACCURACY = 0.8;
