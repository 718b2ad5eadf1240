/**
 * @packageDocumentation
 * Syncopate scheduler plugins.
 */
export {};
