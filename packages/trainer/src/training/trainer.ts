/**
 * The trainer: start-up, the stream of steps, epochs, metrics and checkpoints.
 *
 * Why streams: steps form an RxJS pipeline built with `concatMap` only (never `mergeMap` around
 * the transport), so each step starts after the previous one ended and every rank issues its
 * exchanges in the same order. A failing step errors the pipeline, which ends `fit` with the
 * cause; an AbortSignal is checked before each step and handed to every exchange, so an abort
 * ends the run with an `AbortedError`. Batches are pulled lazily inside `concatMap`, never
 * buffered ahead.
 */
import {
  CompositionError,
  OptionError,
  StateError,
  knownOptions,
  numberOption,
  type Batch,
  type Clock,
  type Collective,
  type Dataset,
  type EpochEvent,
  type Momentum,
  type PluginKind,
  type ShardOptions,
  type Stateful,
  type SyncPolicy,
  type TrainableModel,
  type TrainerEvent,
  type Transport,
} from '@syncopate/core';
import { EMPTY, Subject, concat, concatMap, defer, from, lastValueFrom, range, tap, type Observable } from 'rxjs';
import { readCheckpoint, writeCheckpoint } from '../checkpoint/checkpoint-file.js';
import type { CheckpointSeries } from '../checkpoint/checkpoint-series.js';
import { applyCheckpointRecord, checkCheckpointRecord, checkpointRecord, type CheckpointParts, type TrainingPosition } from '../checkpoint/trainer-checkpoint.js';
import { agree } from '../startup/rank-agreement.js';
import { newestCommonStep, samePosition } from '../checkpoint/resume-decisions.js';
import type { CompositionContainer } from '../composition/container.js';
import { handshake, type RankDescription } from '../startup/handshake.js';
import type { BaseOptimizer } from '../optimizers/optimizer.js';
import { scheduledLr } from '../schedules/schedule.js';
import type { ResolvedTrainerOptions } from './trainer-options.js';
import { evaluateOnTestSet, type Evaluation } from './evaluate.js';
import { makeStepContext, type ContextBase } from './step-context.js';
import { StepRunner } from './step-runner.js';
import type { TrainingState } from './training-state.js';
import type { Timeline } from '../timeline/timeline.js';

/** Options of {@link Trainer.fit}. */
export interface FitOptions {
  /** Train until this many epochs are complete (counted from the start of the run, not of this call). */
  readonly epochs: number;
  /**
   * Pause once the global step count reaches this number, without finishing (no final
   * averaging): save a checkpoint and resume later, bit for bit.
   */
  readonly stopAtStep?: number;
  /** Cancels the run: the current exchange rejects and `fit` rejects with an `AbortedError`. */
  readonly signal?: AbortSignal;
}

/** What {@link Trainer.fit} returns. */
export interface FitResult {
  /** Steps taken in the whole run so far. */
  readonly steps: number;
  /** Epochs completed in the whole run so far. */
  readonly epochs: number;
  /** False when the run paused at `stopAtStep` before the last epoch ended. */
  readonly completed: boolean;
  readonly syncCount: number;
  /** Mean training loss of the last epoch that ended (NaN if none did in this call). */
  readonly trainLoss: number;
}

/** The services and settings a trainer is made of (built by `createTrainer`). */
export interface TrainerParts {
  readonly transport: Transport;
  readonly model: TrainableModel;
  readonly data: Dataset;
  readonly settings: ResolvedTrainerOptions;
  readonly container: CompositionContainer;
  readonly policy: SyncPolicy;
  readonly momentum?: Momentum;
  readonly collective: Collective;
  readonly optimizer: BaseOptimizer;
  readonly runner: StepRunner;
  readonly clock: Clock;
  readonly description: RankDescription;
  /** Stateful services by plugin kind, checkpointed with the run. */
  readonly stateful: ReadonlyMap<PluginKind, Partial<Stateful>>;
  readonly names: readonly string[];
  /** Present when the trainer was created with `trace: true`. */
  readonly timeline?: Timeline;
}

/** A composed, validated training run on one rank. Made by {@link createTrainer}. */
export class Trainer {
  /** Every step and epoch event of this rank, as it happens. Completes when the trainer is disposed. */
  readonly metrics$: Observable<TrainerEvent>;
  private readonly events = new Subject<TrainerEvent>();
  private started: Promise<void> | undefined;
  private running = false;
  private disposed = false;
  private startedAt = 0;
  private bytesAtStart = 0;
  private cursor: { epoch: number; position: number; iterator: Iterator<Batch> } | undefined;
  private stepsPerEpoch: number | undefined;

