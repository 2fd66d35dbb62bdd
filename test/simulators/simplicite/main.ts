/**
 * CLI: npx tsx test/simulators/simplicite/main.ts [--port 9081] [--context-path /myapp]
 *   [--user login:password]... [--token-timeout-ms N] [--expires-in N] [--v3]
 *   [--url-param-name NAME] [--error-status kind=code]... [--oauth2-requires-https]
 *   [--token-mode jwt|simple] [--reuse-tokens] [--page-size N] [--forbidden login:Object]...
 *   [--designer login]... [--count-answer object|number] [--no-metadata]
 * Prints one line "simplicite simulator listening on <url>"; SIGINT/SIGTERM close it.
 */
import { startSimpliciteSimulator, type SimpliciteErrorKind, type SimpliciteSimulatorOptions } from './index';
import { runSimulatorCli } from '../run-cli';

const ERROR_KINDS: SimpliciteErrorKind[] = ['unknownObject', 'forbidden', 'notFound', 'validation'];

function parseArgs(argv: string[]): SimpliciteSimulatorOptions {
  const opts: SimpliciteSimulatorOptions = {};
  const users: Record<string, string> = {};
  const forbidden: Record<string, string[]> = {};
  const designers: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') && arg.startsWith('--') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
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
    const pair = (what: string): [string, string] => {
      const v = value();
      const sep = v.indexOf(what === 'kind=code' ? '=' : ':');
      if (sep <= 0) throw new Error(`${flag} expects ${what}`);
      return [v.slice(0, sep), v.slice(sep + 1)];
    };
    switch (flag) {
      case '--port':
        opts.port = num();
        break;
      case '--context-path':
        opts.contextPath = value();
        break;
      case '--user': {
        const [login, password] = pair('login:password');
        users[login] = password;
        break;
      }
      case '--token-timeout-ms':
        opts.tokenTimeoutMs = num();
        break;
      case '--expires-in':
        opts.expiresIn = num();
        break;
      case '--v3':
        opts.v3Mode = true;
        break;
      case '--url-param-name':
        opts.urlParamName = value();
        break;
      case '--error-status': {
        const [kind, code] = pair('kind=code');
        if (!ERROR_KINDS.includes(kind as SimpliciteErrorKind)) throw new Error(`unknown error kind ${kind} (${ERROR_KINDS.join(', ')})`);
        const status = Number(code);
        if (!Number.isInteger(status) || status < 100 || status > 599) throw new Error(`invalid status ${code}`);
        opts.errorStatuses = { ...opts.errorStatuses, [kind]: status };
        break;
      }
      case '--oauth2-requires-https':
        opts.oauth2RequiresHttps = true;
        break;
      case '--token-mode': {
        const v = value();
        if (v !== 'jwt' && v !== 'simple') throw new Error('--token-mode expects jwt or simple');
        opts.tokenMode = v;
        break;
      }
      case '--reuse-tokens':
        opts.reuseTokens = true;
        break;
      case '--page-size':
        opts.pageSize = num();
        break;
      case '--forbidden': {
        const [login, object] = pair('login:Object');
        (forbidden[login] ??= []).push(object);
        break;
      }
      case '--designer':
        designers.push(value());
        break;
      case '--count-answer': {
        const v = value();
        if (v !== 'object' && v !== 'number') throw new Error('--count-answer expects object or number');
        opts.countAnswer = v;
        break;
      }
      case '--no-metadata':
        opts.serveMetadata = false;
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  if (Object.keys(users).length > 0) opts.users = users;
  if (Object.keys(forbidden).length > 0) opts.forbiddenObjects = forbidden;
  if (designers.length > 0) opts.designers = designers;
  return opts;
}

runSimulatorCli('simplicite', parseArgs, startSimpliciteSimulator);
