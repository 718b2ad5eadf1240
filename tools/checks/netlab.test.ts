/**
 * The network lab (tools/netlab): option checks everywhere; as root, the CI smoke script
 * (2 namespaces at 100mbit: iperf3 rate within 15 %, mpirun -np 2, delay-line RTT, nothing
 * left after down) and withNetlab's guarantees (teardown on throw, on timeout and when its
 * process is killed with SIGKILL). Without root the lab tests are skipped and say why.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  NETLAB_SCRIPT,
  NetlabError,
  netlabUnavailableReason,
  resolveNetlabOptions,
  withNetlab,
  type NetlabOptions,
} from '../netlab/netlab.mjs';

const netlabDir = join(import.meta.dirname, '..', 'netlab');
const moduleUrl = new URL('../netlab/netlab.mjs', import.meta.url).href;
const unavailable = netlabUnavailableReason({ mpirun: true, delay: true });
const smokeTools = ['iperf3', 'mpicc'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const smokeSkip = unavailable ?? (smokeTools.length ? `missing ${smokeTools.join(', ')} (apt-get install iperf3 libopenmpi-dev)` : undefined);
const canDropRoot = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv');

function labNamespaces(name: string): string[] {
  const out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } });
  return out
    .split('\n')
    .map((line) => line.split(' ')[0]!)
    .filter((ns) => ns.startsWith(`${name}-`));
}

function optionError(options: unknown): NetlabError {
  try {
    resolveNetlabOptions(options as NetlabOptions);
  } catch (error) {
    return error as NetlabError;
  }
  throw new Error(`no error for ${JSON.stringify(options)}`);
}

/** Runs a command as user nobody (to see what a non-root user gets). */
function asNobody(command: string, args: string[]) {
  return spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', command, ...args], { encoding: 'utf8', timeout: 20_000 });
}

describe('netlab options', () => {
  it('fills in the defaults', () => {
    expect(resolveNetlabOptions({ hosts: 3 })).toEqual({
      hosts: 3,
      rate: 'none',
      delayMs: 0,
      subnet: '10.77.0.0/24',
      shaper: 'tbf',
      timeoutS: 600,
    });
  });

  it.each([
    [{ hosts: 0 }, 'hosts', /1\.\.250/],
    [{ hosts: 2.5 }, 'hosts', /integer/],
    [{ hosts: 2, rate: '1Gbps' }, 'rate', /100mbit/],
    [{ hosts: 2, delayMs: -1 }, 'delayMs', /0\.\.10000/],
    [{ hosts: 2, delayMs: Number.NaN }, 'delayMs', /milliseconds/],
    [{ hosts: 2, subnet: '10.77.0/24' }, 'subnet', /10\.77\.0\.0\/24/],
    [{ hosts: 2, shaper: 'netem' }, 'shaper', /tbf.*htb/],
    [{ hosts: 2, timeoutS: 0 }, 'timeoutS', /1\.\.604800/],
    [{ hosts: 2, delay: 5 }, 'delay', /known options/],
  ])('rejects %j naming option %s', (options, option, detail) => {
    const error = optionError(options);
    expect(error).toBeInstanceOf(NetlabError);
    expect(error.code).toBe('OPTION');
    expect(error.message).toContain(`option '${option}'`);
    expect(error.message).toMatch(detail);
  });

  it('netlab.sh refuses bad options with exit status 2 before touching anything', () => {
    for (const [args, message] of [
      [['up', '--hosts', '0'], /--hosts '0'/],
      [['up', '--hosts', '2', '--rate', '10mbps'], /--rate '10mbps'/],
      [['up', '--hosts', '2', '--subnet', '10.77.0.1/24'], /not the network address.*10\.77\.0\.0\/24/],
      [['up', '--hosts', '300', '--subnet', '10.77.0.0/24'], /1\.\.250/],
      [['--lab', 'a_b', 'status'], /no '_'/],
      [['mpirun', '-np', '2', './prog'], /after '--'/],
    ] as const) {
      const run = spawnSync(NETLAB_SCRIPT, args, { encoding: 'utf8' });
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});

describe('netlab refuses clearly', () => {
  it.skipIf(!canDropRoot)(`netlab.sh up says it needs root${canDropRoot ? '' : ' (skipped: needs root and setpriv to drop to user nobody)'}`, () => {
    const run = asNobody(join(netlabDir, 'netlab.sh'), ['up', '--hosts', '2']);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/must run as root/);
  });

  it.skipIf(!canDropRoot)(`withNetlab rejects with NOT_ROOT${canDropRoot ? '' : ' (skipped: needs root and setpriv)'}`, () => {
    const script = `import(${JSON.stringify(moduleUrl)}).then((m) => m.withNetlab({ hosts: 2 }, async () => {})).then(() => console.log('ran'), (e) => console.log(e.code, e.message))`;
    const run = asNobody(process.execPath, ['--input-type=module', '-e', script]);
    expect(run.stdout).toMatch(/^NOT_ROOT netlab needs root/);
  });

  const isRoot = process.getuid?.() === 0;
  it.skipIf(!isRoot)(`names the package to install when tc is missing${isRoot ? '' : ' (skipped: the root check comes first)'}`, () => {
    const env = { ...process.env, PATH: '/usr/bin:/bin', NETLAB_EXTRA_PATH: '' };
    const shell = spawnSync(NETLAB_SCRIPT, ['up', '--hosts', '2'], { encoding: 'utf8', env });
    expect(shell.status).toBe(3);
    expect(shell.stderr).toMatch(/'tc' not found; install it with: apt-get install iproute2/);
    const script = `import(${JSON.stringify(moduleUrl)}).then((m) => m.withNetlab({ hosts: 2 }, async () => {})).then(() => console.log('ran'), (e) => console.log(e.code, e.message))`;
    const node = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env });
    expect(node.stdout).toMatch(/^MISSING_TOOL .*'tc'.*apt-get install iproute2/);
  });
});

