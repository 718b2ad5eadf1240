/**
 * @packageDocumentation
 * Contract suites every Syncopate plugin and transport must pass, an N-rank harness and fakes for unit tests.
 */
export {};
