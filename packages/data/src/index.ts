/**
 * @packageDocumentation
 * Datasets for Syncopate: the Fashion-MNIST IDX reader (Debian's `dataset-fashion-mnist`),
 * per-rank sharding (fixed shards, or a global reshuffle per epoch from a shared seed) with
 * batches built from typed arrays, and pure-TypeScript synthetic problems with a known optimum
 * (least squares, logistic regression) for convergence tests.
 */
export { arrayDataset, type ArrayDatasetOptions } from './array-dataset.js';
export type { ExampleTable } from './example-table.js';
export { FASHION_MNIST_DIR, fashionMnist, type FashionMnistOptions } from './fashion-mnist.js';
export { IdxFormatError, encodeIdx, isGzip, parseIdx, readIdxFile, type IdxTensor } from './idx.js';
export { leastSquares, type LeastSquaresOptions } from './synthetic/least-squares.js';
export { logisticRegression, type LogisticRegressionOptions } from './synthetic/logistic-regression.js';
export type { SyntheticProblem } from './synthetic/synthetic-problem.js';
