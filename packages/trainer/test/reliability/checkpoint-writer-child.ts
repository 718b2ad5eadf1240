/**
 * Test support: prepares a child process that writes checkpoints in a loop with the trainer's own
 * `writeCheckpoint`, so a test can SIGKILL it in the middle of a write. Node 20 cannot run
 * TypeScript, so the two checkpoint modules are transpiled (types stripped, nothing else) into a
 * scratch folder inside the repository, where `@syncopate/core` still resolves.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const source = new URL('../../src/checkpoint/', import.meta.url);

/** Writes `version` 0, 1, 2… of a ~`megabytes` MB state to `path` forever; prints each version once it is on disk. */
const LOOP = `
import { writeCheckpoint } from './checkpoint-file.js';
const [path, megabytes] = [process.argv[2], Number(process.argv[3])];
const body = new Float32Array(megabytes * 262144);
for (let version = 0; ; version++) {
  body.fill(version);
  writeCheckpoint(path, { version, body });
  process.stdout.write(version + '\\n');
}
`;

/** A folder holding `writer.mjs`, ready for `node writer.mjs <path> <megabytes>`. */
export function prepareCheckpointWriter(scratch: string): string {
  mkdirSync(scratch, { recursive: true });
  for (const file of ['checkpoint-file', 'state-codec']) {
    const text = readFileSync(new URL(`${file}.ts`, source), 'utf8');
    const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(join(scratch, `${file}.js`), js);
  }
  writeFileSync(join(scratch, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(scratch, 'writer.mjs'), LOOP);
  return join(scratch, 'writer.mjs');
}
