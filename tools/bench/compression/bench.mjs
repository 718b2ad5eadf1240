#!/usr/bin/env node
/**
 * Encode + decode throughput of every compressor of @syncopate/compression on 1e6 and 2.5e7
 * float32 elements, and in the same run the equivalent PyTorch CPU operation where one exists
 * (torch.topk, half/bfloat16 casts, torch-written QSGD and scaled-sign references; see
 * torch_reference.py). Writes a JSON summary with compression ratios and speed ratios.
 *
 *   node tools/bench/compression/bench.mjs [--sizes 1e6,2.5e7] [--only topK,qsgd] [--out file] [--no-torch]
 *
 * Use run.sh, which builds the packages and installs PyTorch first. Times are medians of CPU time
 * per call (process.cpuUsage / time.process_time), which a busy machine distorts far less than
 * wall time; wall-clock medians are recorded too. Torch runs with one thread, like JavaScript, in
 * a helper process that stays up: for every compressor with a torch equivalent, three
 * JavaScript rounds alternate with three torch rounds, so both see the same machine load.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const dist = (pkg) => join(root, 'packages', pkg, 'dist', 'index.js');
for (const pkg of ['core', 'compression']) {
  if (!existsSync(dist(pkg))) {
    console.error(`bench: ${dist(pkg)} is missing; build first: (cd packages/${pkg} && npx tsc -p tsconfig.lib.json), or use run.sh`);
    process.exit(2);
  }
}
const core = await import(dist('core'));
const c = await import(dist('compression'));

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : 'true']);
    return pairs;
  }, []),
);
const sizes = (args.sizes ?? '1e6,2.5e7').split(',').map(Number);
const only = args.only ? new Set(args.only.split(',')) : undefined;
const out = args.out ?? join(here, 'out', 'summary.json');
const withTorch = args['no-torch'] === undefined;

/** label, spec, torch reference op (or null). */
const configs = [
  ['identity', c.identity(), 'identity'],
  ['fp16', c.fp16(), 'fp16'],
  ['bf16', c.bf16(), 'bf16'],
  ['minMax8Bit', c.minMax8Bit(), null],
  ['qsgd', c.qsgd(), 'qsgd:127:512'],
  ['ternGrad', c.ternGrad(), null],
  ['naturalCompression', c.naturalCompression(), null],
  ['scaledSign', c.scaledSign(), 'sign'],
  ['efSignSgd', c.efSignSgd(), 'sign'],
  ['signSgdMajorityVote', c.signSgdMajorityVote(), null],
  ['oneBitSgd', c.oneBitSgd(), null],
  ['randomK', c.randomK({ ratio: 0.01 }), 'randomk:0.01'],
  ['randomK sharedMask', c.randomK({ ratio: 0.01, sharedMask: true }), null],
  ['topK', c.topK({ ratio: 0.01 }), 'topk:0.01'],
  ['threshold', c.threshold({ threshold: 2.576 }), null],
  ['deepGradientCompression', c.deepGradientCompression({ ratio: 0.001 }), 'topk:0.001'],
  ['gTopK', c.gTopK({ ratio: 0.01 }), 'topk:0.01'],
  ['powerSgd', c.powerSgd({ rank: 1 }), null],
  ['countSketch', c.countSketch({ ratio: 0.001 }), null],
].filter(([label]) => !only || only.has(label));

function instantiate(spec) {
  let provider;
  spec.register({ register: (_token, p) => (provider = p) });
  return provider.useFactory({ resolve: () => undefined, resolveOptional: () => undefined, isRegistered: () => false });
}

