/**
 * CLI: npx tsx test/simulators/baw/main.ts [--port 9080] [--prefix /baw/dev]
 *   [--user name:password]... [--read-only-user name]... [--wle-xsrf-check]
 *   [--wle-error-spelling errorNumber|error_number] [--no-login-body-required]
 *   [--expiration-format seconds|epoch] [--ltpa-timeout-seconds N]
 *   [--wle-xsrf-reject-status N] [--wle-not-found-status N]
 * Prints one line "baw simulator listening on <url>"; SIGINT/SIGTERM close it.
 */
import { startBawSimulator, type BawSimulatorOptions } from './index';
import { runSimulatorCli } from '../run-cli';

function parseArgs(argv: string[]): BawSimulatorOptions {
  const opts: BawSimulatorOptions = {};
  const users: Record<string, string> = {};
  const readOnly: string[] = [];
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
      if (!Number.isInteger(v) || v < 0) throw new Error(`invalid number for ${flag}`);
      return v;
    };
    switch (flag) {
      case '--port':
        opts.port = num();
        break;
      case '--prefix':
        opts.prefix = value();
        break;
      case '--user': {
        const v = value();
        const c = v.indexOf(':');
        if (c <= 0) throw new Error('--user expects name:password');
        users[v.slice(0, c)] = v.slice(c + 1);
        break;
      }
      case '--read-only-user':
        readOnly.push(value());
        break;
      case '--wle-xsrf-check':
        opts.wleXsrfCheck = true;
        break;
      case '--wle-error-spelling': {
        const v = value();
        if (v !== 'errorNumber' && v !== 'error_number') throw new Error('--wle-error-spelling expects errorNumber or error_number');
        opts.wleErrorSpelling = v;
        break;
      }
      case '--no-login-body-required':
        opts.loginBodyRequired = false;
        break;
      case '--expiration-format': {
        const v = value();
        if (v !== 'seconds' && v !== 'epoch') throw new Error('--expiration-format expects seconds or epoch');
        opts.expirationFormat = v;
        break;
      }
      case '--ltpa-timeout-seconds':
        opts.ltpaTimeoutSeconds = num();
        break;
      case '--wle-xsrf-reject-status':
        opts.wleXsrfRejectStatus = num();
        break;
      case '--wle-not-found-status':
        opts.wleNotFoundStatus = num();
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  if (Object.keys(users).length > 0) opts.users = users;
  if (readOnly.length > 0) opts.readOnlyUsers = readOnly;
  return opts;
}

runSimulatorCli('baw', parseArgs, startBawSimulator);
