// Smoke test of an MPI launch: every rank reports itself and the sum of all ranks.
//   tools/mpi/launch.sh -np 4 tools/mpi/hello.mjs
import { mpiTransport } from '@syncopate/transport-mpi';

const transport = await mpiTransport();
const sum = new Int32Array([transport.rank]);
await transport.allreduce(sum, 'sum');
console.log(`rank ${transport.rank} of ${transport.size} on ${transport.info.processor} (${transport.info.library.split(',')[0]}): sum of ranks ${sum[0]}`);
await transport.dispose();
