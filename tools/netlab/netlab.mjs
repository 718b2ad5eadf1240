/**
 * netlab from Node: run code against N test hosts (network namespaces on a shaped bridge,
 * optionally behind a delay line) and always tear them down.
 *
 * Why this module shells out: `netlab.sh` is the one implementation of the lab (build,
 * shaping, delay line, mpirun flags, teardown); this module validates options, checks that
 * the machine can host a lab, and wraps the script's commands in Promises.
 *
 * Teardown is layered: `finally` on the normal path, SIGINT/SIGTERM/SIGHUP handlers and an
 * `exit` handler for signals and `process.exit()`, and the lab's own reaper process (started by
 * `netlab.sh up --owner-pid`), which removes the lab within a second of this process dying,
 * even by SIGKILL, and at the latest `timeoutS + 60` seconds after it started.
 *
 * @example
 * ```js
 * import { withNetlab } from './tools/netlab/netlab.mjs';
 * const out = await withNetlab({ hosts: 4, rate: '1gbit', timeoutS: 300 }, async (lab) => {
 *   const run = await lab.mpirun(['node', 'bench.mjs'], { np: 4, env: { SIZE: '1000000' } });
 *   return run.stdout;
 * });
 * ```
 */
import { spawn, spawnSync } from 'node:child_process';
import { clearTimeout, setTimeout } from 'node:timers';
import { URL, fileURLToPath } from 'node:url';
import { NetlabError, argvOf, assertNetlabAvailable, envOf, resolveNetlabOptions } from './netlab-checks.mjs';

export { NetlabError, assertNetlabAvailable, netlabUnavailableReason, resolveNetlabOptions } from './netlab-checks.mjs';

/** Absolute path of the netlab.sh command-line tool. */
export const NETLAB_SCRIPT = fileURLToPath(new URL('./netlab.sh', import.meta.url));

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const OUTPUT_LIMIT = 16 * 1024 * 1024;

/**
 * Runs netlab.sh with `args`; resolves with its exit code and output (never rejects on a
 * non-zero exit: callers decide).
 * @param {string[]} args
 * @param {{ env?: Record<string, string>, inherit?: boolean, onSpawn?: (child: import('node:child_process').ChildProcess) => void }} [options]
 * @returns {Promise<import('./netlab.d.mts').NetlabResult>}
 */
function runScript(args, { env, inherit = false, onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(NETLAB_SCRIPT, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', inherit ? 'inherit' : 'pipe', inherit ? 'inherit' : 'pipe'],
    });
    onSpawn?.(child);
    const out = { stdout: '', stderr: '' };
    for (const stream of ['stdout', 'stderr']) {
      child[stream]?.setEncoding('utf8');
      child[stream]?.on('data', (chunk) => {
        if (out[stream].length < OUTPUT_LIMIT) out[stream] += chunk;
      });
    }
    child.on('error', (error) => reject(new NetlabError('LAB', `cannot run ${NETLAB_SCRIPT}: ${error.message}`, { cause: error })));
    child.on('close', (code, signal) => resolve({ code: code ?? 128, signal, stdout: out.stdout, stderr: out.stderr }));
  });
}

function tail(text, lines = 15) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Turns a finished command into its result, or a NetlabError when `check` asks for success. */
function settle(what, result, check, timeoutS) {
  if (result.code === 124 || result.code === 137) {
    throw new NetlabError('TIMEOUT', `${what} did not finish within ${timeoutS} s and was killed\n${tail(result.stderr)}`, { result });
  }
  if (check && result.code !== 0) {
    throw new NetlabError('COMMAND', `${what} failed with exit status ${result.code}\n${tail(result.stderr)}`, { result });
  }
  return result;
}

let labCounter = 0;

/** The handle passed to the body of withNetlab. */
class Lab {
  constructor(id, info, options, children) {
    this.id = id;
    this.name = info.name;
    this.subnet = info.subnet;
    this.rate = info.rate;
    this.delayMs = info.delayMs;
    this.shaper = info.shaper;
    this.hosts = info.hosts.map((h) => Object.freeze({ index: h.index, name: h.name, address: h.address }));
    this.timeoutS = options.timeoutS;
    this.children = children;
    Object.freeze(this.hosts);
  }

  /**
   * Remembers a running child so teardown can stop it first.
   * @param {import('node:child_process').ChildProcess} child
   */
  track(child) {
    this.children.add(child);
    child.once('close', () => this.children.delete(child));
  }

  /**
   * Host i (1-based), `'h2'` or a namespace name → that host.
   * @param {number | string} which
   */
  host(which) {
    const found =
      typeof which === 'number'
        ? this.hosts[which - 1]
        : this.hosts.find((h) => h.name === which || `h${h.index}` === which);
    if (!found) throw new NetlabError('OPTION', `lab ${this.name} has no host ${JSON.stringify(which)}; it has h1..h${this.hosts.length}`);
    return found;
  }

  /**
   * Runs a command inside one host and waits for it.
   * @param {number | string} host
   * @param {readonly string[]} argv
   * @param {import('./netlab.d.mts').NetlabRunOptions} [options]
   */
  async exec(host, argv, { timeoutS = this.timeoutS, env, check = true, inherit = false } = {}) {
    const target = this.host(host);
    const args = ['--lab', this.id, 'exec', '--timeout-s', String(timeoutS), target.name, '--', ...argvOf('exec', argv)];
    const result = await runScript(args, { env: envOf('exec', env), inherit, onSpawn: (c) => this.track(c) });
    return settle(`'${argv.join(' ')}' on ${target.name}`, result, check, timeoutS);
  }

