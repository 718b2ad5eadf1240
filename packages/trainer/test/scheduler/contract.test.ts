import { priority, type PriorityOptions } from '@syncopate/scheduler';
import { schedulerContract } from '@syncopate/testing';
import { describe, it } from 'vitest';

describe('priority passes the scheduler contract', () => {
  for (const partitionBytes of [64, 4096, 1 << 20]) {
    for (const c of schedulerContract<PriorityOptions>(priority, {
      options: { partitionBytes },
      invalidOptions: [
        { options: { partitionBytes: 0 }, option: 'partitionBytes' },
        { options: { creditBytes: -1 }, option: 'creditBytes' },
      ],
    })) {
      it(`${c.name} (partitionBytes ${partitionBytes})`, c.run);
    }
  }
});
