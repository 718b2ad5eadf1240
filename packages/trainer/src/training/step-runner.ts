/**
 * One training step, in the order of the design (docs/trainer.md):
 *
 *   forward + backward (model) → [skip check] → momentum.onGradients → policy.onGradients
 *   (gradient path through the exchange) → NaN/Inf check of the gradient the base optimizer is
 *   about to apply (a read-only SIMD pass; `stop` throws here, before the update) → base
 *   optimizer → policy.onParameters (parameter path
 *   through the exchange) → momentum.onStep (which may report a sync it made itself) → if synced:
 *   momentum.onSync, base-buffer policy →
 *   parameters written back to the model.
 *
 * Buffers are allocated once; a step allocates nothing of the model's size.
 */
import {
  AbortedError,
  type Clock,
  type Collective,
  type Exchange,
  type Momentum,
  type StepEvent,
  type SyncPolicy,
  type TrainableModel,
  type Transport,
  type Batch,
} from '@syncopate/core';
import type { ExchangeMeter } from '../exchange/exchange-meter.js';
import type { FlatKernels } from '../optimizers/flat-kernels.js';
import type { BaseOptimizer } from '../optimizers/optimizer.js';
import { firstNonFinite, nonFiniteError } from './non-finite.js';
import { makeStepContext, type ContextBase } from './step-context.js';
import type { TrainingState } from './training-state.js';
import { TRACKS, type Timeline } from '../timeline/timeline.js';

/** The services a step uses. */
export interface StepServices {
  readonly transport: Transport;
  readonly model: TrainableModel;
  readonly policy: SyncPolicy;
  readonly momentum?: Momentum;
  readonly collective: Collective;
  readonly exchange: Exchange;
  readonly optimizer: BaseOptimizer;
  readonly meter: ExchangeMeter;
  readonly clock: Clock;
  readonly nonFinite: 'stop' | 'skip';
  /** Where the parameter and gradient buffers are allocated (the SIMD memory of the base optimizer's arithmetic). */
  readonly kernels: FlatKernels;
  /** Where `step`, `compute` and `wait` spans are recorded (trainer option `trace`). */
  readonly timeline?: Timeline;
  /** Trainer option `overlap`: `next-step` runs {@link StepRunner.overlappedStep}. Default `none`. */
  readonly overlap?: 'none' | 'next-step';
}

/** `overlap: 'next-step'`: the exchange of an earlier step's gradient, still in flight. */
interface InFlight {
  readonly done: Promise<void>;
  readonly step: number;
  readonly lr: number;
  readonly ctx: ReturnType<typeof makeStepContext>;
}

/** Runs steps on the flat buffers it owns. */
export class StepRunner {
  /** The parameters: the truth the model is written from after every step. */
  readonly parameters: Float32Array;
  private readonly gradients: Float32Array;
  private readonly flag = new Float32Array(1);
  /** `overlap: 'next-step'`: the gradient being averaged while the next step computes. */
  private staged: Float32Array | undefined;
  private inFlight: InFlight | undefined;

  constructor(
    private readonly services: StepServices,
    private readonly state: TrainingState,
  ) {
    this.parameters = services.kernels.allocate(services.model.layout.totalLength);
    this.gradients = services.kernels.allocate(services.model.layout.totalLength);
  }

