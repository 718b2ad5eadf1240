import type { ExchangeResult } from '@syncopate/core';

/** Totals of the exchanges that finished since the last {@link ExchangeMeter.take}. */
export interface ExchangeTotals {
  bytesSent: number;
  compressionMs: number;
  communicationMs: number;
  exchanges: number;
}

/**
 * Adds up what every exchange did, so the trainer can split a step's time into compression and
 * communication and count its bytes, whatever policy made the exchanges. A non-blocking exchange
 * is counted in the step during which it finishes.
 */
export class ExchangeMeter {
  private totals: ExchangeTotals = { bytesSent: 0, compressionMs: 0, communicationMs: 0, exchanges: 0 };

  record(result: ExchangeResult): void {
    this.totals.bytesSent += result.bytesSent;
    this.totals.compressionMs += result.compressionMs;
    this.totals.communicationMs += result.communicationMs;
    this.totals.exchanges++;
  }

  /** The totals so far; starts counting afresh. */
  take(): ExchangeTotals {
    const totals = this.totals;
    this.totals = { bytesSent: 0, compressionMs: 0, communicationMs: 0, exchanges: 0 };
    return totals;
  }
}
