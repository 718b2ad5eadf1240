import { fashionMnist } from '@syncopate/data';
import { simulateSchedule } from '/work/main/tools/bench/scale/lib/simulate.mjs';
const dataset = fashionMnist({ flatten: true });
for (const [name, n] of [['bsp', 16], ['localSgd', 16], ['adaptivePeriod', 16], ['hpsgd', 16], ['topK', 16], ['fp16', 16], ['slowMo', 16], ['bsp', 256]]) {
  const t0 = performance.now();
  const r = await simulateSchedule({ name, ranks: n, network: { name: '1gbit', latencyMs: 0.05, bandwidthGbps: 1 }, computeMs: 7, dataset });
  console.log(JSON.stringify(r), (performance.now() - t0).toFixed(0), 'ms real');
}
