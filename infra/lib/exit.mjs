// Ending a process whose output may go to a pipe. process.exit does not wait for one: whatever the
// reader has not taken yet (everything past the pipe's 64 KiB buffer when it reads slowly, as CI's
// log collector or `| less` may) is lost. A write's callback runs once every earlier write has been
// handed to the OS, so waiting for an empty write on each stream leaves the output whole.

/** Exits with `code` once everything written to stdout and stderr has left the process. */
export async function exitWhenWritten(code) {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((written) => stream.write('', written))));
  process.exit(code);
}
