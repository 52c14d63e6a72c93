// Times as WeChat writes them, for the server's own answers and notifications.

/** RFC 3339 in Beijing time, as WeChat writes times: 2020-05-20T13:29:35+08:00. */
export function rfc3339(d: Date): string {
  const beijing = new Date(d.getTime() + 8 * 3600_000);
  return `${beijing.toISOString().slice(0, 19)}+08:00`;
}
