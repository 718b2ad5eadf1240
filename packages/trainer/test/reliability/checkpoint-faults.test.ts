/**
 * Checkpoint files under faults: every single flipped byte and every truncation of a real
 * trainer checkpoint is refused with a StateError (CRC-32 checked before decoding), as are random
 * multi-byte corruptions; and a writer SIGKILLed at random moments in the middle of writing
 * always leaves a whole checkpoint behind — the previous one or the new one, never a torn one.
 */
import { StateError } from '@syncopate/core';
import { errorFeedback, topK } from '@syncopate/compression';
import { createRng } from '@syncopate/core';
import { slowMo } from '@syncopate/momentum';
import { localSgd } from '@syncopate/sync-policy';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint, writeCheckpoint } from '../../src/checkpoint/checkpoint-file.js';
import { decodeState } from '../../src/checkpoint/state-codec.js';
import { momentumSgd } from '../../src/optimizers/momentum-sgd.js';
import { failureOf, onRanks, smallProblem } from '../../src/test-support/simulated-ranks.js';
import { prepareCheckpointWriter } from './checkpoint-writer-child.js';

const problem = smallProblem();
const dir = mkdtempSync(join(tmpdir(), 'syncopate-ckpt-faults-'));
const scratch = join(import.meta.dirname, '..', '..', '..', '..', 'tmp', `reliability-writer-${process.pid}`);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

const composition = () => ({ plugins: [localSgd({ period: 3 }), topK({ ratio: 0.3 }), errorFeedback(), slowMo({ beta: 0.6 })], optimizer: momentumSgd({ momentum: 0.8 }), seed: 5 });
let good: Uint8Array;
const path = join(dir, 'rank-0.ckpt');

beforeAll(async () => {
  await onRanks(1, problem, composition, async (t) => {
    await t.fit({ epochs: 1, stopAtStep: 5 });
    await t.save(path);
  });
  good = new Uint8Array(readFileSync(path)); // a copy: Buffer#slice would share memory
});

/**
 * How reading `bytes` as a checkpoint ends: 'ok', or the error's class name. Decodes in memory
 * with the codec `readCheckpoint` uses (the file round trip is covered below), to keep it fast.
 */
