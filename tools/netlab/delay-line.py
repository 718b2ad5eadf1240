#!/usr/bin/python3
"""Userspace delay line for netlab: holds every packet routed into a TUN device for a fixed
time, then hands it back to the kernel, which forwards it on to its destination.

Why it exists: this kernel has no `netem` qdisc, so latency cannot be added with `tc`. The
lab's router namespace sends every forwarded packet into the TUN device (policy routing on
the host-facing ports); this program reads each packet, stamps it with now + delay and
writes it back into the same device once that time has come. Packets coming back from TUN
are routed by the main table straight to the destination host's port.

Ordering and duplex: the delay is the same for every packet, so a FIFO keeps every flow in
order and release times never decrease. The delay line only delays: rate limits stay on the
veth links (`tbf`/`htb` on both ends), so each direction of each link has its own rate and
traffic in one direction never waits behind the other (no half-duplex serialisation).

Bounded: the program exits after --max-seconds, on SIGTERM/SIGINT/SIGHUP, or when the TUN
device goes away; it keeps at most --queue-limit packets (further packets are dropped, like
a full router buffer). Python 3 standard library only (Debian's /usr/bin/python3).
"""

import argparse
import collections
import fcntl
import os
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
TUNSETOFFLOAD = 0x400454D0
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
IFF_VNET_HDR = 0x4000
TUN_F_CSUM, TUN_F_TSO4, TUN_F_TSO6 = 0x01, 0x02, 0x04
# A virtio-net header (10 bytes) plus the largest segmentation-offload packet (64 KiB).
MAX_READ = 65536 + 64


class Stop(Exception):
    """Raised by the signal handlers to leave the loop."""


def open_tun(name):
    """Attaches to the (persistent) TUN device `name`, non-blocking.

    With a virtio-net header and TSO/checksum offload enabled, the kernel hands over whole TCP
    segments of up to 64 KiB instead of 1500-byte packets: one read and one write per 40-odd
    packets, which is what lets Python keep up with 1 Gbit/s. The header is written back
    unchanged, so the kernel splits the segment again where needed. Returns (fd, offload)."""
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI | IFF_VNET_HDR))
    try:
        fcntl.ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6)
        return fd, True
    except OSError:
        return fd, False


def positive(kind, upper):
    def check(text):
        value = kind(text)
        if not 0 < value <= upper:
            raise argparse.ArgumentTypeError(f"{text} is not in (0, {upper}]")
        return value

    return check


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Delay every packet routed through a TUN device.")
    parser.add_argument("--dev", required=True, help="TUN device to attach to (created with `ip tuntap add`)")
    parser.add_argument("--delay-ms", type=positive(float, 10000.0), required=True, help="one-way delay per packet")
    parser.add_argument("--max-seconds", type=positive(float, 7 * 86400.0), required=True, help="exit after this long")
    parser.add_argument("--queue-limit", type=positive(int, 10_000_000), default=100_000, help="packets held at most")
    return parser.parse_args(argv)


def run(fd, delay_s, deadline, queue_limit, stats):
    """Moves packets through the delay until the deadline, counting them in `stats`."""
    queue = collections.deque()
    while True:
        now = time.monotonic()
        if now >= deadline:
            return
        while queue and queue[0][0] <= now:
            try:
                os.write(fd, queue.popleft()[1])
                stats["forwarded"] += 1
            except OSError:
                stats["dropped"] += 1
        wait = deadline - now
        if queue:
            wait = min(wait, queue[0][0] - now)
        readable, _, _ = select.select([fd], [], [], max(wait, 0.0))
        if not readable:
            continue
        while True:
            try:
                packet = os.read(fd, MAX_READ)
            except BlockingIOError:
                break
            if not packet:
                return
            if len(queue) >= queue_limit:
                stats["dropped"] += 1
                continue
            queue.append((time.monotonic() + delay_s, packet))


def main(argv):
    args = parse_args(argv)

    def stop(signum, _frame):
        raise Stop(signal.Signals(signum).name)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop)
    try:
        fd, offload = open_tun(args.dev)
    except OSError as error:
        print(f"delay-line: cannot attach to TUN device {args.dev}: {error}", file=sys.stderr)
        return 1
    deadline = time.monotonic() + args.max_seconds
    print(
        f"delay-line: ready on {args.dev}, {args.delay_ms} ms one way, for at most {args.max_seconds} s,"
        f" segmentation offload {'on' if offload else 'off'}",
        flush=True,
    )
    reason = "time limit"
    stats = {"forwarded": 0, "dropped": 0}
    try:
        run(fd, args.delay_ms / 1000.0, deadline, args.queue_limit, stats)
    except Stop as signal_name:
        reason = str(signal_name)
    except OSError as error:
        reason = f"device error: {error}"
    print(f"delay-line: stopped ({reason}); forwarded {stats['forwarded']} packets, dropped {stats['dropped']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
