/**
 * @packageDocumentation
 * Gradient and model-delta compressors for Syncopate, one plugin factory each, plus error
 * feedback as its own plugin and a per-bucket combinator. Every compressor writes one payload
 * format (versioned header, CRC-32) and declares its aggregation (`sum`, `gather`, `vote`),
 * whether it is unbiased or its contraction factor, its exact wire bytes and an estimated ratio.
 */
export { ERROR_FEEDBACK_CAPABILITY } from './capabilities.js';
export { HEADER_BYTES as PAYLOAD_HEADER_BYTES, PAYLOAD_VERSION, readPayloadHeader, type PayloadHeader } from './internal/payload.js';
export { COMPRESSOR_IDS } from './internal/compressor-ids.js';
export { identity, IdentityCompressor, type IdentityOptions } from './compressors/identity.js';
export { fp16, Fp16Compressor, type Fp16Options } from './compressors/fp16.js';
export { bf16, Bf16Compressor, type Bf16Options } from './compressors/bf16.js';
export { minMax8Bit, MinMax8BitCompressor, type MinMax8BitOptions } from './compressors/min-max-8bit.js';
export { qsgd, QsgdCompressor, type QsgdOptions } from './compressors/qsgd.js';
export { ternGrad, TernGradCompressor, type TernGradOptions } from './compressors/terngrad.js';
export { naturalCompression, NaturalCompressor, type NaturalCompressionOptions } from './compressors/natural-compression.js';
export { scaledSign, ScaledSignCompressor, type ScaledSignOptions } from './compressors/scaled-sign.js';
export { efSignSgd, type EfSignSgdOptions } from './compressors/ef-sign-sgd.js';
export { signSgdMajorityVote, MajorityVoteCompressor, type SignSgdMajorityVoteOptions } from './compressors/sign-sgd-majority-vote.js';
export { oneBitSgd, OneBitSgdCompressor, type OneBitSgdOptions } from './compressors/one-bit-sgd.js';
export { randomK, RandomKCompressor, type RandomKOptions } from './compressors/random-k.js';
export { topK, TopKCompressor, type TopKOptions } from './compressors/top-k.js';
export { threshold, ThresholdCompressor, type ThresholdOptions } from './compressors/threshold.js';
export { deepGradientCompression, DeepGradientCompressor, type DeepGradientCompressionOptions, } from './compressors/deep-gradient-compression.js';
export { gTopK, GTopKCompressor, type GTopKOptions } from './compressors/g-top-k.js';
export { powerSgd, PowerSgdCompressor, type PowerSgdOptions } from './compressors/power-sgd.js';
export { countSketch, CountSketchCompressor, type CountSketchOptions } from './compressors/count-sketch.js';
export { perBucket, PerBucketCompressor, type PerBucketOptions, type PerBucketRule, type ResolvedPerBucketOptions, } from './compressors/per-bucket.js';
export { errorFeedback, ResidualErrorFeedback, type ErrorFeedbackOptions } from './error-feedback/error-feedback.js';
export { momentumCorrection, MomentumCorrection, type MomentumCorrectionOptions, type ResolvedMomentumCorrectionOptions, } from './error-feedback/momentum-correction.js';
//# sourceMappingURL=index.d.ts.map