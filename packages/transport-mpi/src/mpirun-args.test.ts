import { OptionError } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { mpirunArgs } from './mpirun-args.js';

describe('mpirunArgs', () => {
  it('gives the flags that work on one machine, then -np', () => {
    expect(mpirunArgs({ np: 4, allowRunAsRoot: true })).toEqual(['--allow-run-as-root', '--oversubscribe', '--bind-to', 'none', '-np', '4']);
    expect(mpirunArgs({ np: 2, allowRunAsRoot: false, oversubscribe: false, bindTo: 'core' })).toEqual(['--bind-to', 'core', '-np', '2']);
  });

  it('adds hosts, forwarded variables and MCA parameters', () => {
    const args = mpirunArgs({ np: 2, allowRunAsRoot: false, hostfile: 'hosts', env: ['SEED'], mca: { btl: 'tcp,self' }, keepGoingOnFailure: true });
    expect(args).toEqual([
      '--oversubscribe', '--bind-to', 'none', '--hostfile', 'hosts', '-x', 'SEED',
      '--mca', 'btl', 'tcp,self', '--mca', 'orte_abort_on_non_zero_status', '0', '-np', '2',
    ]);
  });

  it('names the option that is wrong', () => {
    expect(() => mpirunArgs({ np: 0 })).toThrow(OptionError);
    expect(() => mpirunArgs({ np: 1.5 })).toThrow(/'np' must be an integer >= 1/);
    expect(() => mpirunArgs({ np: 2, bindTo: 'cores' as 'core' })).toThrow(/'bindTo' must be one of 'none', 'core'/);
    expect(() => mpirunArgs({ np: 2, env: ['A B'] })).toThrow(/'env'/);
    expect(() => mpirunArgs({ np: 2, nproc: 2 } as unknown as { np: number })).toThrow(/'nproc' is not an option/);
  });
});
