import type { Registrar } from './registrar.js';
import { token } from './token.js';

/** The plugin kinds a composition is made of. */
export type PluginKind = 'topology' | 'collective' | 'compressor' | 'error-feedback' | 'sync-policy' | 'momentum' | 'scheduler';

/** Every plugin kind, in the order the trainer reports them. Each kind takes at most one plugin. */
export const PLUGIN_KINDS: readonly PluginKind[] = Object.freeze([
  'topology',
  'collective',
  'compressor',
  'error-feedback',
  'sync-policy',
  'momentum',
  'scheduler',
]);

/**
 * A named ability a plugin offers (`collective:allgather`) or needs. Capabilities are plain
 * strings so third-party plugins can add their own; the common ones are in {@link Capabilities}.
 */
export type Capability = string;

/** Capabilities the built-in plugins declare and check. */
export const Capabilities = Object.freeze({
  /** The collective sums dense buffers across all ranks. */
  allreduce: 'collective:allreduce',
  /** The collective gathers byte payloads of any length from all ranks. */
  allgather: 'collective:allgather',
  /** The collective averages with the topology's neighbours (gossip mixing). */
  neighbourAverage: 'collective:neighbour-average',
  /** The collective runs push-sum with weights over a (possibly directed) topology. */
  pushSum: 'collective:push-sum',
  /** The collective computes an element-wise majority vote of signs. */
  vote: 'collective:vote',
  /** The topology designates parameter-server ranks. */
  serverRanks: 'topology:server-ranks',
  /** The topology changes with the step. */
  timeVarying: 'topology:time-varying',
  /** The topology's mixing weights are doubly stochastic. */
  doublyStochastic: 'topology:doubly-stochastic',
  /** The topology groups ranks (e.g. by host) for hierarchical collectives. */
  groups: 'topology:groups',
  /**
   * The compressor's output can be mixed by gossip (patterns `neighbours` and `push-sum`).
   * Today only the identity compressor provides it; gossip policies require it.
   */
  gossipPayloads: 'compressor:gossip',
  /** An error-feedback plugin keeps a residual memory (compressors defined with error feedback need it). */
  errorFeedback: 'error-feedback:residual',
  /**
   * The sync policy reports its syncs at the same steps on every rank, so an exchange made at a
   * sync (the base-buffer policy `average`) has every rank as a partner. Periodic and BSP policies
   * provide it; parameter-server policies (only workers sync) and gossip (never syncs) do not.
   */
  lockstepSync: 'sync-policy:lockstep',
  /**
   * At every sync the policy reports, every rank holds the exact average of the ranks' parameters
   * (all equal). Outer optimizers (SlowMo, BMUF) and double averaging assume it. Implies
   * {@link Capabilities.lockstepSync}.
   */
  exactAverage: 'sync-policy:exact-average',
  /**
   * The sync policy never averages exactly itself, but continues correctly from parameters that
   * another plugin replaced between two steps with values identical on every rank: it implements
   * `SyncPolicy.restart`. Gossip policies (D-PSGD, SGP) provide it, so an outer optimizer can take
   * the exact average itself every τ steps (SlowMo over SGP).
   */
  restartable: 'sync-policy:restartable',
});

/**
 * The capabilities the plugins of a composition provide, registered by the trainer, so a plugin
 * can adapt to what it is composed with (e.g. SlowMo takes the exact average itself when the
 * policy does not provide {@link Capabilities.exactAverage}). Absent outside a trainer.
 */
export const ProvidedCapabilities = token<ReadonlySet<Capability>>('syncopate/ProvidedCapabilities');

/**
 * Something a plugin needs from another plugin of the composition. When no plugin provides
 * `capability` (or one of its `alternatives`), `createTrainer` refuses the composition and names this plugin, the plugin of
 * kind `from` that is there instead (or the default), and `reason`.
 */
export interface Requirement {
  readonly capability: Capability;
  /** Capabilities that meet the requirement as well as `capability` does (any one is enough). */
  readonly alternatives?: readonly Capability[];
  /** The kind expected to provide it, for the error message. */
  readonly from: PluginKind;
  /** Why it is needed, in a few words: "top-k payloads are index/value pairs that must be gathered". */
  readonly reason: string;
}

/**
 * The inert description of a plugin, made by a factory such as `topK({ ratio: 0.01 })`.
 *
 * The factory validates its options at once (throwing an `OptionError` naming the option) and
 * returns this object; nothing runs until a trainer calls `register` on its own child container.
 * A spec holds no state: the same spec can be registered in many trainers.
 */
export interface PluginSpec<Options = unknown> {
  readonly kind: PluginKind;
  /** The algorithm's name from its paper, e.g. `topK`, `slowMo`, `ringAllreduce`. */
  readonly name: string;
  /** The validated options, with defaults filled in. Part of the composition hash. */
  readonly options: Readonly<Options>;
  /** What this plugin offers to others. */
  readonly provides?: readonly Capability[];
  /** What this plugin needs from others. */
  readonly requires?: readonly Requirement[];
  /** Adds this plugin's services (under its kind's token) to the composition. */
  register(registrar: Registrar): void;
}
