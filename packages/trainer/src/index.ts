/**
 * @packageDocumentation
 * The Syncopate composition root: createTrainer, the step pipeline, tfjs model <-> flat buffers, metrics and checkpoints.
 */
export {};
