/** What a learning-rate schedule may depend on. */
export interface ScheduleInfo {
  /** Global step, counted from 0 across epochs. */
  readonly step: number;
  readonly epoch: number;
  /** Steps each rank takes per epoch. */
  readonly stepsPerEpoch: number;
  /** The trainer's `lr` option: the single-worker base rate η. */
  readonly baseLr: number;
  /** Number of ranks. */
  readonly size: number;
  /** Per-rank mini-batch size. */
  readonly batchSize: number;
}

/**
 * A learning-rate schedule: a pure function of the step that maps the rate computed so far to a
 * new one. The trainer applies the schedules it is given in order, starting from its `lr`, and
 * puts the result in `StepContext.lr`, where plugins (SlowMo's `1/γ_t`) read it.
 */
export interface LrSchedule<Options = unknown> {
  readonly name: string;
  /** The validated options; part of the composition hash. */
  readonly options: Readonly<Options>;
  apply(lr: number, info: ScheduleInfo): number;
}

/** The learning rate in force at `info.step`: `baseLr` passed through every schedule in order. */
export function scheduledLr(schedules: readonly LrSchedule[], info: ScheduleInfo): number {
  let lr = info.baseLr;
  for (const schedule of schedules) lr = schedule.apply(lr, info);
  return lr;
}
