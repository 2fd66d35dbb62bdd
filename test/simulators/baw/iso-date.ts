/** ISO 8601 with milliseconds and Z, as BAW prints dates in JSON. */
export function isoDate(ms: number): string {
  const d = new Date(Number.isFinite(ms) ? ms : 0);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
}
