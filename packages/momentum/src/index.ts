/**
 * @packageDocumentation
 * Syncopate momentum plugins.
 */
export {};