  /** Train on `batch` as step `state.step` with learning rate `lr`; returns the step's event. */
  async step(batch: Batch, lr: number, base: ContextBase): Promise<StepEvent> {
    const { transport, model, policy, momentum, optimizer, meter, clock, timeline } = this.services;
    const { state, parameters, gradients } = this;
    const step = state.step;
    if (base.signal?.aborted) throw new AbortedError(`training step ${step}`, base.signal.reason);
    if (this.services.overlap === 'next-step') return this.overlappedStep(batch, lr, base);
    const traces: Record<string, number> = {};
    const ctx = makeStepContext(base, { step, epoch: state.epoch, lr }, traces);
    const started = clock.now();
    const bytesBefore = transport.stats.bytesSent;
    meter.take();
    let policyMs = 0;
    const inPolicy = async <T>(call: () => Promise<T>, name: string): Promise<T> => {
      const t = clock.now();
      try {
        return await call();
      } finally {
        policyMs += clock.now() - t;
        timeline?.span('wait', TRACKS.step, t, clock.now(), { call: name, step });
      }
    };

    const report = await model.computeGradients(batch, gradients);
    timeline?.span('compute', TRACKS.step, started, clock.now(), { phase: 'forward+backward', step });
    const skipped = this.services.nonFinite === 'skip' && (await this.agreeToSkip(base));
    let synced = false;
    if (!skipped) {
      momentum?.onGradients?.(gradients, ctx);
      await inPolicy(() => policy.onGradients(gradients, ctx), 'onGradients');
      const optimizerStart = clock.now();
      this.checkFinite(gradients, step);
      optimizer.step(parameters, gradients, lr);
      timeline?.span('compute', TRACKS.step, optimizerStart, clock.now(), { phase: 'optimizer', step });
      synced = (await inPolicy(() => policy.onParameters(parameters, ctx), 'onParameters')).synced;
      // An outer optimizer that takes the exact average itself reports that sync here.
      const outer = await momentum?.onStep?.(parameters, ctx);
      synced ||= outer?.synced === true;
      if (synced) {
        state.syncCount++;
        await momentum?.onSync?.(parameters, ctx);
        await inPolicy(() => this.applyBaseBuffer(step, base), 'baseBuffer');
      }
      model.writeParameters(parameters);
    } else {
      traces.skipped = 1;
    }

    state.step++;
    state.stepInEpoch++;
    if (!skipped) {
      state.epochLossSum += report.loss;
      state.epochLossCount++;
    }
    const total = clock.now() - started;
    timeline?.span('step', TRACKS.step, started, started + total, { step, epoch: state.epoch });
    const exchanged = meter.take();
    const wait = Math.max(0, policyMs - exchanged.communicationMs - exchanged.compressionMs);
    return {
      type: 'step',
      rank: transport.rank,
      step,
      epoch: state.epoch,
      loss: report.loss,
      ...(report.accuracy !== undefined && { accuracy: report.accuracy }),
      lr,
      timings: {
        compute: Math.max(0, total - exchanged.communicationMs - exchanged.compressionMs - wait),
        compression: exchanged.compressionMs,
        communication: exchanged.communicationMs,
        wait,
        total,
      },
      bytesSent: transport.stats.bytesSent - bytesBefore,
      synced,
      syncCount: state.syncCount,
      traces,
    };
  }

  /** Let the policy finish (e.g. a last averaging), once per number of steps taken. */
  async finish(lr: number, base: ContextBase): Promise<void> {
    const { state } = this;
    if (state.step === 0 || state.finishedAt === state.step) return;
    await this.applyInFlight();
    const ctx = makeStepContext(base, { step: state.step - 1, epoch: state.epoch, lr }, {});
    await this.services.policy.finish?.(this.parameters, ctx);
    this.services.model.writeParameters(this.parameters);
    state.finishedAt = state.step;
  }

  /**
   * One step of `overlap: 'next-step'` — the ByteScheduler-style fallback for a backend that
   * returns every gradient at once: compute this step's gradient while the previous step's
   * gradient is still being averaged, then apply that previous average and start averaging this
   * one. Every rank applies the same averages in the same order, but each update is one step late
   * (the gradient of step t is computed on parameters that do not yet include step t − 1's
   * average): pipelined SGD, not BSP. Only with the `bsp` policy (checked by `createTrainer`).
   */
  private async overlappedStep(batch: Batch, lr: number, base: ContextBase): Promise<StepEvent> {
    const { transport, model, policy, meter, clock, timeline } = this.services;
    const { state, gradients } = this;
    const step = state.step;
    const traces: Record<string, number> = {};
    const ctx = makeStepContext(base, { step, epoch: state.epoch, lr }, traces);
    const started = clock.now();
    const bytesBefore = transport.stats.bytesSent;
    const report = await model.computeGradients(batch, gradients);
    let computeMs = clock.now() - started;
    timeline?.span('compute', TRACKS.step, started, started + computeMs, { phase: 'forward+backward', step });
    const waitStart = clock.now();
    const applied = await this.applyInFlight();
    const wait = applied ? applied.waitMs : 0;
    computeMs += applied ? clock.now() - waitStart - wait : 0;
    const staged = (this.staged ??= this.services.kernels.allocate(gradients.length));
    staged.set(gradients);
    const done = policy.onGradients(staged, ctx);
    done.catch(() => undefined); // surfaces when awaited (next step or finish), not as an unhandled rejection
    this.inFlight = { done, step, lr, ctx };
    state.step++;
    state.stepInEpoch++;
    state.epochLossSum += report.loss;
    state.epochLossCount++;
    const total = clock.now() - started;
    timeline?.span('step', TRACKS.step, started, started + total, { step, epoch: state.epoch });
    const exchanged = meter.take();
    return {
      type: 'step',
      rank: transport.rank,
      step,
      epoch: state.epoch,
      loss: report.loss,
      ...(report.accuracy !== undefined && { accuracy: report.accuracy }),
      lr,
      // The exchange overlapped the compute: the parts add up to more than the total.
      timings: { compute: computeMs, compression: exchanged.compressionMs, communication: exchanged.communicationMs, wait, total },
      bytesSent: transport.stats.bytesSent - bytesBefore,
      synced: applied !== undefined,
      syncCount: state.syncCount,
      traces: { ...traces, ...(applied && { appliedStep: applied.step }) },
    };
  }