  /** @internal Use {@link createTrainer}. */
  constructor(
    private readonly parts: TrainerParts,
    private readonly state: TrainingState,
  ) {
    this.metrics$ = this.events.asObservable();
  }

  get rank(): number {
    return this.parts.transport.rank;
  }

  get size(): number {
    return this.parts.transport.size;
  }

  /** The plugins of the composition as `kind:name`, defaults included. */
  get plugins(): readonly string[] {
    return this.parts.names;
  }

  /** The hash every rank compared at start-up. */
  get compositionHash(): string {
    return this.parts.description.hash;
  }

  /**
   * This rank's timeline of step, compute, compression, communication and wait spans, when the
   * trainer was created with `trace: true`; write it with `writeChromeTrace(path, timeline.events())`.
   */
  get timeline(): Timeline | undefined {
    return this.parts.timeline;
  }

  /** Global steps taken so far. */
  get step(): number {
    return this.state.step;
  }

  /** A copy of the current parameters (layout order). */
  parameters(): Float32Array {
    return this.parts.runner.parameters.slice();
  }

  /**
   * The start-up handshake, run once (by the first `fit`, `evaluate` or `restore`): every rank
   * checks the others hold the same layout and composition, rank 0's parameters are broadcast,
   * then the policy and momentum plugins see the initial parameters.
   */
  start(): Promise<void> {
    this.live();
    return (this.started ??= this.startOnce());
  }

  private async startOnce(): Promise<void> {
    const { transport, model, collective, runner, description, policy, momentum, clock } = this.parts;
    this.startedAt = clock.now();
    this.bytesAtStart = transport.stats.bytesSent;
    await handshake(transport, description);
    this.parts.timeline?.setOrigin(clock.now());
    model.readParameters(runner.parameters);
    if (transport.size > 1) await collective.broadcast(runner.parameters, 0);
    model.writeParameters(runner.parameters);
    const stepCtx = makeStepContext(this.context(undefined), { step: 0, epoch: 0, lr: this.lr(0, 0) }, {});
    await policy.init?.(runner.parameters, stepCtx);
    momentum?.init?.(runner.parameters, stepCtx);
  }

  /** Train; resolves when `epochs` are complete or `stopAtStep` is reached. */
  async fit(options: FitOptions): Promise<FitResult> {
    knownOptions('fit', options, ['epochs', 'stopAtStep', 'signal']);
    const epochs = numberOption('fit', 'epochs', options?.epochs, { min: 0, integer: true });
    const stopAtStep = numberOption('fit', 'stopAtStep', options.stopAtStep, { min: 0, integer: true }, Number.MAX_SAFE_INTEGER);
    if (this.running) throw new OptionError('fit', 'call', 'is already running on this trainer; await it first');
    this.running = true;
    let trainLoss = NaN;
    try {
      await this.start();
      const base = this.context(options.signal);
      const shard = this.shard();
      const perEpoch = this.parts.data.batchesPerEpoch(shard);
      if (perEpoch <= 0) throw new OptionError('createTrainer', 'batchSize', `gives no batch per epoch on rank ${this.rank} (shard too small for ${this.parts.settings.batchSize})`);
      const epoch$ = (epoch: number) =>
        defer(() => {
          // Paused (stopAtStep) in an earlier epoch of this call: nothing more to do.
          if (this.state.epoch !== epoch || this.state.step >= stopAtStep) return EMPTY;
          const remaining = Math.min(perEpoch - this.state.stepInEpoch, stopAtStep - this.state.step);
          const batches = this.batches(epoch, shard);
          const steps$ = range(0, Math.max(0, remaining)).pipe(
            concatMap(() => defer(() => this.parts.runner.step(this.nextBatch(batches, epoch), this.lr(this.state.step, epoch), base))),
          );
          const end$ = defer(() => (this.state.stepInEpoch >= perEpoch ? from(this.endEpoch()) : from([])));
          return concat(steps$, end$);
        });
      const run$ = range(this.state.epoch, Math.max(0, epochs - this.state.epoch)).pipe(
        concatMap((epoch) => epoch$(epoch)),
        tap((event) => {
          if (event.type === 'epoch') trainLoss = event.trainLoss;
          this.events.next(event);
        }),
      );
      await lastValueFrom(run$, { defaultValue: undefined });
      const completed = this.state.epoch >= epochs;
      if (completed) await this.parts.runner.finish(this.lr(Math.max(0, this.state.step - 1), this.state.epoch), base);
      else await this.settle(base);
      return { steps: this.state.step, epochs: this.state.epoch, completed, syncCount: this.state.syncCount, trainLoss };
    } finally {
      this.running = false;
    }
  }

