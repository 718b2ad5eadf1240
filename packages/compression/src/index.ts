/**
 * @packageDocumentation
 * Syncopate compression plugins.
 */
export {};
