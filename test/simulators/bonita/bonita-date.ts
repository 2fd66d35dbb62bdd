/** Bonita's date format for the simulator's items. */

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Bonita's "yyyy-MM-dd HH:mm:ss.SSS" date format (server local time). */
export function bonitaDate(d: Date = new Date()): string {
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}
