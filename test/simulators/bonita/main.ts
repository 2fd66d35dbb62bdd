/**
 * CLI: npx tsx test/simulators/bonita/main.ts [--port 8080] [--context-path /bonita]
 *   [--user name:password]... [--no-csrf] [--token-cookie-path /] [--idle-timeout-ms N]
 *   [--max-upload-bytes N] [--version 2024.1]
 * Prints one line "bonita simulator listening on <url>"; SIGINT/SIGTERM close it.
 */
import { startBonitaSimulator, type BonitaSimulatorOptions } from './index';

function parseArgs(argv: string[]): BonitaSimulatorOptions {
  const opts: BonitaSimulatorOptions = {};
  const users: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`missing value for ${flag}`);
      return v;
    };
    const num = (): number => {
      const v = Number(value());
      if (!Number.isFinite(v) || v < 0) throw new Error(`invalid number for ${flag}`);
      return v;
    };
    switch (flag) {
      case '--port':
        opts.port = num();
        break;
      case '--context-path':
        opts.contextPath = value();
        break;
      case '--user': {
        const v = value();
        const c = v.indexOf(':');
        if (c <= 0) throw new Error('--user expects name:password');
        users[v.slice(0, c)] = v.slice(c + 1);
        break;
      }
      case '--no-csrf':
        opts.csrf = false;
        break;
      case '--token-cookie-path':
        opts.tokenCookiePath = value();
        break;
      case '--idle-timeout-ms':
        opts.idleTimeoutMs = num();
        break;
      case '--max-upload-bytes':
        opts.maxUploadBytes = num();
        break;
      case '--version':
        opts.version = value();
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  if (Object.keys(users).length > 0) opts.users = users;
  return opts;
}

async function main(): Promise<void> {
  let opts: BonitaSimulatorOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
  const sim = await startBonitaSimulator(opts);
  process.stdout.write(`bonita simulator listening on ${sim.url}\n`);
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
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
