/** The command-line life of a simulator: parse arguments, start, print where it listens, close on SIGINT/SIGTERM. */
export function runSimulatorCli<O>(name: string, parseArgs: (argv: string[]) => O, start: (options: O) => Promise<{ url: string; close(): Promise<void> }>): void {
  let options: O;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
  start(options).then(
    (sim) => {
      process.stdout.write(`${name} simulator listening on ${sim.url}\n`);
      let closing = false;
      const stop = (): void => {
        if (closing) return;
        closing = true;
        sim.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
