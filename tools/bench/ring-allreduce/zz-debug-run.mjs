import { withNetlab } from '../../netlab/netlab.mjs';
const here = new URL('.', import.meta.url).pathname;
await withNetlab({ hosts: 4, rate: process.argv[2] ?? '1gbit', timeoutS: 600 }, async (lab) => {
  const res = await lab.mpirun(['node', here + 'zz-debug-rank.mjs', process.argv[3] ?? '1e7'], { np: 4, timeoutS: 300 });
  console.log(res.stdout, res.stderr.slice(-2000));
});
