/**
 * CLI: npx tsx test/simulators/bonita/main.ts [--port 8080] [--context-path /bonita]
 *   [--user name:password]... [--no-csrf] [--token-cookie-path /] [--idle-timeout-ms N]
 *   [--max-upload-bytes N] [--version 2024.1] [--instantiation-style restlet|openapi]
 *   [--case-quota N[:http-date|java-date|seconds]] [--execution-delay-ms N] [--page-delay-ms N] [--bulk-tasks N]
 * Prints one line "bonita simulator listening on <url>"; SIGINT/SIGTERM close it.
 */
import { startBonitaSimulator, type BonitaSimulatorOptions } from './index';
import { runSimulatorCli } from '../run-cli';

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
      case '--instantiation-style': {
        const v = value();
        if (v !== 'restlet' && v !== 'openapi') throw new Error('--instantiation-style expects restlet or openapi');
        opts.instantiationStyle = v;
        break;
      }
      case '--case-quota': {
        const [limit = '', format = 'http-date'] = value().split(':');
        if (!/^\d+$/.test(limit) || (format !== 'http-date' && format !== 'java-date' && format !== 'seconds')) {
          throw new Error('--case-quota expects N[:http-date|java-date|seconds]');
        }
        opts.caseQuota = { limit: Number(limit), retryAfter: format };
        break;
      }
      case '--execution-delay-ms':
        opts.executionDelayMs = num();
        break;
      case '--page-delay-ms':
        opts.pageDelayMs = num();
        break;
      case '--bulk-tasks':
        opts.bulkTasks = num();
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  if (Object.keys(users).length > 0) opts.users = users;
  return opts;
}

runSimulatorCli('bonita', parseArgs, startBonitaSimulator);
