import { Capabilities, CompositionError, LayoutMismatchError, OptionError } from '@syncopate/core';
import { collectiveSpec, nativeCollective } from '@syncopate/collectives';
import { errorFeedback, oneBitSgd, topK } from '@syncopate/compression';
import { slowMo } from '@syncopate/momentum';
import { bsp, localSgd } from '@syncopate/sync-policy';
import { leastSquares } from '@syncopate/data';
import { runSimulated } from '@syncopate/transport-local';
import { describe, expect, it } from 'vitest';
import { createTrainer } from './create-trainer.js';
import { failureOf, onRanks, smallProblem } from './test-support/simulated-ranks.js';

const problem = smallProblem();

/** A collective that can only allreduce (a third party's, say): no allgather. */
const allreduceOnly = () =>
  collectiveSpec({
    name: 'allreduceOnly',
    options: {},
    provides: [Capabilities.allreduce],
    create: () => {
      throw new Error('never built: the composition is refused first');
    },
  });

async function compose(plugins: Parameters<typeof createTrainer>[0]['plugins']) {
  const { results } = await runSimulated(1, async (transport) => {
    const trainer = createTrainer({ transport, model: problem.createModel(), data: problem.dataset, plugins });
    const names = trainer.plugins;
    await trainer.dispose();
    return names;
  });
  return results[0]!;
}

describe('createTrainer', () => {
  it('fills omitted kinds with the defaults', async () => {
    expect(await compose([])).toEqual(['collective:nativeCollective', 'compressor:identity', 'sync-policy:bsp', 'scheduler:singleBucket']);
    expect(await compose([localSgd({ period: 4 }), slowMo()])).toEqual([
      'collective:nativeCollective',
      'compressor:identity',
      'sync-policy:localSgd',
      'momentum:slowMo',
      'scheduler:singleBucket',
    ]);
  });

  it('refuses a gather-only compressor without a gather-capable collective, naming both plugins', async () => {
    const error = await failureOf(compose([topK({ ratio: 0.01 }), allreduceOnly()]));
    expect(error).toBeInstanceOf(CompositionError);
    expect((error as CompositionError).plugins).toEqual(['topK', 'allreduceOnly']);
    expect(error.message).toMatch(/^compressor 'topK' needs a collective with 'collective:allgather' \(.+\), but collective 'allreduceOnly' does not provide it$/);
    await expect(compose([topK({ ratio: 0.01 }), nativeCollective()])).resolves.toContain('compressor:topK');
  });

  it('refuses two plugins of one kind and a compressor that needs error feedback without it', async () => {
    const twice = await failureOf(compose([bsp(), localSgd()]));
    expect(twice.message).toBe("two sync-policy plugins, 'bsp' and 'localSgd': a composition takes at most one plugin per kind");
    const oneBit = await failureOf(compose([oneBitSgd()]));
    expect(oneBit.message).toMatch(/compressor 'oneBitSgd' needs a error-feedback with .*but the composition has no error-feedback/);
    await expect(compose([oneBitSgd(), errorFeedback()])).resolves.toContain('error-feedback:errorFeedback');
  });

  it('checks its own options at once, naming the option', async () => {
    const error = await failureOf(
      runSimulated(1, (transport) => createTrainer({ transport, model: problem.createModel(), data: problem.dataset, lr: -1 })),
    );
    expect(error).toBeInstanceOf(OptionError);
    expect(error.message).toBe("createTrainer: option 'lr' must be a finite number > 0, got -1");
    const typo = await failureOf(
      runSimulated(1, (transport) => createTrainer({ transport, model: problem.createModel(), data: problem.dataset, batchsize: 4 } as never)),
    );
    expect(typo.message).toMatch(/option 'batchsize' is not an option of createTrainer \(did you mean 'batchSize'\?\)/);
  });
});

describe('start-up handshake', () => {
  it('fails on every rank, naming the ranks that differ and what differs', async () => {
    const run = onRanks(3, problem, (rank) => ({ plugins: [localSgd({ period: rank === 2 ? 4 : 8 })] }), (t) => t.fit({ epochs: 1 }));
    const error = await failureOf(run);
    expect(error).toBeInstanceOf(LayoutMismatchError);
    expect(error.message).toBe(
      'rank 2 differs from rank 0 (all ranks must build the same model and composition): ' +
        'rank 0 has sync-policy=localSgd{"period":8,"stream":"parameter"}, rank 2 has sync-policy=localSgd{"period":4,"stream":"parameter"}',
    );
  });

  it('names the first tensor whose shape differs', async () => {
    const narrow = leastSquares({ samples: 64, features: 3, seed: 1 });
    const error = await failureOf(onRanks(2, problem, (rank) => (rank === 1 ? { model: narrow.createModel() } : {}), (t) => t.fit({ epochs: 1 })));
    expect(error).toBeInstanceOf(LayoutMismatchError);
    expect(error.message).toMatch(/model layouts differ at tensor 0: rank 0 weights \[8\], rank 1 weights \[3\]/);
  });

  it('broadcasts rank 0’s parameters so that every rank starts equal', async () => {
    const startingAt = (value: number) => {
      const model = problem.createModel();
      model.writeParameters(problem.layout.allocate().fill(value));
      return model;
    };
    const outcomes = await onRanks(3, problem, (rank) => ({ model: startingAt(rank + 1) }), async (t) => {
      await t.start();
      return t.parameters();
    });
    for (const o of outcomes) expect([...o.result]).toEqual(new Array(problem.layout.totalLength).fill(1));
  });
});