  /** Mean loss and accuracy of the current parameters on the test set. */
  async evaluate(): Promise<Evaluation> {
    await this.start();
    const { data, model, settings } = this.parts;
    return evaluateOnTestSet(model, data, settings.batchSize);
  }

  /**
   * Write this rank's checkpoint to `path` atomically: parameters, base optimizer, every stateful
   * plugin, the step/epoch counters. Call between `fit` calls (e.g. after `stopAtStep`).
   */
  async save(path: string): Promise<void> {
    await this.start();
    if (this.running) throw new OptionError('save', 'call', 'cannot checkpoint while fit is running; pause with stopAtStep');
    if (this.parts.runner.pendingUpdate) throw new OptionError('save', 'overlap', "cannot checkpoint with overlap 'next-step': an averaged gradient is still to be applied");
    writeCheckpoint(path, checkpointRecord(this.checkpointParts()));
  }

  /**
   * Continue from a checkpoint written by {@link Trainer.save} on this rank of the same
   * composition. Collective: every rank calls it, each with its own file. Before anything is
   * restored the ranks compare the training position their files hold (step, epoch, batch in the
   * epoch); files of different positions — which would train on silently under BSP — are refused
   * on every rank with a `StateError` naming the ranks and their steps, as is a file one rank
   * cannot read (every trainer then keeps its state).
   */
  async restore(path: string): Promise<void> {
    await this.start();
    if (this.running) throw new OptionError('restore', 'call', 'cannot restore while fit is running');
    const parts = this.checkpointParts();
    let record: ReturnType<typeof readCheckpoint> | undefined;
    let position: TrainingPosition | Error;
    try {
      record = readCheckpoint(path);
      position = checkCheckpointRecord(record, parts, `checkpoint ${path}`);
    } catch (error) {
      position = error as Error;
    }
    await agree(this.parts.transport, 'restore', position, samePosition);
    applyCheckpointRecord(record!, parts);
    this.parts.model.writeParameters(this.parts.runner.parameters);
  }

  /**
   * A coordinated checkpoint: write this rank's file of the current step in `series`, agree with
   * every rank that all wrote the same step, then drop this rank's files older than the series
   * keeps. Collective: every rank calls it at the same step (e.g. after `fit` with the same
   * `stopAtStep`). Files are pruned only once every rank holds the new step, so the newest step
   * all ranks hold always survives. Returns this rank's file.
   */
  async saveCheckpoint(series: CheckpointSeries): Promise<string> {
    await this.start();
    this.checkSeries(series);
    const step = this.state.step;
    const path = series.path(this.rank, step);
    let saved: number | Error = step;
    try {
      series.prepare(this.rank);
      await this.save(path);
    } catch (error) {
      saved = error as Error;
    }
    await agree(this.parts.transport, 'checkpoint', saved, (steps) => {
      if (steps.every((s) => s === steps[0])) return steps[0]!;
      throw new StateError(`ranks checkpointed different steps (${steps.map((s, r) => `rank ${r}: ${s}`).join(', ')}); every rank must save at the same step`);
    });
    series.prune(this.rank, step);
    return path;
  }

  /**
   * Resume from the newest step that every rank holds intact in `series` (file readable, CRC-32
   * good, of this composition, rank and step): each rank lists and verifies its files, the ranks
   * agree on the step in one small round, every rank restores it (see {@link Trainer.restore})
   * and removes its files of later steps. Resolves with the step, or `undefined` when no rank has
   * a file (a fresh start). Refused on every rank with a `StateError` listing each rank's steps
   * when files exist (intact or not) but no step is held intact by all. Collective.
   */
  async resumeFrom(series: CheckpointSeries): Promise<number | undefined> {
    await this.start();
    if (this.running) throw new OptionError('resumeFrom', 'call', 'cannot restore while fit is running');
    this.checkSeries(series);
    const present = series.steps(this.rank);
    const intact = present.filter((step) => this.holds(series.path(this.rank, step), step));
    const step = await agree(this.parts.transport, 'resume', { intact, refused: present.length - intact.length }, newestCommonStep);
    if (step === null) return undefined;
    await this.restore(series.path(this.rank, step));
    series.removeAfter(this.rank, step);
    return step;
  }

