/**
 * `k` distinct indices of 0..n−1, uniformly among all k-subsets, in ascending order.
 *
 * Marks a byte map by rejection sampling (drawing the complement when k > n/2, so the expected
 * number of draws stays below 2k), then reads it in order: O(n) bytes touched, O(k) draws.
 */
export function sampleIndices(random, n, k) {
    const chosen = new Uint32Array(k);
    if (k >= n) {
        for (let i = 0; i < n; i++)
            chosen[i] = i;
        return chosen;
    }
    const complement = k > n / 2;
    const marks = complement ? n - k : k;
    const map = new Uint8Array(n);
    for (let drawn = 0; drawn < marks;) {
        const i = random.nextInt(n);
        if (map[i] === 0) {
            map[i] = 1;
            drawn++;
        }
    }
    const want = complement ? 0 : 1;
    let j = 0;
    for (let i = 0; i < n; i++)
        if (map[i] === want)
            chosen[j++] = i;
    return chosen;
}
//# sourceMappingURL=sample-indices.js.map