// How MPI test ranks report: one JSON line per result, appended synchronously to a file of their
// own in $SYNCOPATE_RESULTS_DIR (set by run-mpi.ts). Not stdout: when a rank ends the job with
// MPI_Abort, mpirun kills the others and may drop output it has not forwarded yet.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

export function report(rank, result) {
  const dir = process.env.SYNCOPATE_RESULTS_DIR;
  const line = `${JSON.stringify(result)}\n`;
  if (dir) appendFileSync(join(dir, `rank-${rank}.jsonl`), line);
  else process.stdout.write(`SYNCOPATE_RESULT ${line}`);
}
