import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli-error.js';
import { parseLaunchArgs } from './launch-args.js';

describe('syncopate launch arguments', () => {
  it("takes Open MPI's -np spelling and runs a .js program with this Node, passing its arguments untouched", () => {
    expect(parseLaunchArgs(['-np', '4', 'train.js', '--epochs', '2', '-n', '3'], '/usr/bin/node')).toEqual({
      mpirun: { np: 4 },
      program: ['/usr/bin/node', 'train.js', '--epochs', '2', '-n', '3'],
      dryRun: false,
    });
  });

  it('reads every launch option, and runs other programs as they are', () => {
    expect(parseLaunchArgs(['--np=2', '--hostfile', 'hosts', '-x', 'SEED', '--env=DATA', '--keep-going', '--dry-run', '--', 'python3', 'x.py'])).toEqual({
      mpirun: { np: 2, hostfile: 'hosts', env: ['SEED', 'DATA'], keepGoingOnFailure: true },
      program: ['python3', 'x.py'],
      dryRun: true,
    });
  });

  it('says what is missing or wrong', () => {
    expect(() => parseLaunchArgs(['train.js'])).toThrow(new UsageError('launch: give the number of ranks: syncopate launch -np 4 train.js'));
    expect(() => parseLaunchArgs(['-np', '2'])).toThrow(/give the program to run/);
    expect(() => parseLaunchArgs(['-np', 'four', 'x.js'])).toThrow("launch: -np must be a positive integer, got 'four'");
    expect(() => parseLaunchArgs(['-np'])).toThrow('launch: -np needs a value');
    expect(() => parseLaunchArgs(['-np', '2', '--oversubscribed', 'x.js'])).toThrow(/unknown option '--oversubscribed'/);
  });
});
