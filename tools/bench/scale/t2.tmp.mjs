import { fashionMnist } from '@syncopate/data';
import { simulateSchedule } from '/work/main/tools/bench/scale/lib/simulate.mjs';
const dataset = fashionMnist({ flatten: true });
for (const spec of process.argv.slice(2)) {
const [name, n] = spec.split(':');
const t0 = performance.now(); const c0 = process.cpuUsage();
const r = await simulateSchedule({ name, ranks: Number(n), network: { name: '1gbit', latencyMs: 0.05, bandwidthGbps: 1 }, computeMs: 7, dataset });
const c = process.cpuUsage(c0);
console.log(JSON.stringify(r), (performance.now() - t0).toFixed(0), 'ms real', ((c.user+c.system)/1000).toFixed(0), 'ms cpu');
}
