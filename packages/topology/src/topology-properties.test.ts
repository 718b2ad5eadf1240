import { Capabilities } from '@syncopate/core';
import { describe, expect, it } from 'vitest';
import { mixingMatrix } from './mixing-matrix.js';
import { checkStochasticity } from './stochasticity.js';
import { everyTopology } from './testing/index.js';

// Properties every built-in topology must have, on 1…17 ranks and several steps.
const sizes = Array.from({ length: 17 }, (_, i) => i + 1);
const steps = [0, 1, 2, 5, 1000];

describe.each(sizes)('every topology on %i ranks', (size) => {
  it.each(everyTopology(size).map((spec) => [`${spec.name} ${JSON.stringify(spec.options)}`, spec] as const))(
    '%s: consistent, row-stochastic, doubly stochastic when declared, deterministic',
    (_label, spec) => {
      const topology = spec.build(size);
      const again = spec.build(size);
      expect(topology.size).toBe(size);
      expect(topology.timeVarying).toBe(spec.provides?.includes(Capabilities.timeVarying) ?? false);
      expect(topology.groups.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: size }, (_, r) => r));
      for (const step of steps) {
        // mixingMatrix throws if a send list does not mirror the peers' receive lists.
        const w = mixingMatrix(topology, step);
        const s = checkStochasticity(w);
        expect(s.rowStochastic).toBe(true);
        if (spec.provides?.includes(Capabilities.doublyStochastic)) expect(s.doublyStochastic).toBe(true);
        for (let rank = 0; rank < size; rank++) {
          const hood = topology.neighbourhood(rank, step);
          expect(hood.receive.every((e) => e.peer !== rank && e.weight > 0)).toBe(true);
          expect(again.neighbourhood(rank, step)).toEqual(hood);
        }
      }
    },
  );
});

describe('declared capabilities are not over-claimed', () => {
  it('uniform weights on a star or an uneven hierarchy are row- but not column-stochastic, and say so', () => {
    const [starUniform, hierarchicalUniform] = everyTopology(8).filter((s) => (s.options as { weights?: string }).weights === 'uniform');
    for (const spec of [starUniform!, hierarchicalUniform!]) {
      expect(spec.provides).not.toContain(Capabilities.doublyStochastic);
      const s = checkStochasticity(mixingMatrix(spec.build(8), 0));
      expect(s.rowStochastic).toBe(true);
      expect(s.columnStochastic).toBe(false);
    }
  });
});
