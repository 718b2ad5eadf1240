/**
 * One round of agreement among the ranks, outside the training steps: every rank reports a small
 * value (or the error it met) to rank 0 point-to-point; rank 0 decides from all of them and sends
 * the decision back, so every rank goes on with the same decision or fails with the same message.
 * Like the start-up handshake it uses only core's required `send`/`recv`, and it costs one
 * message each way per rank — the trainer runs it at a restore and at a coordinated checkpoint,
 * never per step.
 *
 * Each report names its round (`restore`, `checkpoint`, `resume`), so ranks that reach different
 * rounds — one restoring while another checkpoints — are refused with a message naming both,
 * instead of hanging. Tags 31992–31993 are the trainer's (see {@link HANDSHAKE_TAGS}).
 */
import { StateError, TransportError, type CallOptions, type Transport } from '@syncopate/core';

/** Message tags of the agreement rounds. */
export const AGREEMENT_TAGS = Object.freeze({ report: 31992, verdict: 31993 });

/** What a rank tells rank 0. */
interface Report<T> {
  readonly round: string;
  readonly value?: T;
  /** The message of the error this rank met instead of a value. */
  readonly error?: string;
}

/** What rank 0 sends back. */
type Verdict<D> = { readonly ok: true; readonly decision: D } | { readonly ok: false; readonly message: string };

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const decode = <T>(bytes: Uint8Array): T => JSON.parse(new TextDecoder().decode(bytes)) as T;

/**
 * Run round `round` on every rank: `local` is this rank's value, or the error it met preparing
 * it; `decide` (run on rank 0) turns every rank's value, indexed by rank, into the decision or
 * throws a {@link StateError} explaining why there is none. Resolves with the decision on every
 * rank. Rejects on every rank when a rank reported an error (that rank rethrows its own; the
 * others get a `StateError` naming it), when `decide` threw, or when ranks are in different rounds.
 * The values and the decision travel as JSON.
 */
export async function agree<T, D>(
  transport: Transport,
  round: string,
  local: T | Error,
  decide: (values: readonly T[]) => D,
  options?: CallOptions,
): Promise<D> {
  const { rank, size } = transport;
  const report: Report<T> = local instanceof Error ? { round, error: local.message } : { round, value: local };
  let verdict: Verdict<D>;
  if (rank !== 0) {
    await transport.send(0, AGREEMENT_TAGS.report, encode(report), options);
    verdict = decode<Verdict<D>>(await transport.recv(0, AGREEMENT_TAGS.verdict, options));
  } else {
    const reports: Report<T>[] = [report];
    for (let peer = 1; peer < size; peer++) {
      try {
        reports.push(decode<Report<T>>(await transport.recv(peer, AGREEMENT_TAGS.report, options)));
      } catch (error) {
        if (error instanceof SyntaxError) throw new TransportError(`${round}: rank ${peer} sent an unreadable report`, [peer]);
        throw error;
      }
    }
    verdict = judge(reports, round, decide);
    if (size > 1) {
      const bytes = encode(verdict);
      await Promise.all(Array.from({ length: size - 1 }, (_, i) => transport.send(i + 1, AGREEMENT_TAGS.verdict, bytes, options)));
    }
  }
  if (local instanceof Error) throw local;
  if (!verdict.ok) throw new StateError(verdict.message);
  return verdict.decision;
}

/** Rank 0's verdict on every rank's report. */
function judge<T, D>(reports: readonly Report<T>[], round: string, decide: (values: readonly T[]) => D): Verdict<D> {
  const elsewhere = reports.findIndex((r) => r.round !== round);
  if (elsewhere >= 0) {
    return { ok: false, message: `ranks are out of step: rank 0 is at ${round}, rank ${elsewhere} at ${reports[elsewhere]!.round} (every rank must make the same calls)` };
  }
  const failed = reports.findIndex((r) => r.error !== undefined);
  if (failed >= 0) return { ok: false, message: `${round} failed on rank ${failed}: ${reports[failed]!.error}` };
  try {
    return { ok: true, decision: decide(reports.map((r) => r.value as T)) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