function readAs(bytes: Uint8Array): string {
  try {
    decodeState(bytes, 'checkpoint probe.ckpt');
    return 'ok';
  } catch (error) {
    if (error instanceof StateError && error.message.includes('probe.ckpt')) return 'StateError';
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe('corrupted checkpoints', () => {
  it('refuse every single flipped byte and every truncation with a StateError naming the file', () => {
    expect(readAs(good)).toBe('ok');
    const outcomes = new Map<string, number>();
    const tally = (o: string) => outcomes.set(o, (outcomes.get(o) ?? 0) + 1);
    for (let i = 0; i < good.length; i++) {
      const bytes = good.slice();
      bytes[i] ^= 0xa5;
      tally(readAs(bytes));
    }
    for (let n = 0; n < good.length; n++) tally(readAs(good.subarray(0, n)));
    console.log(`checkpoint-faults: ${good.length} byte flips + ${good.length} truncations of a ${good.length}-byte checkpoint: ${JSON.stringify(Object.fromEntries(outcomes))}`);
    expect([...outcomes.keys()]).toEqual(['StateError']);
  });

  it('refuse random multi-byte corruption, appended bytes and swapped regions', () => {
    const CASES = 2000;
    let refused = 0;
    for (let c = 0; c < CASES; c++) {
      const rng = createRng({ seed: 10, rank: 0, step: c, stream: 'checkpoint-corruption' });
      let bytes = good.slice();
      switch (rng.nextInt(3)) {
        case 0:
          for (let k = 1 + rng.nextInt(16); k > 0; k--) bytes[rng.nextInt(bytes.length)] ^= 1 + rng.nextInt(255);
          break;
        case 1:
          bytes = Uint8Array.from([...bytes, ...Array.from({ length: 1 + rng.nextInt(64) }, () => rng.nextInt(256))]);
          break;
        default: {
          const at = rng.nextInt(bytes.length - 8);
          const other = rng.nextInt(bytes.length - 8);
          const chunk = bytes.slice(at, at + 8);
          bytes.copyWithin(at, other, other + 8);
          bytes.set(chunk, other);
          if (bytes.every((b, i) => b === good[i])) bytes[0] ^= 1; // the swap changed nothing
        }
      }
      const outcome = readAs(bytes);
      expect(outcome, `case ${c}`).toBe('StateError');
      refused++;
    }
    expect(refused).toBe(CASES);
  });

  it('a trainer refuses a corrupted checkpoint at restore, and keeps its own state', async () => {
    const bytes = good.slice();
    bytes[bytes.length >> 1] ^= 0x10;
    writeFileSync(join(dir, 'bad.ckpt'), bytes);
    const [outcome] = await onRanks(1, problem, composition, async (t) => {
      const before = t.parameters();
      const error = await t.restore(join(dir, 'bad.ckpt')).then(() => undefined, (e: unknown) => e as Error);
      return { error, unchanged: t.parameters().every((v, i) => Object.is(v, before[i])), step: t.step };
    });
    expect(outcome!.result.error).toBeInstanceOf(StateError);
    expect(outcome!.result.error!.message).toMatch(/bad\.ckpt is corrupt: CRC-32/);
    expect(outcome!.result).toMatchObject({ unchanged: true, step: 0 });
    const missing = await failureOf(onRanks(1, problem, composition, (t) => t.restore(join(dir, 'nope.ckpt'))));
    expect(missing).toBeInstanceOf(StateError);
    expect(missing.message).toMatch(/cannot read checkpoint .*nope\.ckpt/);
  });
});

describe('a writer killed in the middle of writing', () => {
  it('always leaves a whole checkpoint: the previous version or the next, never a torn file', async () => {
    const writer = prepareCheckpointWriter(scratch);
    const target = join(dir, 'killed.ckpt');
    const KILLS = 8;
    const seen: number[] = [];
    const temporaries = () => readdirSync(dir).filter((f) => f.startsWith('killed.ckpt.tmp-'));
    let leftBehind = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const child = spawn(process.execPath, [writer, target, '4'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
      // Wait until a version is on disk, then kill at a pseudo-random moment of a later write.
      const rng = createRng({ seed: 3, rank: 0, step: kill, stream: 'kill-delay' });
      const started = Date.now();
      while (!stdout.includes('\n') && Date.now() - started < 20_000 && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
      expect(stdout, stderr).toMatch(/\n/);
      await new Promise((r) => setTimeout(r, rng.nextInt(60)));
      child.kill('SIGKILL');
      await closed;
      const lastReported = Math.max(...stdout.trim().split('\n').map(Number));
      leftBehind += temporaries().length;
      const state = readCheckpoint(target); // throws if torn; removes the dead writer's temporary
      expect(temporaries()).toEqual([]);
      const version = state.version as number;
      expect(version).toBeGreaterThanOrEqual(lastReported);
      expect(version).toBeLessThanOrEqual(lastReported + 1);
      expect((state.body as Float32Array).every((v) => v === version)).toBe(true);
      seen.push(version);
    }
    // A killed writer leaves its temporary file behind (named with its pid); opening the checkpoint removed each one.
    console.log(`checkpoint-faults: ${KILLS} SIGKILLs during writes, versions read back ${seen.join(', ')}; ${leftBehind} temporary files left behind, all removed`);
    expect(existsSync(target)).toBe(true);
  }, 60_000);

  it('writing or opening a checkpoint removes the temporaries of dead writers, never a live one', async () => {
    const target = join(dir, 'stale.ckpt');
    const exited = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => exited.on('close', resolve));
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const dead = `stale.ckpt.tmp-${exited.pid}`;
      const alive = `stale.ckpt.tmp-${live.pid}`;
      const unrelated = 'other.ckpt.tmp-1';
      for (const name of [dead, alive, unrelated]) writeFileSync(join(dir, name), 'half a checkpoint');
      writeCheckpoint(target, { w: Float32Array.of(1) });
      const left = () => readdirSync(dir).filter((f) => f.includes('.tmp-')).sort();
      expect(left()).toEqual([unrelated, alive].sort());
      writeFileSync(join(dir, dead), 'half a checkpoint');
      expect(readCheckpoint(target)).toEqual({ w: Float32Array.of(1) });
      expect(left()).toEqual([unrelated, alive].sort());
      rmSync(join(dir, unrelated));
    } finally {
      live.kill('SIGKILL');
    }
  });
});
