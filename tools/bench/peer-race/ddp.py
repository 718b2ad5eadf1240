#!/usr/bin/python3
"""PyTorch DDP side of the peer race (issue #9): one rank of a data-parallel run.

Trains the MLP of a ``syncopate train`` config (784-H...-10, Glorot-uniform weights, zero
biases, softmax cross-entropy, SGD with heavy-ball momentum) on Fashion-MNIST read from the IDX
files of Debian's ``dataset-fashion-mnist``, visiting exactly the example indices that
@syncopate/data deals to this rank (written by shards.mjs), over gloo/TCP. One process per
rank, each in its own network namespace of tools/netlab; run.mjs starts them.

Variants (PyTorch 1.13's own DDP communication hooks and model averager):
  allreduce  default_hooks.allreduce_hook: fp32 gradients averaged every step
  fp16       default_hooks.fp16_compress_hook (Agarwal et al.'s fp16 gradient compression)
  powersgd   powerSGD_hook with PowerSGDState (Vogels, Karimireddy & Jaggi, NeurIPS 2019)
  postlocal  post_localSGD_hook + PeriodicModelAverager (Lin, Stich, Patel & Jaggi, ICLR 2020):
             gradients averaged for the first --switch-step steps, then local SGD with the
             parameters averaged every --period steps

Rank 0 evaluates on the test set at the end of every epoch (the ranks' clocks keep running, as
Syncopate's trainer does) and appends one JSON line per epoch to --out:
  {"type":"epoch","epoch","step","elapsedMs","testAccuracy","testLoss","trainLoss","txBytes"}
Every rank writes --out.rank<r>.json with the examples it trained on per epoch.

Environment: RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT (set by run.mjs).
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time
from datetime import timedelta

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
from torch.distributed.algorithms.ddp_comm_hooks import default_hooks
from torch.distributed.algorithms.ddp_comm_hooks import powerSGD_hook
from torch.distributed.algorithms.ddp_comm_hooks import post_localSGD_hook
from torch.distributed.algorithms.model_averaging import averagers
from torch.nn.parallel import DistributedDataParallel

VARIANTS = ("allreduce", "fp16", "powersgd", "postlocal")
ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "elu": nn.ELU, "selu": nn.SELU}


def fail(message):
    print(f"ddp.py: {message}", file=sys.stderr)
    sys.exit(2)


def read_idx(path):
    """An IDX file (gzip'd or plain) as a numpy uint8 array of its dimensions."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype != 0x08:
        fail(f"{path} is not an unsigned-byte IDX file")
    dims = struct.unpack(f">{ndim}I", raw[4 : 4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def locate(directory, base):
    for name in (f"{base}.gz", base):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    fail(f"{directory} has no {base}.gz or {base}: apt-get install dataset-fashion-mnist")


def load_fashion_mnist(directory, test_examples):
    """Training images as float32 [60000, 784] in [0, 1], labels int64; the first test_examples test examples."""
    train_x = read_idx(locate(directory, "train-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255.0
    train_y = read_idx(locate(directory, "train-labels-idx1-ubyte")).astype(np.int64)
    test_x = read_idx(locate(directory, "t10k-images-idx3-ubyte")).reshape(-1, 784)[:test_examples].astype(np.float32) / 255.0
    test_y = read_idx(locate(directory, "t10k-labels-idx1-ubyte"))[:test_examples].astype(np.int64)
    return torch.from_numpy(train_x), torch.from_numpy(train_y), torch.from_numpy(test_x), torch.from_numpy(test_y)


def mlp(hidden, activation):
    """784-hidden-10 with Glorot-uniform weights and zero biases, as the CLI's tfjs MLP (logits out)."""
    layers, width = [], 784
    for units in hidden:
        layers += [nn.Linear(width, units), ACTIVATIONS[activation]()]
        width = units
    layers.append(nn.Linear(width, 10))
    model = nn.Sequential(*layers)
    for layer in model:
        if isinstance(layer, nn.Linear):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    return model


def tx_bytes():
    """Bytes this namespace's eth0 has sent (the same counter run.mjs reads for every contestant)."""
    try:
        with open("/sys/class/net/eth0/statistics/tx_bytes") as f:
            return int(f.read())
    except OSError:
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shards", required=True, help="PREFIX.json written by shards.mjs")
    parser.add_argument("--out", required=True, help="JSONL file of rank 0's epoch events")
    parser.add_argument("--variant", choices=VARIANTS, required=True)
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--lr", type=float, required=True)
    parser.add_argument("--momentum", type=float, default=0.0)
    parser.add_argument("--nesterov", action="store_true")
    parser.add_argument("--hidden", default="256", help="comma-separated hidden widths")
    parser.add_argument("--activation", choices=sorted(ACTIVATIONS), default="relu")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--powersgd-rank", type=int, default=1, help="matrix_approximation_rank (torch's default 1)")
    parser.add_argument("--powersgd-start", type=int, default=2, help="start_powerSGD_iter: plain allreduce before it")
    parser.add_argument("--period", type=int, default=8, help="post-local SGD: steps between parameter averagings")
    parser.add_argument("--switch-step", type=int, default=0, help="post-local SGD: step from which training is local")
    parser.add_argument("--timeout-s", type=float, default=300)
    args = parser.parse_args()

    if args.epochs < 1:
        fail(f"--epochs must be >= 1, got {args.epochs}")
    if args.lr <= 0:
        fail(f"--lr must be > 0, got {args.lr}")
    if args.period < 1:
        fail(f"--period must be >= 1, got {args.period}")
    if args.powersgd_rank < 1:
        fail(f"--powersgd-rank must be >= 1, got {args.powersgd_rank}")
    try:
        hidden = [int(h) for h in args.hidden.split(",") if h]
    except ValueError:
        fail(f"--hidden must be comma-separated integers, got {args.hidden!r}")

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rank, size = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    with open(args.shards) as f:
        meta = json.load(f)
    if meta["ranks"] != size:
        fail(f"the shard file is for {meta['ranks']} ranks, WORLD_SIZE is {size}")
    if meta["epochs"] < args.epochs:
        fail(f"the shard file holds {meta['epochs']} epoch(s), --epochs is {args.epochs}")
    per_rank, batch = meta["examplesPerRank"], meta["batchSize"]
    shards = np.fromfile(meta["file"], dtype="<i4").reshape(meta["epochs"], size, per_rank)
    train_x, train_y, test_x, test_y = load_fashion_mnist(args.data_dir, meta["testExamples"])

    dist.init_process_group("gloo", rank=rank, world_size=size, timeout=timedelta(seconds=args.timeout_s))
    started = time.perf_counter()
    model = DistributedDataParallel(mlp(hidden, args.activation))  # broadcasts rank 0's parameters
    averager = None
    if args.variant == "allreduce":
        model.register_comm_hook(None, default_hooks.allreduce_hook)
    elif args.variant == "fp16":
        model.register_comm_hook(None, default_hooks.fp16_compress_hook)
    elif args.variant == "powersgd":
        state = powerSGD_hook.PowerSGDState(
            process_group=None,
            matrix_approximation_rank=args.powersgd_rank,
            start_powerSGD_iter=args.powersgd_start,
            random_seed=args.seed,
        )
        model.register_comm_hook(state, powerSGD_hook.powerSGD_hook)
    else:
        # No gradient allreduce at all once local (post_local_gradient_allreduce=False): every rank
        # is its own node here, so torch's default intra-node subgroup would be a group of one.
        state = post_localSGD_hook.PostLocalSGDState(
            process_group=None, subgroup=None, start_localSGD_iter=args.switch_step, post_local_gradient_allreduce=False
        )
        model.register_comm_hook(state, post_localSGD_hook.post_localSGD_hook)
        averager = averagers.PeriodicModelAverager(period=args.period, warmup_steps=args.switch_step)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum, nesterov=args.nesterov)
    loss_fn = nn.CrossEntropyLoss()

    out = open(args.out, "a") if rank == 0 else None
    trained, step, tx_start = [], 0, tx_bytes()
    for epoch in range(args.epochs):
        order = torch.from_numpy(shards[epoch, rank].astype(np.int64))
        loss_sum, count = 0.0, 0
        model.train()
        for start in range(0, per_rank, batch):
            rows = order[start : start + batch]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(train_x[rows]), train_y[rows])
            loss.backward()
            optimizer.step()
            if averager is not None:
                averager.average_parameters(model.parameters())
            loss_sum += loss.item()
            count += len(rows)
            step += 1
        trained.append(count)
        if rank == 0:
            model.eval()
            with torch.no_grad():
                logits = model.module(test_x)
                test_loss = loss_fn(logits, test_y).item()
                accuracy = (logits.argmax(1) == test_y).float().mean().item()
            tx = tx_bytes()
            event = {
                "type": "epoch",
                "epoch": epoch,
                "step": step,
                "elapsedMs": (time.perf_counter() - started) * 1000,
                "testAccuracy": accuracy,
                "testLoss": test_loss,
                "trainLoss": loss_sum / max(1, count // batch),
                "txBytes": None if tx is None or tx_start is None else tx - tx_start,
            }
            out.write(json.dumps(event) + "\n")
            out.flush()
    if averager is not None:
        # Local SGD ends with the ranks' models apart; average once more so the final model is the mean.
        for p in model.parameters():
            dist.all_reduce(p.data)
            p.data /= size
    dist.barrier()
    with open(f"{args.out}.rank{rank}.json", "w") as f:
        json.dump({"rank": rank, "examplesPerEpoch": trained, "steps": step, "elapsedMs": (time.perf_counter() - started) * 1000}, f)
    if out is not None:
        out.close()
    # Every rank has passed the barrier and written its results. Leave without tearing gloo down:
    # measured here, a rank of the PowerSGD variant once spun for 10+ minutes in
    # destroy_process_group() after its peers had exited.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
