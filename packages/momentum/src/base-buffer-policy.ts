import { Capabilities, Momentum, choiceOption, knownOptions, type BaseBufferPolicy, type PluginSpec, type Requirement } from '@syncopate/core';

const NAME = 'baseBufferPolicy';

/** `average` is an exchange at each sync: every rank must sync at the same steps to take part. */
const AVERAGE_NEEDS_LOCKSTEP: Requirement = Object.freeze({
  capability: Capabilities.lockstepSync,
  from: 'sync-policy',
  reason: "the 'average' base-buffer policy averages the buffers over all ranks at each sync, so every rank must sync at the same steps",
});

/** Options of {@link baseBufferPolicy}. */
export interface BaseBufferPolicyOptions {
  /**
   * What the base optimizer's buffers (momentum, Adam moments) become after each synchronisation
   * of the policy: `reset` (zeroed), `average` (exactly averaged over ranks: one uncompressed
   * exchange per buffer), or `keep` (left as each rank has them, the trainer's behaviour when no
   * momentum plugin is composed). Required.
   */
  readonly policy?: BaseBufferPolicy;
}

/**
 * A momentum plugin that does nothing but choose the base-buffer policy: the "reset / maintain /
 * average base optimizer buffers" line at the start of every outer iteration of SlowMo's
 * Algorithm 1 (Wang, Tantia, Ballas & Rabbat, "SlowMo: Improving communication-efficient
 * distributed SGD with slow momentum", ICLR 2020), for a periodic policy used without an outer
 * optimizer. Outer optimizers (`slowMo`, `blockwiseModelUpdateFiltering`) take the same choice as
 * their own `baseBuffer` option; `average` is also known as double averaging
 * ({@link doubleAveraging}).
 *
 * The trainer applies the policy after every step whose sync policy reports `synced`, after the
 * momentum plugin's `onSync`. `average` needs a policy whose ranks sync at the same steps
 * (`Capabilities.lockstepSync`); `createTrainer` refuses it with parameter-server policies (only
 * workers sync) and gossip (which never syncs).
 */
export class BaseBufferOnly implements Momentum {
  constructor(
    readonly name: string,
    readonly baseBuffer: BaseBufferPolicy,
  ) {}
}

/**
 * Choose what the base optimizer's buffers become at each synchronisation.
 *
 * @example
 * ```ts
 * plugins: [localSgd({ period: 8 }), baseBufferPolicy({ policy: 'reset' })],
 * optimizer: nesterovSgd({ momentum: 0.9 }),
 * ```
 */
export function baseBufferPolicy(options: BaseBufferPolicyOptions = {}): PluginSpec<Required<BaseBufferPolicyOptions>> {
  knownOptions(NAME, options, ['policy']);
  const resolved = Object.freeze({ policy: choiceOption(NAME, 'policy', options.policy, ['reset', 'average', 'keep'] as const) });
  const spec: PluginSpec<Required<BaseBufferPolicyOptions>> = {
    kind: 'momentum',
    name: NAME,
    options: resolved,
    ...(resolved.policy === 'average' && { requires: Object.freeze([AVERAGE_NEEDS_LOCKSTEP]) }),
    register(registrar) {
      registrar.register(Momentum, { useFactory: () => new BaseBufferOnly(NAME, resolved.policy) });
    },
  };
  return Object.freeze(spec);
}
