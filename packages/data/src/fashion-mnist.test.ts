import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { OptionError, createRng, type Batch } from '@syncopate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { FASHION_MNIST_DIR, fashionMnist } from './fashion-mnist.js';
import { IdxFormatError, encodeIdx } from './idx.js';

const root = mkdtempSync(join(tmpdir(), 'syncopate-fmnist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Fixture {
  readonly dir: string;
  readonly trainPixels: Uint8Array;
  readonly trainLabels: Uint8Array;
  readonly testPixels: Uint8Array;
  readonly testLabels: Uint8Array;
}

/** A miniature Fashion-MNIST: `train` and `test` random 28×28 images, some files gzip'd, some plain. */
function fixture(name: string, train: number, test: number, edit: (files: Record<string, Uint8Array>) => void = () => {}): Fixture {
  const rng = createRng({ seed: 5, rank: 0, step: 0, stream: name });
  const bytes = (n: number, limit: number) => Uint8Array.from({ length: n }, () => rng.nextInt(limit));
  const f = { trainPixels: bytes(train * 784, 256), trainLabels: bytes(train, 10), testPixels: bytes(test * 784, 256), testLabels: bytes(test, 10) };
  const files: Record<string, Uint8Array> = {
    'train-images-idx3-ubyte.gz': gzipSync(encodeIdx([train, 28, 28], f.trainPixels)),
    'train-labels-idx1-ubyte': encodeIdx([train], f.trainLabels),
    't10k-images-idx3-ubyte': encodeIdx([test, 28, 28], f.testPixels),
    't10k-labels-idx1-ubyte.gz': gzipSync(encodeIdx([test], f.testLabels)),
  };
  edit(files);
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return { dir, ...f };
}

function all(batches: Iterable<Batch>): Batch[] {
  return [...batches];
}

describe('fashionMnist on generated IDX files', () => {
  const f = fixture('small', 12, 5);

  it('exposes 28×28 grey images in 10 classes, flattened or NHWC', () => {
    const flat = fashionMnist({ dir: f.dir });
    expect(flat).toMatchObject({ name: 'fashion-mnist', inputShape: [784], numClasses: 10, trainSize: 12, testSize: 5 });
    expect(fashionMnist({ dir: f.dir, flatten: false }).inputShape).toEqual([28, 28, 1]);
  });

  it('scales pixels to [0, 1] by ÷255 and keeps labels, in file order for the test set', () => {
    const batches = all(fashionMnist({ dir: f.dir }).testBatches(2));
    expect(batches.map((b) => b.size)).toEqual([2, 2, 1]);
    const inputs = new Float32Array(batches.flatMap((b) => [...b.inputs]));
    const labels = batches.flatMap((b) => [...b.labels!]);
    expect(labels).toEqual([...f.testLabels]);
    for (let i = 0; i < inputs.length; i++) expect(inputs[i]).toBeCloseTo(f.testPixels[i]! / 255, 7);
    expect(Math.min(...inputs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...inputs)).toBeLessThanOrEqual(1);
  });

  it('deals training rows with their own labels (each row of a batch matches its source image)', () => {
    const data = fashionMnist({ dir: f.dir });
    for (const batch of data.trainBatches(3, { rank: 1, size: 2, batchSize: 3, seed: 9, shuffle: 'global' })) {
      for (let r = 0; r < batch.size; r++) {
        const row = batch.inputs.subarray(r * 784, (r + 1) * 784);
        const source = [...Array(12).keys()].find((i) => row.every((v, k) => v === Math.fround(f.trainPixels[i * 784 + k]! / 255)));
        expect(source).toBeDefined();
        expect(batch.labels![r]).toBe(f.trainLabels[source!]);
      }
    }
  });

  it('names the Debian package when the files are absent', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect(() => fashionMnist({ dir: empty })).toThrow(OptionError);
    expect(() => fashionMnist({ dir: empty })).toThrow(/has no train-images-idx3-ubyte\.gz or train-images-idx3-ubyte: .*apt-get install dataset-fashion-mnist/);
    expect(() => fashionMnist({ dir: f.dir, flaten: false } as never)).toThrow(/did you mean 'flatten'/);
  });

  it('rejects files whose shapes, labels or counts are not Fashion-MNIST', () => {
    const wrongSide = fixture('wrong-side', 4, 2, (files) => {
      files['train-images-idx3-ubyte.gz'] = gzipSync(encodeIdx([4, 27, 28], new Uint8Array(4 * 27 * 28)));
    });
    expect(() => fashionMnist({ dir: wrongSide.dir })).toThrow(/images are 27×28, expected 28×28/);
    const badLabel = fixture('bad-label', 4, 2, (files) => {
      files['train-labels-idx1-ubyte'] = encodeIdx([4], Uint8Array.from([0, 1, 10, 2]));
    });
    expect(() => fashionMnist({ dir: badLabel.dir })).toThrow(/label 10 at index 2 is not a class 0–9/);
    const mismatch = fixture('mismatch', 4, 2, (files) => {
      files['train-labels-idx1-ubyte'] = encodeIdx([3], Uint8Array.from([0, 1, 2]));
    });
    expect(() => fashionMnist({ dir: mismatch.dir })).toThrow(IdxFormatError);
    expect(() => fashionMnist({ dir: mismatch.dir })).toThrow(/train 4 images, 3 labels/);
  });
});

const installed = existsSync(join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'));
if (!installed) console.warn(`skipping the real Fashion-MNIST test: ${FASHION_MNIST_DIR} is absent (apt-get install dataset-fashion-mnist)`);

describe.skipIf(!installed)(`fashionMnist from ${FASHION_MNIST_DIR}`, () => {
  it('loads 60,000 + 10,000 balanced examples and shards them evenly', () => {
    const started = performance.now();
    const data = fashionMnist();
    const loadMs = performance.now() - started;
    expect(data).toMatchObject({ trainSize: 60_000, testSize: 10_000, numClasses: 10, inputShape: [784] });
    const counts = new Array(10).fill(0);
    let pixels = 0;
    let sum = 0;
    for (const batch of data.testBatches(1000)) {
      for (const label of batch.labels!) counts[label]++;
      for (const v of batch.inputs) sum += v;
      pixels += batch.inputs.length;
    }
    expect(counts).toEqual(new Array(10).fill(1000)); // the test set is balanced
    const mean = sum / pixels;
    expect(mean).toBeGreaterThan(0.2); // Fashion-MNIST's mean pixel is about 0.286
    expect(mean).toBeLessThan(0.4);
    const options = { rank: 3, size: 4, batchSize: 128, seed: 1, shuffle: 'global' as const };
    expect(data.batchesPerEpoch(options)).toBe(Math.floor(15_000 / 128));
    console.info(`Fashion-MNIST loaded in ${loadMs.toFixed(0)} ms`);
  });
});
