/**
 * The start-up handshake: before the first step every rank must hold the same model layout and
 * the same composition (plugins, options, trainer settings, bucket plan), or the collectives
 * would mix unrelated buffers. Each rank sends its description to rank 0 point-to-point (only
 * core's required `send`/`recv`, so it works on every transport before any collective is trusted);
 * rank 0 compares and sends one verdict back to everyone, so every rank fails with the same
 * message, naming the ranks that differ and the first thing that differs.
 *
 * Tags 31990–31991 are the handshake's, 31992–31993 the agreement rounds' (`rank-agreement.ts`);
 * the trainer reserves 31990–31999 (collectives reserve 32000 and up).
 */
import { LayoutMismatchError, ParamLayout, TransportError, type CallOptions, type Transport } from '@syncopate/core';

/** Message tags of the handshake. */
export const HANDSHAKE_TAGS = Object.freeze({ description: 31990, verdict: 31991 });

/** What a rank tells rank 0. */
export interface RankDescription {
  /** One line per plugin, then the trainer's settings, the layout hash and the plan hash. */
  readonly lines: readonly string[];
  readonly hash: string;
  /** The model's tensors, for a precise message when layouts differ. */
  readonly tensors: readonly { readonly name: string; readonly shape: readonly number[] }[];
}

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const decode = <T>(bytes: Uint8Array): T => JSON.parse(new TextDecoder().decode(bytes)) as T;

/** What differs between rank 0's description and another rank's, in one sentence; undefined when equal. */
export function describeDifference(here: RankDescription, there: RankDescription, rank: number): string | undefined {
  if (here.hash === there.hash) return undefined;
  try {
    ParamLayout.of(here.tensors).assertSame(ParamLayout.of(there.tensors), `rank ${rank}`);
  } catch (error) {
    if (error instanceof LayoutMismatchError) return error.message.replace('here', 'rank 0');
    throw error;
  }
  const n = Math.max(here.lines.length, there.lines.length);
  for (let i = 0; i < n; i++) {
    if (here.lines[i] !== there.lines[i]) return `rank 0 has ${here.lines[i] ?? 'nothing'}, rank ${rank} has ${there.lines[i] ?? 'nothing'}`;
  }
  return `composition hashes differ (${here.hash} vs ${there.hash})`;
}

/**
 * Run the handshake on every rank. Resolves when all ranks agree; otherwise rejects on every
 * rank with a {@link LayoutMismatchError} such as "ranks 2, 3 differ from rank 0: rank 0 has
 * sync-policy=localSgd{"period":8,…}, rank 2 has sync-policy=localSgd{"period":4,…}".
 */
export async function handshake(transport: Transport, local: RankDescription, options?: CallOptions): Promise<void> {
  const { rank, size } = transport;
  if (size === 1) return;
  if (rank !== 0) {
    await transport.send(0, HANDSHAKE_TAGS.description, encode(local), options);
    const verdict = decode<{ ok: boolean; message: string }>(await transport.recv(0, HANDSHAKE_TAGS.verdict, options));
    if (!verdict.ok) throw new LayoutMismatchError(verdict.message);
    return;
  }
  const differences: { rank: number; what: string }[] = [];
  for (let peer = 1; peer < size; peer++) {
    let description: RankDescription;
    try {
      description = decode<RankDescription>(await transport.recv(peer, HANDSHAKE_TAGS.description, options));
    } catch (error) {
      if (error instanceof SyntaxError) throw new TransportError(`start-up handshake: rank ${peer} sent an unreadable description`, [peer]);
      throw error;
    }
    const what = describeDifference(local, description, peer);
    if (what) differences.push({ rank: peer, what });
  }
  const message =
    differences.length === 0
      ? ''
      : `${differences.length === 1 ? 'rank' : 'ranks'} ${differences.map((d) => d.rank).join(', ')} ${differences.length === 1 ? 'differs' : 'differ'} from rank 0 (all ranks must build the same model and composition): ${differences[0]!.what}`;
  const verdict = encode({ ok: differences.length === 0, message });
  await Promise.all(Array.from({ length: size - 1 }, (_, i) => transport.send(i + 1, HANDSHAKE_TAGS.verdict, verdict, options)));
  if (differences.length > 0) throw new LayoutMismatchError(message);
}