  /** Release the composition (the trainer's child container); completes `metrics$`. Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.events.complete();
    await this.parts.container.dispose();
  }

  /** Paused before the end: let the policy wait for exchanges still in flight, so a checkpoint sees none. */
  private async settle(base: ContextBase): Promise<void> {
    const { policy } = this.parts;
    await this.parts.runner.settle();
    if (!policy.settle || this.state.step === 0) return;
    const step = this.state.step - 1;
    await policy.settle(makeStepContext(base, { step, epoch: this.state.epoch, lr: this.lr(step, this.state.epoch) }, {}));
  }

  private async endEpoch(): Promise<EpochEvent> {
    const { state } = this;
    const { transport, settings, data, clock } = this.parts;
    const trainLoss = state.epochLossCount > 0 ? state.epochLossSum / state.epochLossCount : NaN;
    const evaluation = settings.evaluate && data.testSize > 0 ? await this.evaluate() : undefined;
    const event: EpochEvent = {
      type: 'epoch',
      rank: transport.rank,
      epoch: state.epoch,
      step: state.step,
      trainLoss,
      ...(evaluation && { testLoss: evaluation.loss, testAccuracy: evaluation.accuracy }),
      elapsedMs: clock.now() - this.startedAt,
      bytesSent: transport.stats.bytesSent - this.bytesAtStart,
      syncCount: state.syncCount,
    };
    state.epoch++;
    state.stepInEpoch = 0;
    state.epochLossSum = 0;
    state.epochLossCount = 0;
    return event;
  }

  /**
   * The epoch's batch iterator, positioned at the next unconsumed batch. Kept across `fit` calls,
   * so pausing and continuing costs nothing; after a restore the consumed batches are skipped once.
   */
  private batches(epoch: number, shard: ShardOptions): Iterator<Batch> {
    const cursor = this.cursor;
    if (cursor && cursor.epoch === epoch && cursor.position === this.state.stepInEpoch) return cursor.iterator;
    const iterator = this.parts.data.trainBatches(epoch, shard)[Symbol.iterator]();
    for (let i = 0; i < this.state.stepInEpoch; i++) iterator.next();
    this.cursor = { epoch, position: this.state.stepInEpoch, iterator };
    return iterator;
  }

  private nextBatch(batches: Iterator<Batch>, epoch: number): Batch {
    const next = batches.next();
    if (next.done) {
      throw new CompositionError([], `dataset '${this.parts.data.name}' ran out of batches in epoch ${epoch} before batchesPerEpoch said it would`);
    }
    if (this.cursor?.iterator === batches) this.cursor.position++;
    return next.value;
  }

  private shard(): ShardOptions {
    const { transport, settings } = this.parts;
    return { rank: transport.rank, size: transport.size, batchSize: settings.batchSize, seed: settings.seed, shuffle: settings.shuffle, dropLast: true };
  }

  private lr(step: number, epoch: number): number {
    const { settings, transport, data } = this.parts;
    if (settings.schedules.length === 0) return settings.lr;
    return scheduledLr(settings.schedules, {
      step,
      epoch,
      stepsPerEpoch: (this.stepsPerEpoch ??= data.batchesPerEpoch(this.shard())),
      baseLr: settings.lr,
      size: transport.size,
      batchSize: settings.batchSize,
    });
  }

  private context(signal: AbortSignal | undefined): ContextBase {
    const { transport, model, settings } = this.parts;
    return { rank: transport.rank, size: transport.size, layout: model.layout, seed: settings.seed, ...(signal && { signal }) };
  }

  private checkpointParts(): CheckpointParts {
    const { runner, optimizer, stateful } = this.parts;
    return { compositionHash: this.compositionHash, rank: this.rank, size: this.size, state: this.state, parameters: runner.parameters, optimizer, stateful };
  }

  /** Whether `path` is an intact checkpoint of this trainer at `step`. */
  private holds(path: string, step: number): boolean {
    try {
      return checkCheckpointRecord(readCheckpoint(path), this.checkpointParts(), `checkpoint ${path}`).step === step;
    } catch {
      return false;
    }
  }

  private checkSeries(series: CheckpointSeries): void {
    if (this.size > 1 && !series.namesRank) {
      throw new OptionError('CheckpointSeries', 'path', `must hold '{rank}' when ${this.size} ranks write checkpoints, got '${series.template}'`);
    }
  }

  private live(): void {
    if (this.disposed) throw new CompositionError([], 'this trainer has been disposed');
  }
}
