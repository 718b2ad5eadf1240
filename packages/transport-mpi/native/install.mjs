// The package's install step (npm runs it on `npm ci` / `npm install`): builds the addon into
// build/Release with node-gyp. Where Debian's nodejs put Node's headers (/usr/include/node),
// node-gyp is pointed at them with --nodedir=/usr, so the build needs no download; elsewhere it
// uses node-gyp's own headers. A failed build does not fail the install: MPI is optional, and
// loading the transport later says what is missing (see src/load-binding.ts).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { URL } from 'node:url';

const args = ['rebuild'];
if (existsSync('/usr/include/node/node_api.h')) args.push('--nodedir=/usr');
const nodeGyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
const result = spawnSync(process.execPath, [nodeGyp, ...args], { stdio: 'inherit', cwd: new URL('..', import.meta.url) });
if (result.status !== 0) {
  console.warn(
    '@syncopate/transport-mpi: the native addon was not built. Install Open MPI and a C++ tool chain ' +
      '(apt-get install -y openmpi-bin libopenmpi-dev g++ make python3), then run `npm rebuild @syncopate/transport-mpi`.',
  );
}
