/**
 * @packageDocumentation
 * Syncopate collectives plugins.
 */
export {};