  /**
   * Starts a command inside one host without waiting for it (servers).
   * @param {number | string} host
   * @param {readonly string[]} argv
   * @param {{ timeoutS?: number, env?: Record<string, string>, stdio?: import('node:child_process').StdioOptions }} [options]
   * @returns {import('node:child_process').ChildProcess}
   */
  spawn(host, argv, { timeoutS = this.timeoutS, env, stdio = 'pipe' } = {}) {
    const target = this.host(host);
    const args = ['--lab', this.id, 'exec', '--timeout-s', String(timeoutS), target.name, '--', ...argvOf('spawn', argv)];
    const child = spawn(NETLAB_SCRIPT, args, { env: { ...process.env, ...envOf('spawn', env) }, stdio });
    this.track(child);
    return child;
  }

  /**
   * Runs an MPI job, one rank per host, over TCP inside the lab.
   * @param {readonly string[]} argv
   * @param {import('./netlab.d.mts').NetlabRunOptions & { np?: number, mpiArgs?: readonly string[] }} [options]
   */
  async mpirun(argv, { np = this.hosts.length, mpiArgs = [], env = {}, timeoutS = this.timeoutS, check = true, inherit = false } = {}) {
    if (!Number.isInteger(np) || np < 1) throw new NetlabError('OPTION', `mpirun: np must be a positive integer; got ${JSON.stringify(np)}`);
    if (!Array.isArray(mpiArgs) || !mpiArgs.every((a) => typeof a === 'string')) {
      throw new NetlabError('OPTION', 'mpirun: mpiArgs must be an array of strings');
    }
    assertNetlabAvailable({ mpirun: true });
    const forwarded = Object.keys(envOf('mpirun', env)).flatMap((name) => ['-x', name]);
    const args = ['--lab', this.id, 'mpirun', '-np', String(np), '--timeout-s', String(timeoutS), ...mpiArgs, ...forwarded, '--', ...argvOf('mpirun', argv)];
    const result = await runScript(args, { env, inherit, onSpawn: (c) => this.track(c) });
    return settle(`mpirun -np ${np} ${argv.join(' ')}`, result, check, timeoutS);
  }
}

/**
 * Builds a lab, runs `body(lab)` and tears the lab down whatever happens (return, throw,
 * timeout, signal, process exit). Rejects with a NetlabError: `OPTION` for bad options (before
 * anything is touched), `NOT_ROOT`/`MISSING_TOOL` when the machine cannot host a lab, `LAB` when
 * building or removing it fails, `TIMEOUT` when `body` runs past `timeoutS`.
 *
 * @template T
 * @param {import('./netlab.d.mts').NetlabOptions} options
 * @param {(lab: import('./netlab.d.mts').NetlabLab) => Promise<T>} body
 * @returns {Promise<T>}
 */
export async function withNetlab(options, body) {
  const resolved = resolveNetlabOptions(options);
  if (typeof body !== 'function') throw new NetlabError('OPTION', 'withNetlab: the second argument must be an async function (lab) => …');
  assertNetlabAvailable({ delay: resolved.delayMs > 0 });

  const id = `j${process.pid.toString(36)}${(labCounter++).toString(36)}`.slice(0, 12);
  const downArgs = ['--lab', id, 'down'];
  const children = new Set();
  let down = false;
  const downNow = () => {
    if (down) return;
    down = true;
    for (const child of children) child.kill('SIGTERM');
    spawnSync(NETLAB_SCRIPT, downArgs, { stdio: 'ignore', timeout: 30_000 });
  };
  const onSignal = (signal) => {
    downNow();
    detach();
    process.kill(process.pid, signal);
  };
  const onExit = () => downNow();
  const detach = () => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    process.off('exit', onExit);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('exit', onExit);

  let timer;
  let outcome;
  try {
    const upArgs = ['--lab', id, 'up', '--hosts', String(resolved.hosts), '--rate', resolved.rate, '--delay-ms', String(resolved.delayMs)];
    upArgs.push('--subnet', resolved.subnet, '--shaper', resolved.shaper, '--ttl-s', String(resolved.timeoutS + 60), '--owner-pid', String(process.pid));
    const up = await runScript(upArgs);
    if (up.code !== 0) throw new NetlabError('LAB', `netlab up failed (exit status ${up.code})\n${tail(up.stderr)}`);
    const info = await runScript(['--lab', id, 'info']);
    if (info.code !== 0) throw new NetlabError('LAB', `netlab info failed (exit status ${info.code})\n${tail(info.stderr)}`);
    const lab = new Lab(id, JSON.parse(info.stdout), resolved, children);

    const run = Promise.resolve().then(() => body(lab));
    run.catch(() => {}); // after a timeout the body may still reject; it must not crash the process
    const deadline = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new NetlabError('TIMEOUT', `withNetlab: the body did not finish within timeoutS = ${resolved.timeoutS} s; lab ${lab.name} was torn down`)),
        resolved.timeoutS * 1000,
      );
    });
    outcome = { ok: true, value: await Promise.race([run, deadline]) };
  } catch (error) {
    outcome = { ok: false, error };
  } finally {
    clearTimeout(timer);
  }
  let downFailure;
  if (!down) {
    down = true;
    for (const child of children) child.kill('SIGTERM');
    const result = await runScript(downArgs);
    if (result.code !== 0) downFailure = `netlab down failed for lab syn-${id} (exit status ${result.code})\n${tail(result.stderr)}`;
  }
  detach();
  if (!outcome.ok) {
    if (downFailure) process.stderr.write(`${downFailure}\n`);
    throw outcome.error;
  }
  if (downFailure) throw new NetlabError('LAB', downFailure);
  return outcome.value;
}
