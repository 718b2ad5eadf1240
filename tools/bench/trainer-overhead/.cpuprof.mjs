import { pathToFileURL } from 'node:url';
const tf = await import('@tensorflow/tfjs');
tf.env().set('PROD', true);
const load = (p) => import(pathToFileURL(`/work/main/packages/${p}/dist/index.js`).href);
const trainer = await load('trainer');
const { fashionMnist } = await load('data');
const { runSimulated } = await load('transport-local');
const { systemClock } = await load('core');
await trainer.selectBackend({ prefer: 'wasm' });
const data = fashionMnist();
const net = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 256, activation: 'relu' }), tf.layers.dense({ units: 10 })] });
const mode = process.argv[2];
if (mode === 'trainer') {
  await runSimulated(1, async (transport) => {
    const t = trainer.createTrainer({ transport, model: trainer.tfjsModel(net, { loss: 'softmaxCrossEntropy' }), data, optimizer: trainer.sgd(), lr: 0.05, batchSize: 128, evaluate: false, clock: systemClock });
    t.metrics$.subscribe(() => {});
    await t.fit({ epochs: 1, stopAtStep: 30 });
    const a = performance.now();
    await t.fit({ epochs: 1, stopAtStep: 430 });
    console.log('trainer', ((performance.now() - a) / 400).toFixed(3));
    await t.dispose();
  });
} else {
  const shard = { rank: 0, size: 1, batchSize: 128, seed: 0, shuffle: 'global', dropLast: true };
  const opt = tf.train.sgd(0.05);
  const it = data.trainBatches(0, shard)[Symbol.iterator]();
  const hand = () => { const b = it.next().value; tf.tidy(() => { const x = tf.tensor(b.inputs, [128, 784]); const y = tf.oneHot(tf.tensor1d(b.labels, 'int32'), 10); opt.minimize(() => tf.losses.softmaxCrossEntropy(y, net.apply(x, { training: true })), true).dataSync(); }); };
  for (let i = 0; i < 30; i++) hand();
  const a = performance.now();
  for (let i = 0; i < 400; i++) hand();
  console.log('hand', ((performance.now() - a) / 400).toFixed(3));
}
