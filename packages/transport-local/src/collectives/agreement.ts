/**
 * What ranks learn about each other's arguments while a collective runs, carried in envelope
 * words 2..7 of every message of its first ring pass: the smallest and largest `key` seen (with
 * their ranks, ties to the lower rank) and the element counts of those two ranks. Merging is
 * associative and commutative, so after one pass around the ring every rank holds the same
 * summary and all ranks fail together, with the same error, when any two disagree — no rank
 * waits for a partner that has given up.
 */
export class Agreement {
  private constructor(
    readonly minKey: number,
    readonly minRank: number,
    readonly maxKey: number,
    readonly maxRank: number,
    readonly minLength: number,
    readonly maxLength: number,
  ) {}

  /** What `rank` knows before it hears from anyone. */
  static of(rank: number, key: number, length: number): Agreement {
    return new Agreement(key | 0, rank, key | 0, rank, length, length);
  }

  /** Whether every rank merged so far passed the same key. */
  get consistent(): boolean {
    return this.minKey === this.maxKey;
  }

  /** The two ranks that differ, with their element counts (for a `LengthMismatchError`). */
  lengths(): Map<number, number> {
    return new Map([
      [this.minRank, this.minLength],
      [this.maxRank, this.maxLength],
    ]);
  }

  write(envelope: Int32Array): void {
    envelope[2] = this.minKey;
    envelope[3] = this.minRank;
    envelope[4] = this.maxKey;
    envelope[5] = this.maxRank;
    envelope[6] = this.minLength;
    envelope[7] = this.maxLength;
  }

  merge(envelope: Int32Array): Agreement {
    const [minKey, minRank, maxKey, maxRank, minLength, maxLength] = envelope.subarray(2, 8) as unknown as number[];
    const takeMin = minKey! < this.minKey || (minKey === this.minKey && minRank! < this.minRank);
    const takeMax = maxKey! > this.maxKey || (maxKey === this.maxKey && maxRank! < this.maxRank);
    return new Agreement(
      takeMin ? minKey! : this.minKey,
      takeMin ? minRank! : this.minRank,
      takeMax ? maxKey! : this.maxKey,
      takeMax ? maxRank! : this.maxRank,
      takeMin ? minLength! : this.minLength,
      takeMax ? maxLength! : this.maxLength,
    );
  }
}
