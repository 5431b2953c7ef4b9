// github.com/docker/go-units, as of v0.5.0 (HumanDuration is the same in v0.4.0, which docker 20.10
// vendors): the durations docker ps and crictl ps print ("About a minute", "3 hours").

/**
 * go-units HumanDuration, for a duration in milliseconds. Thresholds follow the Go code and its
 * test table: seconds and minutes truncate, hours round (1h29m is "About an hour", 1h31m is
 * "2 hours"), days/weeks/months divide the rounded hours, years the unrounded ones.
 */
export function goUnitsHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / 3_600_000) / 24 / 365)} years`;
}
