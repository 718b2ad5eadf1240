/**
 * Message tags reserved by the sync policies that talk point-to-point over the `Transport`
 * besides the exchange: HPSGD's per-step agreement on whether the last sync has finished, and
 * the parameter-server policies (SSP, ASP, backup workers). They lie in [31000, 31099], below
 * the collectives' range (32000–32767) and the trainer's range (31990–31999: start-up handshake and rank agreement), so they never
 * match another plugin's messages. Between two ranks, messages with one tag arrive in send order.
 */
export const SYNC_POLICY_TAGS = Object.freeze({
  /** First tag reserved for sync policies. */
  first: 31000,
  /** Last tag reserved for sync policies. */
  last: 31099,
  /** HPSGD: one byte per rank and step, "my last sync has finished". */
  agreement: 31000,
  /** Parameter server: worker → server (push a delta, pause, done). */
  serverRequest: 31010,
  /** Parameter server: server → worker (the server's parameters after a request). */
  serverReply: 31011,
});
