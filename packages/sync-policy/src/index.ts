/**
 * @packageDocumentation
 * Syncopate sync-policy plugins.
 */
export {};
