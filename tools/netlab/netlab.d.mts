/**
 * Types of netlab.mjs, for TypeScript benchmarks:
 * `import { withNetlab } from '../../netlab/netlab.mjs';` picks these up.
 */
import type { ChildProcess, StdioOptions } from 'node:child_process';

/** Absolute path of the netlab.sh command-line tool. */
export declare const NETLAB_SCRIPT: string;

/** What went wrong: a bad option, not root, a missing tool, the lab itself, a command, or time. */
export type NetlabErrorCode = 'OPTION' | 'NOT_ROOT' | 'MISSING_TOOL' | 'LAB' | 'COMMAND' | 'TIMEOUT';

/** The error netlab throws on purpose. `result` holds the command's output for COMMAND and TIMEOUT. */
export declare class NetlabError extends Error {
  readonly code: NetlabErrorCode;
  readonly result?: NetlabResult;
  constructor(code: NetlabErrorCode, message: string, details?: { cause?: unknown; result?: NetlabResult });
}

/** Options of {@link withNetlab}. */
export interface NetlabOptions {
  /** Number of test hosts h1..hN, one network namespace each (1..250). */
  hosts: number;
  /** Rate of every link in each direction: `'100mbit'`, `'1gbit'`, … or `'none'` (default). */
  rate?: string;
  /** One-way delay added by the userspace delay line, in ms (0..10000; default 0 = plain bridge). */
  delayMs?: number;
  /** Lab addresses; host i gets network + i (default `'10.77.0.0/24'`). They exist only inside the lab. */
  subnet?: string;
  /** Queueing discipline that enforces the rate (default `'tbf'`). */
  shaper?: 'tbf' | 'htb';
  /** Upper bound for the whole body, in seconds (default 600); also the default bound of each command. */
  timeoutS?: number;
}

/** One test host. */
export interface NetlabHost {
  /** 1-based index. */
  readonly index: number;
  /** Network namespace name, also the host name seen by commands and MPI ranks (`syn-<id>-h<i>`). */
  readonly name: string;
  /** IPv4 address inside the lab. */
  readonly address: string;
}

/** Outcome of a command run in the lab. */
export interface NetlabResult {
  readonly code: number;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options shared by {@link NetlabLab.exec} and {@link NetlabLab.mpirun}. */
export interface NetlabRunOptions {
  /** Kill the command after this many seconds (default: the lab's timeoutS). */
  timeoutS?: number;
  /** Extra environment variables (mpirun forwards each one to every rank with `-x`). */
  env?: Record<string, string>;
  /** Reject with a COMMAND error on a non-zero exit status (default true). */
  check?: boolean;
  /** Pass the command's output through to this process instead of capturing it. */
  inherit?: boolean;
}

/** The lab handed to the body of {@link withNetlab}. */
export interface NetlabLab {
  /** Lab name, `syn-<id>`. */
  readonly name: string;
  readonly id: string;
  readonly subnet: string;
  readonly rate: string;
  readonly delayMs: number;
  readonly shaper: 'tbf' | 'htb';
  readonly hosts: readonly NetlabHost[];
  readonly timeoutS: number;
  /** Host by 1-based index, `'h2'` or namespace name; throws an OPTION error for an unknown host. */
  host(which: number | string): NetlabHost;
  /** Runs a command inside one host and waits for it. */
  exec(host: number | string, argv: readonly string[], options?: NetlabRunOptions): Promise<NetlabResult>;
  /** Starts a command inside one host without waiting (servers); it is killed at teardown at the latest. */
  spawn(host: number | string, argv: readonly string[], options?: { timeoutS?: number; env?: Record<string, string>; stdio?: StdioOptions }): ChildProcess;
  /**
   * Runs an MPI job with one rank per host (ranks 0..np-1 on h1..hnp) over TCP inside the lab.
   * `mpiArgs` go to mpirun before the program (e.g. `['--oversubscribe']`, `['--mca', 'btl_base_verbose', '30']`).
   */
  mpirun(argv: readonly string[], options?: NetlabRunOptions & { np?: number; mpiArgs?: readonly string[] }): Promise<NetlabResult>;
}

/**
 * Builds a lab, runs `body(lab)` and always tears the lab down (return, throw, timeout,
 * SIGINT/SIGTERM/SIGHUP, process exit; a reaper process covers SIGKILL).
 */
export declare function withNetlab<T>(options: NetlabOptions, body: (lab: NetlabLab) => Promise<T>): Promise<T>;

/** Checks and completes the options; throws an OPTION NetlabError naming the option and its range. */
export declare function resolveNetlabOptions(options: NetlabOptions): Required<NetlabOptions>;

/** Why this machine cannot host a lab (not root, a missing tool), or undefined when it can. */
export declare function netlabUnavailableReason(needs?: { mpirun?: boolean; delay?: boolean }): string | undefined;

/** Throws NOT_ROOT or MISSING_TOOL unless this machine can host a lab. */
export declare function assertNetlabAvailable(needs?: { mpirun?: boolean; delay?: boolean }): void;
