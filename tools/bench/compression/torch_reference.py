#!/usr/bin/env python3
"""PyTorch CPU references for tools/bench/compression: the same encode/decode work as our
compressors, written with ordinary torch tensor operations, timed on the same input sizes.

Run with Debian's interpreter (/usr/bin/python3, which sees python3-torch), e.g.
  /usr/bin/python3 torch_reference.py --sizes 1000000,25000000 --ops topk:0.01,fp16,qsgd:127:512,sign
prints one JSON object on stdout. With --serve it reads one JSON request per line on stdin,
{"op": "topk:0.01", "size": 1000000, "iters": 5, "seconds": 0.5}, and answers each with one JSON
line, so bench.mjs can alternate JavaScript and torch rounds under the same machine load.
"""
import argparse
import json
import sys
import time

import torch


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def timed(fn, min_iters, min_seconds):
    """Median CPU time and wall time of fn in ms (CPU time is what a shared machine distorts least)."""
    fn()  # warm-up
    cpu, wall = [], []
    start = time.perf_counter()
    while len(cpu) < min_iters or time.perf_counter() - start < min_seconds:
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append((time.process_time() - c0) * 1e3)
        wall.append((time.perf_counter() - w0) * 1e3)
    return median(cpu), median(wall)


def sparse_ops(x, k, choose):
    n = x.numel()
    state = {}

    def encode():
        idx = choose(x, k)
        state['idx'], state['vals'] = idx, x[idx]

    def decode():
        out = torch.zeros(n)
        out[state['idx']] = state['vals']
        return out

    return encode, decode


def topk_choose(x, k):
    return torch.topk(x.abs(), k, sorted=False).indices


def randomk_choose(x, k):
    return torch.randperm(x.numel())[:k]


def cast_ops(x, dtype):
    state = {}

    def encode():
        state['h'] = x.to(dtype)

    def decode():
        return state['h'].float()

    return encode, decode


def qsgd_ops(x, levels, bucket):
    """QSGD with per-bucket 2-norms, stochastic rounding, int8 codes (levels <= 127)."""
    n = x.numel()
    pad = (-n) % bucket
    state = {}

    def encode():
        v = torch.nn.functional.pad(x, (0, pad)).view(-1, bucket)
        norms = v.norm(dim=1, keepdim=True)
        scaled = v.abs() / norms.clamp_min(1e-30) * levels
        floor = scaled.floor()
        level = floor + (torch.rand_like(scaled) < scaled - floor).float()
        state['codes'] = (level * v.sign()).to(torch.int8)
        state['norms'] = norms

    def decode():
        return (state['codes'].float() * (state['norms'] / levels)).view(-1)[:n]

    return encode, decode


BIT_WEIGHTS = torch.tensor([1, 2, 4, 8, 16, 32, 64, 128], dtype=torch.uint8)
SHIFTS = torch.arange(8, dtype=torch.uint8)


def sign_ops(x):
    """Scaled sign: mean |x| and one bit per element packed eight to a byte."""
    n = x.numel()
    pad = (-n) % 8
    state = {}

    def encode():
        state['scale'] = x.abs().mean()
        bits = torch.nn.functional.pad((x >= 0).to(torch.uint8), (0, pad)).view(-1, 8)
        state['packed'] = (bits * BIT_WEIGHTS).sum(dim=1, dtype=torch.uint8)

    def decode():
        bits = (state['packed'].unsqueeze(1) >> SHIFTS) & 1
        return (bits.view(-1)[:n].float() * 2 - 1) * state['scale']

    return encode, decode


def identity_ops(x):
    state = {}

    def encode():
        state['y'] = x.clone()

    def decode():
        return state['y'].clone()

    return encode, decode


def make(op, x):
    name, *args = op.split(':')
    n = x.numel()
    if name == 'topk':
        return sparse_ops(x, max(1, round(float(args[0]) * n)), topk_choose)
    if name == 'randomk':
        return sparse_ops(x, max(1, round(float(args[0]) * n)), randomk_choose)
    if name == 'fp16':
        return cast_ops(x, torch.float16)
    if name == 'bf16':
        return cast_ops(x, torch.bfloat16)
    if name == 'qsgd':
        return qsgd_ops(x, int(args[0]), int(args[1]))
    if name == 'sign':
        return sign_ops(x)
    if name == 'identity':
        return identity_ops(x)
    raise SystemExit(f'unknown op {op}')


def measure(op, x, iters, seconds):
    encode, decode = make(op, x)
    encode_cpu, encode_wall = timed(encode, iters, seconds)
    decode_cpu, decode_wall = timed(decode, iters, seconds)
    return {'op': op, 'size': x.numel(), 'encodeCpuMs': encode_cpu, 'decodeCpuMs': decode_cpu,
            'encodeWallMs': encode_wall, 'decodeWallMs': decode_wall}


def serve():
    inputs = {}
    print(json.dumps({'ready': True, 'torch': torch.__version__, 'threads': torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        size = request['size']
        if size not in inputs:
            inputs.clear()
            inputs[size] = torch.randn(size)
        print(json.dumps(measure(request['op'], inputs[size], request['iters'], request['seconds'])), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--sizes', default='1000000,25000000')
    parser.add_argument('--ops', default='topk:0.01,fp16,bf16,qsgd:127:512,sign,identity')
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--min-iters', type=int, default=3)
    parser.add_argument('--min-seconds', type=float, default=1.0)
    parser.add_argument('--serve', action='store_true')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if args.serve:
        serve()
        return
    results = []
    for size in [int(float(s)) for s in args.sizes.split(',')]:
        x = torch.randn(size)
        for op in args.ops.split(','):
            small = size <= 2_000_000
            results.append(measure(op, x, args.min_iters if small else 3, args.min_seconds if small else 0))
    print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'results': results}))


if __name__ == '__main__':
    main()