function context(step) {
  return {
    step,
    key: 'gradient/bucket-0',
    rank: 0,
    size: 1,
    rng: core.createRng({ seed: 1, rank: 0, step, stream: 'gradient/bucket-0' }),
    sharedRng: core.createRng({ seed: 1, rank: core.SHARED_RANK, step, stream: 'gradient/bucket-0' }),
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

function cpuMs(fn) {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const result = fn();
  const used = process.cpuUsage(c0);
  return { result, cpu: (used.user + used.system) / 1e3, wall: performance.now() - w0 };
}

function normals(n) {
  const rng = core.createRng({ seed: 7, rank: 0, step: 0, stream: 'bench-input' });
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.nextNormal();
  return x;
}

/** The torch helper: `request(op, size, iters, seconds)` resolves with its timings. */
async function startTorch() {
  const ops = configs.map(([, , op]) => op).filter(Boolean);
  if (!withTorch || ops.length === 0) return { info: { available: false, reason: 'not requested' } };
  const child = spawn('/usr/bin/python3', [join(here, 'torch_reference.py'), '--serve', '--threads', '1'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const failed = new Promise((resolve) => child.once('error', (error) => resolve({ done: true, error })));
  const first = await Promise.race([lines.next(), failed]);
  if (first.done) {
    const reason = String(first.error?.message ?? 'the helper exited (is python3-torch installed?)');
    console.error(`bench: PyTorch reference unavailable (${reason}); install it with`);
    console.error('  flock /tmp/apt.lock apt-get install -y python3-torch libopenblas0-pthread');
    return { info: { available: false, reason } };
  }
  const ready = JSON.parse(first.value);
  return {
    info: { available: true, version: ready.torch, threads: ready.threads },
    async request(op, size, iters, seconds) {
      child.stdin.write(`${JSON.stringify({ op, size, iters, seconds })}\n`);
      const { value, done } = await lines.next();
      if (done) throw new Error('the torch helper exited');
      return JSON.parse(value);
    },
    stop: () => child.stdin.end(),
  };
}

const torchHelper = await startTorch();
const results = [];
for (const size of sizes) {
  const input = normals(size);
  const decoded = new Float32Array(size);
  const small = size <= 2e6;
  for (const [label, spec, torchOp] of configs) {
    const compressor = instantiate(spec);
    compressor.decompress(compressor.compress(input, context(0)), decoded, context(0)); // warm-up
    const enc = { cpu: [], wall: [] };
    const dec = { cpu: [], wall: [] };
    const torchRounds = [];
    let wireBytes = 0;
    const rounds = torchOp && torchHelper.request ? 3 : 1;
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      for (let i = 0; (i < (small ? 5 : 3) || performance.now() - started < (small ? 300 : 0)) && i < 200; i++) {
        const ctx = context(enc.cpu.length + 1);
        const e = cpuMs(() => compressor.compress(input, ctx));
        const d = cpuMs(() => compressor.decompress(e.result, decoded, ctx));
        wireBytes = e.result.byteLength;
        enc.cpu.push(e.cpu);
        enc.wall.push(e.wall);
        dec.cpu.push(d.cpu);
        dec.wall.push(d.wall);
      }
      if (rounds > 1) torchRounds.push(await torchHelper.request(torchOp, size, small ? 5 : 3, small ? 0.3 : 0));
    }
    const row = {
      compressor: label,
      options: spec.options,
      size,
      iterations: enc.cpu.length,
      wireBytes,
      compressionRatio: wireBytes / (4 * size),
      encodeCpuMs: median(enc.cpu),
      decodeCpuMs: median(dec.cpu),
      encodeWallMs: median(enc.wall),
      decodeWallMs: median(dec.wall),
      torchOp,
    };
    row.totalCpuMs = row.encodeCpuMs + row.decodeCpuMs;
    row.throughputMBps = (4 * size) / 1e6 / (row.totalCpuMs / 1e3);
    if (torchRounds.length > 0) {
      const pick = (field) => median(torchRounds.map((t) => t[field]));
      row.torch = {
        op: torchOp,
        rounds: torchRounds.length,
        encodeCpuMs: pick('encodeCpuMs'),
        decodeCpuMs: pick('decodeCpuMs'),
        encodeWallMs: pick('encodeWallMs'),
        decodeWallMs: pick('decodeWallMs'),
      };
      row.torch.totalCpuMs = row.torch.encodeCpuMs + row.torch.decodeCpuMs;
      row.speedupVsTorch = row.torch.totalCpuMs / row.totalCpuMs;
    }
    results.push(row);
    const versus = row.speedupVsTorch === undefined ? '' : `  torch ${row.torch.totalCpuMs.toFixed(2)} ms (${row.speedupVsTorch.toFixed(2)}×)`;
    console.error(`${label.padEnd(24)} n=${size.toExponential(1)}  enc ${row.encodeCpuMs.toFixed(2)} ms  dec ${row.decodeCpuMs.toFixed(2)} ms  ratio ${row.compressionRatio.toFixed(4)}${versus}`);
  }
}

torchHelper.stop?.();
const torch = torchHelper.info;

const target = (label) => {
  const rows = results.filter((r) => r.compressor === label && r.speedupVsTorch !== undefined);
  return { rows: rows.map((r) => ({ size: r.size, speedupVsTorch: r.speedupVsTorch })), met: rows.length > 0 && rows.every((r) => r.speedupVsTorch >= 1) };
};
const summary = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, loadAverage: loadavg() },
  timing: 'median CPU ms per call (process.cpuUsage; torch: time.process_time, 1 thread, median of 3 rounds alternating with the JavaScript rounds); wall-clock medians alongside',
  torch,
  targets: { 'topK 1%': target('topK'), qsgd: target('qsgd') },
  results,
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(summary, null, 2)}\n`);

// A markdown table for docs/benchmarks.md.
const fmt = (v, d = 2) => (v === undefined ? '—' : v.toFixed(d));
console.log('| compressor | n | wire / dense | encode ms | decode ms | MB/s | torch enc + dec ms | speed vs torch |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(
    `| ${r.compressor} | ${r.size.toExponential(1)} | ${r.compressionRatio.toFixed(4)} | ${fmt(r.encodeCpuMs)} | ${fmt(r.decodeCpuMs)} | ${r.throughputMBps.toFixed(0)} | ${r.torch ? `${fmt(r.torch.encodeCpuMs)} + ${fmt(r.torch.decodeCpuMs)}` : '—'} | ${r.speedupVsTorch === undefined ? '—' : `${r.speedupVsTorch.toFixed(2)}×`} |`,
  );
}
console.error(`bench: summary written to ${out}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
