/** The compressor and error-feedback contract suites and their helpers. */
export { compressorContract, type CompressorContractCase, type CompressorContractOptions } from './compressor-contract.js';
export { errorFeedbackContract, type ErrorFeedbackContractOptions } from './compressor-contract-error-feedback.js';
export { measureCompressorBias, type CompressorBiasReport } from './compressor-contract-bias.js';
export { compressContext, seededNormals, type CompressContextInit } from './compressor-contract-context.js';
export { instantiateCompressor, instantiateErrorFeedback, type CompressorContractService } from './compressor-contract-instantiate.js';
export { linkedReduceRanks } from './compressor-contract-link.js';
