import {
  Clock,
  CompositionError,
  OptionError,
  ProvidedCapabilities,
  Collective,
  Compressor,
  ErrorFeedback,
  Exchange,
  Momentum,
  Scheduler,
  SyncPolicy,
  Topology,
  Transport,
  type PluginKind,
  type Stateful,
  type Token,
} from '@syncopate/core';
import { compositionHash, describeComposition } from './composition/composition-hash.js';
import { CompositionContainer } from './composition/container.js';
import { defaultPlugins } from './composition/defaults.js';
import { validateComposition } from './composition/validate-composition.js';
import { ExchangeMeter } from './exchange/exchange-meter.js';
import { ExchangeStage } from './exchange/exchange-stage.js';
import { FlatKernels } from './optimizers/flat-kernels.js';
import { StepRunner } from './training/step-runner.js';
import { Trainer } from './training/trainer.js';
import { describeTrainerOptions, resolveTrainerOptions, type TrainerOptions } from './training/trainer-options.js';
import { TrainingState } from './training/training-state.js';
import { Timeline } from './timeline/timeline.js';

/** The service key each plugin kind registers under. */
const KIND_TOKENS: Readonly<Record<PluginKind, Token<unknown>>> = {
  topology: Topology,
  collective: Collective,
  compressor: Compressor,
  'error-feedback': ErrorFeedback,
  'sync-policy': SyncPolicy,
  momentum: Momentum,
  scheduler: Scheduler,
};

/**
 * Compose a training run on this rank. Checks everything that can be checked before a step: the
 * trainer's options, one plugin per kind (defaults for omitted kinds: `nativeCollective()`,
 * `identity()`, `bsp()`, `singleBucket()`), every declared requirement (a conflict names both
 * plugins), then builds the trainer's own child container with the plugins, the transport, the
 * clock and the exchange stage. Ranks compare layouts and compositions, and rank 0's parameters
 * are broadcast, when the run starts (first `fit`).
 *
 * @example
 * ```ts
 * const trainer = createTrainer({
 *   transport, model: tfjsModel(model, { loss: 'softmaxCrossEntropy' }), data,
 *   plugins: [localSgd({ period: 8 }), slowMo({ beta: 0.6 })],
 *   optimizer: nesterovSgd({ momentum: 0.9 }), lr: 0.05, batchSize: 64,
 * });
 * trainer.metrics$.subscribe((event) => console.log(event));
 * await trainer.fit({ epochs: 5 });
 * await trainer.dispose();
 * ```
 */
export function createTrainer(options: TrainerOptions): Trainer {
  const settings = resolveTrainerOptions(options);
  const { transport, model, data } = options;
  const composition = validateComposition(options.plugins ?? [], defaultPlugins());
  const clock = options.clock ?? transport.clock;
  const container = new CompositionContainer();
  try {
    container.register(Transport, { useValue: transport });
    container.register(Clock, { useValue: clock });
    container.register(ProvidedCapabilities, { useValue: composition.provided });
    for (const { spec } of composition.plugins) spec.register(container);
    const meter = new ExchangeMeter();
    const timeline = settings.trace ? new Timeline(clock, transport.rank) : undefined;
    container.register(Exchange, {
      useFactory: (resolver) =>
        new ExchangeStage({
          collective: resolver.resolve(Collective),
          compressor: resolver.resolve(Compressor),
          errorFeedback: resolver.resolveOptional(ErrorFeedback),
          rank: transport.rank,
          size: transport.size,
          stats: () => transport.stats,
          clock,
          seed: settings.seed,
          // The straggler probe would be the first call in flight during an overlapped compute
          // phase and hold the gradient behind it: only for blocking BSP.
          probeStragglers: settings.overlap === 'none',
          deterministicReduction: settings.deterministicReduction,
          meter,
          ...(timeline && { timeline }),
          // Per-layer compressors (PowerSGD) see the tensors each bucket covers.
          layout: model.layout,
        }),
    });
    const layout = model.layout;
    const kernels = new FlatKernels(2 * layout.totalLength);
    const plan = container.resolve(Scheduler).plan(layout);
    const trainer = { ...(describeTrainerOptions(settings) as object), arithmetic: kernels.arithmetic };
    const lines = describeComposition(composition, { trainer, layoutHash: layout.hash(), planHash: plan.hash });
    const stateful = new Map<PluginKind, Partial<Stateful>>();
    for (const { spec } of composition.plugins) {
      const service = container.resolve(KIND_TOKENS[spec.kind]) as Partial<Stateful>;
      if (typeof service?.snapshot === 'function' && typeof service.restore === 'function') stateful.set(spec.kind, service);
    }
    const policy = container.resolve(SyncPolicy);
    const momentum = container.resolveOptional(Momentum);
    if (settings.overlap !== 'none' && settings.nonFinite === 'skip') {
      throw new OptionError('createTrainer', 'overlap', `'${settings.overlap}' cannot be combined with nonFinite 'skip' (a step's gradient is exchanged before the next step could agree to skip it)`);
    }
    if (settings.overlap !== 'none' && (policy.name !== 'bsp' || momentum)) {
      const culprit = policy.name !== 'bsp' ? `policy '${policy.name}'` : `momentum plugin '${momentum!.name}'`;
      throw new CompositionError([policy.name, ...(momentum ? [momentum.name] : [])], `createTrainer: overlap '${settings.overlap}' applies each averaged gradient one step late and needs the bsp policy without a momentum plugin; ${culprit} is composed`);
    }
    const collective = container.resolve(Collective);
    const optimizer = settings.optimizer.create(layout, kernels);
    const state = new TrainingState();
    const runner = new StepRunner(
      { transport, model, policy, momentum, collective, exchange: container.resolve(Exchange), optimizer, meter, clock, nonFinite: settings.nonFinite, kernels, ...(timeline && { timeline }), overlap: settings.overlap },
      state,
    );
    return new Trainer(
      {
        transport,
        model,
        data,
        settings,
        container,
        policy,
        momentum,
        collective,
        optimizer,
        runner,
        clock,
        description: { lines, hash: compositionHash(lines), tensors: layout.entries.map((e) => ({ name: e.name, shape: e.shape })) },
        stateful,
        names: composition.plugins.map(({ spec }) => `${spec.kind}:${spec.name}`),
        ...(timeline && { timeline }),
      },
      state,
    );
  } catch (error) {
    void container.dispose();
    throw error;
  }
}
