import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ADDON_PATH, MpiUnavailableError, loadMpiBinding } from './load-binding.js';
import { FakeMpiBinding } from './testing/index.js';

const ADDON = '/pkg/build/Release/syncopate_mpi.node';
const HEADER = '/usr/lib/x86_64-linux-gnu/openmpi/include/mpi.h';

function attempt(files: string[], load: (path: string) => unknown = () => new FakeMpiBinding()): MpiUnavailableError {
  try {
    loadMpiBinding({ addonPath: ADDON, multiarch: 'x86_64-linux-gnu', exists: (p) => files.includes(p), load });
  } catch (error) {
    expect(error).toBeInstanceOf(MpiUnavailableError);
    return error as MpiUnavailableError;
  }
  throw new Error('expected loadMpiBinding to fail');
}

describe('loadMpiBinding', () => {
  it('says to install Open MPI and build the addon when neither is there', () => {
    const error = attempt([]);
    expect(error.reason).toBe('addon-not-built');
    expect(error.message).toContain(`${ADDON} is missing`);
    expect(error.message).toContain('apt-get install -y openmpi-bin libopenmpi-dev g++ make python3');
    expect(error.message).toContain('npm rebuild @syncopate/transport-mpi');
    expect(error.remedy).toBe('apt-get install -y openmpi-bin libopenmpi-dev g++ make python3 && npm rebuild @syncopate/transport-mpi');
  });

  it('says only to build the addon when Open MPI is installed', () => {
    const error = attempt([HEADER]);
    expect(error.reason).toBe('addon-not-built');
    expect(error.message).toContain('Open MPI is installed');
    expect(error.message).not.toContain('apt-get');
    expect(error.remedy).toBe('npm rebuild @syncopate/transport-mpi');
  });

  it('names the missing MPI runtime library', () => {
    const error = attempt([ADDON, HEADER], () => {
      throw new Error(`${ADDON}: libmpi.so.40: cannot open shared object file: No such file or directory`);
    });
    expect(error.reason).toBe('mpi-runtime-missing');
    expect(error.message).toContain('apt-get install -y openmpi-bin');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('tells an addon built for another Node to be rebuilt', () => {
    const error = attempt([ADDON], () => {
      throw new Error('The module was compiled against a different Node.js version using NODE_MODULE_VERSION 108.');
    });
    expect(error.reason).toBe('wrong-node');
    expect(error.message).toContain(process.version);
  });

  it('passes on any other load failure with its first line', () => {
    const error = attempt([ADDON], () => {
      throw new Error('undefined symbol: _ZN3MPI8Datatype4FreeEv\nmore');
    });
    expect(error.reason).toBe('load-failed');
    expect(error.message).toContain('undefined symbol: _ZN3MPI8Datatype4FreeEv.');
    expect(error.message).not.toContain('more');
  });

  it('refuses an addon that lacks functions, naming them', () => {
    const error = attempt([ADDON], () => ({ init() {}, finalize() {} }));
    expect(error.reason).toBe('outdated-addon');
    expect(error.message).toMatch(/lacks abort, wtime, .*cancel/);
  });

  it('returns the addon when it loads and is complete', () => {
    const fake = new FakeMpiBinding();
    expect(loadMpiBinding({ addonPath: ADDON, exists: () => true, load: () => fake })).toBe(fake);
  });

  it.skipIf(!existsSync(DEFAULT_ADDON_PATH))('loads the addon built in this package', () => {
    const binding = loadMpiBinding();
    expect(binding.isInitialized()).toBe(false);
    expect(typeof binding.allreduce).toBe('function');
  });
});
