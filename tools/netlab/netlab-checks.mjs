/**
 * netlab's checks that run before anything is touched: the NetlabError type, option
 * validation (each error names the option and its allowed range) and whether this machine can
 * host a lab at all (root, iproute2 and friends). Re-exported by netlab.mjs.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const RATE = /^(\d+(\.\d+)?)(bit|kbit|mbit|gbit)$/i;
const SUBNET = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;
const TOOLS = [
  ['ip', 'iproute2'],
  ['tc', 'iproute2'],
  ['unshare', 'util-linux'],
  ['setsid', 'util-linux'],
  ['timeout', 'coreutils'],
];

/** The error netlab throws on purpose; `code` says which kind of failure it is. */
export class NetlabError extends Error {
  /**
   * @param {'OPTION' | 'NOT_ROOT' | 'MISSING_TOOL' | 'LAB' | 'COMMAND' | 'TIMEOUT'} code
   * @param {string} message
   * @param {{ cause?: unknown, result?: import('./netlab.d.mts').NetlabResult }} [details]
   */
  constructor(code, message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'NetlabError';
    this.code = code;
    this.result = details.result;
  }
}

/**
 * Finds an executable on PATH plus $NETLAB_EXTRA_PATH (default /usr/sbin:/sbin, where Debian
 * keeps ip and tc; netlab.sh searches the same directories).
 */
function findTool(name) {
  const extra = process.env.NETLAB_EXTRA_PATH ?? '/usr/sbin:/sbin';
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extra.split(delimiter)].filter(Boolean);
  for (const dir of dirs) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Why this machine cannot host a lab, or `undefined` when it can: not root, or a tool missing
 * (the message names the Debian package to install). Handy to skip a benchmark or a test.
 * @param {{ mpirun?: boolean, delay?: boolean }} [needs]
 * @returns {string | undefined}
 */
export function netlabUnavailableReason(needs = {}) {
  if (process.getuid?.() !== 0) {
    return 'netlab needs root: network namespaces, veth pairs and tc qdiscs need CAP_NET_ADMIN (run as root, e.g. with sudo)';
  }
  const tools = [...TOOLS, ...(needs.mpirun ? [['mpirun', 'openmpi-bin libopenmpi-dev']] : [])];
  for (const [tool, pkg] of tools) {
    if (!findTool(tool)) return `netlab needs '${tool}', which is not installed: apt-get install ${pkg}`;
  }
  if (needs.delay) {
    try {
      accessSync('/usr/bin/python3', constants.X_OK);
    } catch {
      return "netlab's delay line needs Debian's /usr/bin/python3: apt-get install python3";
    }
  }
  return undefined;
}

/**
 * Throws a NetlabError (`NOT_ROOT` or `MISSING_TOOL`) unless this machine can host a lab.
 * @param {{ mpirun?: boolean, delay?: boolean }} [needs]
 */
export function assertNetlabAvailable(needs = {}) {
  const reason = netlabUnavailableReason(needs);
  if (reason !== undefined) throw new NetlabError(reason.startsWith('netlab needs root') ? 'NOT_ROOT' : 'MISSING_TOOL', reason);
}

function optionError(option, detail) {
  return new NetlabError('OPTION', `withNetlab: option '${option}' ${detail}`);
}

function integerIn(options, key, min, max, fallback) {
  const value = options[key] ?? fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw optionError(key, `must be an integer in ${min}..${max}; got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Checks withNetlab's options and fills in the defaults; throws a NetlabError with code
 * `OPTION` that names the option and its allowed range.
 * @param {import('./netlab.d.mts').NetlabOptions} options
 * @returns {Required<import('./netlab.d.mts').NetlabOptions>}
 */
export function resolveNetlabOptions(options) {
  if (typeof options !== 'object' || options === null) throw optionError('options', 'must be an object such as { hosts: 2 }');
  const known = ['hosts', 'rate', 'delayMs', 'subnet', 'shaper', 'timeoutS'];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw optionError(key, `is not an option; known options: ${known.join(', ')}`);
  }
  const hosts = integerIn(options, 'hosts', 1, 250, undefined);
  const timeoutS = integerIn(options, 'timeoutS', 1, 604800, 600);
  const rate = options.rate ?? 'none';
  if (typeof rate !== 'string' || (rate !== 'none' && !RATE.test(rate))) {
    throw optionError('rate', `must be a rate such as '100mbit', '1gbit', '2.5gbit', '500kbit' or 'none'; got ${JSON.stringify(rate)}`);
  }
  const delayMs = options.delayMs ?? 0;
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0 || delayMs > 10000) {
    throw optionError('delayMs', `must be a one-way delay in milliseconds in 0..10000; got ${JSON.stringify(delayMs)}`);
  }
  const subnet = options.subnet ?? '10.77.0.0/24';
  if (typeof subnet !== 'string' || !SUBNET.test(subnet)) {
    throw optionError('subnet', `must be an IPv4 network such as '10.77.0.0/24'; got ${JSON.stringify(subnet)}`);
  }
  const shaper = options.shaper ?? 'tbf';
  if (shaper !== 'tbf' && shaper !== 'htb') throw optionError('shaper', `must be 'tbf' or 'htb'; got ${JSON.stringify(shaper)}`);
  return { hosts, rate, delayMs, subnet, shaper, timeoutS };
}

/**
 * A command line: a non-empty array of strings, or an OPTION error.
 * @param {string} what
 * @param {unknown} argv
 * @returns {readonly string[]}
 */
export function argvOf(what, argv) {
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string')) {
    throw new NetlabError('OPTION', `${what}: the command must be a non-empty array of strings, e.g. ['iperf3', '-s']`);
  }
  return argv;
}

/**
 * Extra environment variables: names a shell accepts, string values, or an OPTION error.
 * @param {string} what
 * @param {Record<string, string>} [env]
 */
export function envOf(what, env = {}) {
  for (const [name, value] of Object.entries(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || typeof value !== 'string') {
      throw new NetlabError('OPTION', `${what}: env entry ${JSON.stringify(name)} must be a variable name with a string value`);
    }
  }
  return env;
}
