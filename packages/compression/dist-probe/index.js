/**
 * @packageDocumentation
 * Gradient and model-delta compressors for Syncopate, one plugin factory each, plus error
 * feedback as its own plugin and a per-bucket combinator. Every compressor writes one payload
 * format (versioned header, CRC-32) and declares its aggregation (`sum`, `gather`, `vote`),
 * whether it is unbiased or its contraction factor, its exact wire bytes and an estimated ratio.
 */
export { ERROR_FEEDBACK_CAPABILITY } from './capabilities.js';
export { HEADER_BYTES as PAYLOAD_HEADER_BYTES, PAYLOAD_VERSION, readPayloadHeader } from './internal/payload.js';
export { COMPRESSOR_IDS } from './internal/compressor-ids.js';
export { identity, IdentityCompressor } from './compressors/identity.js';
export { fp16, Fp16Compressor } from './compressors/fp16.js';
export { bf16, Bf16Compressor } from './compressors/bf16.js';
export { minMax8Bit, MinMax8BitCompressor } from './compressors/min-max-8bit.js';
export { qsgd, QsgdCompressor } from './compressors/qsgd.js';
export { ternGrad, TernGradCompressor } from './compressors/terngrad.js';
export { naturalCompression, NaturalCompressor } from './compressors/natural-compression.js';
export { scaledSign, ScaledSignCompressor } from './compressors/scaled-sign.js';
export { efSignSgd } from './compressors/ef-sign-sgd.js';
export { signSgdMajorityVote, MajorityVoteCompressor } from './compressors/sign-sgd-majority-vote.js';
export { oneBitSgd, OneBitSgdCompressor } from './compressors/one-bit-sgd.js';
export { randomK, RandomKCompressor } from './compressors/random-k.js';
export { topK, TopKCompressor } from './compressors/top-k.js';
export { threshold, ThresholdCompressor } from './compressors/threshold.js';
export { deepGradientCompression, DeepGradientCompressor, } from './compressors/deep-gradient-compression.js';
export { gTopK, GTopKCompressor } from './compressors/g-top-k.js';
export { powerSgd, PowerSgdCompressor } from './compressors/power-sgd.js';
export { countSketch, CountSketchCompressor } from './compressors/count-sketch.js';
export { perBucket, PerBucketCompressor, } from './compressors/per-bucket.js';
export { errorFeedback, ResidualErrorFeedback } from './error-feedback/error-feedback.js';
export { momentumCorrection, MomentumCorrection, } from './error-feedback/momentum-correction.js';
//# sourceMappingURL=index.js.map