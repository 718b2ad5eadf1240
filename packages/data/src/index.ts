/**
 * @packageDocumentation
 * Datasets for Syncopate: Fashion-MNIST IDX reader, per-rank sharding and synthetic problems with a known optimum.
 */
export {};