describe('netlab lab (root)', () => {
  it.skipIf(smokeSkip !== undefined)(`smoke.sh passes and leaves nothing behind${smokeSkip ? ` (skipped: ${smokeSkip})` : ''}`, () => {
    const run = spawnSync('bash', [join(netlabDir, 'smoke.sh')], { encoding: 'utf8', timeout: 100_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^netlab smoke: ok \(100mbit link [\d.]+ Mbit\/s, mpirun -np 2 ok/m);
  }, 110_000);

  it.skipIf(unavailable !== undefined)(`withNetlab runs in the namespaces and tears down after a throw${unavailable ? ` (skipped: ${unavailable})` : ''}`, async () => {
    let name = '';
    const failure = await withNetlab({ hosts: 3, rate: '1gbit', subnet: '10.88.4.0/24', timeoutS: 60 }, async (lab) => {
      name = lab.name;
      expect(lab.hosts.map((h) => h.address)).toEqual(['10.88.4.1', '10.88.4.2', '10.88.4.3']);
      expect(labNamespaces(name).sort()).toEqual([`${name}-h1`, `${name}-h2`, `${name}-h3`, `${name}-sw`]);
      const seen = await lab.exec('h3', ['sh', '-c', 'hostname; ip -4 -o addr show dev eth0; ip route']);
      expect(seen.stdout).toContain(`${name}-h3`);
      expect(seen.stdout).toContain('inet 10.88.4.3/24');
      expect(seen.stdout).not.toMatch(/^default/m);
      const ping = await lab.exec(1, ['ping', '-c', '1', '-W', '2', '10.88.4.3'], { check: false });
      if (ping.code !== 127) expect(ping.code, ping.stderr).toBe(0);
      throw new Error('body failed on purpose');
    }).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe('body failed on purpose');
    expect(name).toMatch(/^syn-j[a-z0-9]+$/);
    expect(labNamespaces(name)).toEqual([]);
  }, 30_000);

  it.skipIf(unavailable !== undefined)(`withNetlab times out a body that hangs and tears down${unavailable ? ` (skipped: ${unavailable})` : ''}`, async () => {
    let name = '';
    const started = Date.now();
    const failure = await withNetlab({ hosts: 2, timeoutS: 2 }, async (lab) => {
      name = lab.name;
      await lab.exec('h1', ['sleep', '60']);
    }).catch((error: NetlabError) => error);
    expect(failure).toBeInstanceOf(NetlabError);
    expect((failure as NetlabError).code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(labNamespaces(name)).toEqual([]);
  }, 30_000);

  it.skipIf(unavailable !== undefined)(`the reaper tears the lab down when its owner is killed with SIGKILL${unavailable ? ` (skipped: ${unavailable})` : ''}`, async () => {
    const script = `import(${JSON.stringify(moduleUrl)}).then((m) => m.withNetlab({ hosts: 2, timeoutS: 120 }, async (lab) => { console.log(lab.name); await new Promise(() => setInterval(() => {}, 1000)); }))`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const name = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8');
      child.stdout.once('data', (line: string) => resolve(line.trim()));
      child.once('exit', (code) => reject(new Error(`the owner exited early (${code})`)));
    });
    expect(labNamespaces(name)).toHaveLength(3);
    child.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (labNamespaces(name).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(labNamespaces(name)).toEqual([]);
  }, 30_000);
});
