/**
 * A failure the real tool reports on stderr with a non-zero exit status, e.g. `ip addr show dev
 * nosuch` → `Device "nosuch" does not exist.` (exit 1). Views return stdout text on success and
 * throw this on failure, so the shell layer can print `stderr` and set `$?` to `exitCode`.
 */
export class ToolError extends Error {
  readonly stderr: string;
  readonly exitCode: number;

  constructor(stderr: string, exitCode = 1) {
    super(stderr);
    this.name = 'ToolError';
    this.stderr = stderr;
    this.exitCode = exitCode;
  }
}
