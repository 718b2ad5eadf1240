/**
 * @packageDocumentation
 * The syncopate command: train, launch, bench and plot.
 */
export {};
