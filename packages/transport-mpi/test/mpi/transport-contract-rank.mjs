// One rank of the Transport contract under mpirun: every rank runs this file, runs the contract
// suite of @syncopate/testing over an MpiTransport and reports the result (see report.mjs).
import { runTransportContract } from '@syncopate/testing';
import { mpiTransport } from '@syncopate/transport-mpi';
import { report as write } from './report.mjs';

const transport = await mpiTransport({ timeoutMs: 30_000 });
const report = await runTransportContract(transport, { timeoutMs: 20_000 });
write(transport.rank, report);
await transport.dispose();
