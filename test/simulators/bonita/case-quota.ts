/**
 * Bonita Community's case creation limit (2024.3+): `limit` cases per rolling 30 days, then 429
 * "Case creation limit reached." with a Retry-After in the format of the implementation that answers
 * (vendor-operations.md 1.2).
 */
import { javaDate } from './bonita-date';

export interface CaseQuotaOptions {
  limit: number;
  /** 'http-date' (Restlet), 'java-date' (Spring: Date#toString) or 'seconds' */
  retryAfter: 'http-date' | 'java-date' | 'seconds';
  /** 'text' (Spring: plain text) or 'json' (OpenAPI: {code,description,reasonPhrase}); default 'text' */
  body?: 'text' | 'json';
}

export const QUOTA_MESSAGE = 'Case creation limit reached.';
const PERIOD_MS = 30 * 24 * 60 * 60 * 1000;

export class CaseQuota {
  /** creation times of the cases in the rolling window */
  private created: number[] = [];

  /** cases created in the rolling window (system information's caseCounter) */
  get counter(): number {
    this.expire(Date.now());
    return this.created.length;
  }

  record(now = Date.now()): void {
    this.created.push(now);
  }

  reset(): void {
    this.created = [];
  }

  /** When the next case may be created; undefined = now. */
  blockedUntil(limit: number, now = Date.now()): number | undefined {
    this.expire(now);
    if (this.created.length < limit) return undefined;
    return (this.created[this.created.length - limit] ?? now) + PERIOD_MS;
  }

  private expire(now: number): void {
    while (this.created.length > 0 && this.created[0]! + PERIOD_MS <= now) this.created.shift();
  }
}

export function retryAfterHeader(format: CaseQuotaOptions['retryAfter'], at: number, now = Date.now()): string {
  switch (format) {
    case 'http-date':
      return new Date(at).toUTCString();
    case 'java-date':
      return javaDate(new Date(at));
    case 'seconds':
      return String(Math.max(1, Math.ceil((at - now) / 1000)));
  }
}
