// One rank of the Transport contract under mpirun: every rank runs this file, runs the contract
// suite of @syncopate/testing over an MpiTransport and prints its report as one line.
import { runTransportContract } from '@syncopate/testing';
import { mpiTransport } from '@syncopate/transport-mpi';

const transport = await mpiTransport({ timeoutMs: 30_000 });
const report = await runTransportContract(transport, { timeoutMs: 20_000 });
process.stdout.write(`SYNCOPATE_RESULT ${JSON.stringify(report)}\n`);
await transport.dispose();
