import { Capabilities, type Capability } from '@syncopate/core';

/**
 * What a policy guarantees at the syncs it reports, as the capabilities its spec `provides`
 * (see `Capabilities` in `@syncopate/core`; the table is in docs/compatibility.md):
 *
 * - `exact`: every rank holds the average over all ranks (as the composed compressor delivers it,
 *   the same on every rank) — BSP, local SGD, post-local SGD, ADPSGD, HPSGD with delay 0,
 *   Overlap-Local-SGD reduced to local SGD. Outer optimizers (SlowMo, BMUF) run on it.
 * - `lockstep`: syncs happen at the same steps on every rank, but the parameters are not (yet) the
 *   average — HPSGD with delay 1 (the average lands one sync late), Overlap-Local-SGD (a pull-back
 *   towards the anchor). An exchange at a sync (base-buffer `average`) still has every rank as partner.
 * - `restartable`: gossip never reports a sync, but continues from parameters replaced between
 *   steps (`SyncPolicy.restart`), so an outer optimizer can take the exact average itself.
 *
 * Parameter-server policies provide none: only workers sync, each pushing its own change.
 */
export const GUARANTEES = Object.freeze({
  exact: Object.freeze([Capabilities.exactAverage, Capabilities.lockstepSync]) as readonly Capability[],
  lockstep: Object.freeze([Capabilities.lockstepSync]) as readonly Capability[],
  restartable: Object.freeze([Capabilities.restartable]) as readonly Capability[],
});
