/**
 * @packageDocumentation
 * Syncopate topology plugins.
 */
export {};
