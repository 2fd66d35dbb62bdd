/** Bonita's date format for the simulator's items. */

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

let skewMs = 0;

/** The simulated server's clock runs this far from the machine's (every simulator in the process): a trigger must not care. */
export function setServerClockSkew(ms: number): void {
  skewMs = ms;
}

/** Bonita's "yyyy-MM-dd HH:mm:ss.SSS" date format (server local time). */
export function bonitaDate(d: Date = new Date(Date.now() + skewMs)): string {
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** java.util.Date#toString() in UTC: "Tue Nov 12 10:00:00 UTC 2024". */
export function javaDate(d: Date): string {
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
  );
}
