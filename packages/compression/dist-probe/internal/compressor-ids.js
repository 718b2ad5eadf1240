/**
 * The one-byte compressor id every payload header carries, so a payload decoded by the wrong
 * compressor is refused with both names instead of being misread. Ids are part of the wire
 * format: never renumber, only add.
 */
export const COMPRESSOR_IDS = Object.freeze({
    identity: 1,
    fp16: 2,
    bf16: 3,
    minMax8Bit: 4,
    qsgd: 5,
    ternGrad: 6,
    naturalCompression: 7,
    scaledSign: 8,
    efSignSgd: 9,
    signSgdMajorityVote: 10,
    oneBitSgd: 11,
    randomK: 12,
    randomKSharedMask: 13,
    topK: 14,
    threshold: 15,
    deepGradientCompression: 16,
    gTopK: 17,
    powerSgd: 18,
    countSketch: 19,
});
/** The name of a compressor id, for error messages. */
export function compressorNameOf(id) {
    for (const [name, value] of Object.entries(COMPRESSOR_IDS))
        if (value === id)
            return name;
    return `unknown compressor #${id}`;
}
//# sourceMappingURL=compressor-ids.js.map