  /** `overlap: 'next-step'`: wait for the in-flight average and apply it; undefined when none. */
  private async applyInFlight(): Promise<{ step: number; waitMs: number } | undefined> {
    const inFlight = this.inFlight;
    if (!inFlight) return undefined;
    const { model, policy, optimizer, clock, timeline } = this.services;
    this.inFlight = undefined;
    const t = clock.now();
    await inFlight.done;
    const waitMs = clock.now() - t;
    timeline?.span('wait', TRACKS.step, t, t + waitMs, { call: 'onGradients', step: inFlight.step });
    const staged = this.staged!;
    this.checkFinite(staged, inFlight.step);
    optimizer.step(this.parameters, staged, inFlight.lr);
    if ((await policy.onParameters(this.parameters, inFlight.ctx)).synced) this.state.syncCount++;
    model.writeParameters(this.parameters);
    return { step: inFlight.step, waitMs };
  }

  /** `overlap: 'next-step'`: whether an averaged gradient is still to be applied (a checkpoint cannot hold it). */
  get pendingUpdate(): boolean {
    return this.inFlight !== undefined;
  }

  /** Before a pause: let the in-flight exchange finish, keeping its result for the next step. */
  async settle(): Promise<void> {
    await this.inFlight?.done;
  }

  /**
   * Throw a {@link NonFiniteError} naming `step` and the tensor when `gradients` — what the base
   * optimizer is about to apply — hold NaN/±Inf. Runs before the update, so a run stopped here
   * leaves the parameters, the optimizer's buffers and the momentum plugin's state as after the
   * last good step. Under a gradient-path policy (BSP) the poisoned value reaches every rank
   * through the average, so every rank stops at the same step.
   */
  private checkFinite(gradients: Float32Array, step: number): void {
    const bad = this.services.kernels.firstNonFinite(gradients);
    if (bad >= 0) throw nonFiniteError('gradient', this.services.model.layout, gradients, bad, step);
  }

  /**
   * `nonFinite: 'skip'`: whether any rank's gradients hold NaN/±Inf, agreed by a max over one
   * number so that every rank skips the same steps, before any plugin sees them.
   */
  private async agreeToSkip(base: ContextBase): Promise<boolean> {
    this.flag[0] = firstNonFinite(this.gradients) >= 0 ? 1 : 0;
    await this.services.collective.max(this.flag, base.signal ? { signal: base.signal } : undefined);
    return this.flag[0]! > 0;
  }

  /** What the momentum plugin asks for the base optimizer's buffers at a sync point. */
  private async applyBaseBuffer(step: number, base: ContextBase): Promise<void> {
    const policy = this.services.momentum?.baseBuffer ?? 'keep';
    const { optimizer, exchange } = this.services;
    if (policy === 'reset') optimizer.resetBuffers();
    if (policy !== 'average') return;
    const options = base.signal ? { signal: base.signal } : undefined;
    await Promise.all(optimizer.buffers().map((buffer, i) => exchange.run(buffer, { stream: `optimizer/${i}`, step, compress: false }, options)));
  }
}
