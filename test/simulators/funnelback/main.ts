/**
 * CLI: npx tsx test/simulators/funnelback/main.ts [--port 9082]
 *   [--user name:password[:nonexpiring][:admin]]... [--login-token-lifetime-ms N]
 *   [--login-header-case X-Security-Token|x-security-token] [--unknown-collection-status N]
 *   [--login-body json|empty] [--unauthorized-body json|empty] [--application-token-create-status N]
 *   [--result-metadata-field listMetadata|metaData] [--search-ignores-bad-credentials] [--push-state STOPPED]
 *   [--missing-query noSearch|error] [--all-results-error-status N] [--push-key-field key|canonicalUri]
 *   [--delete-unknown-key ok|notFound]
 * Prints one line "funnelback simulator listening on <url>"; SIGINT/SIGTERM close it.
 */
import { startFunnelbackSimulator, type FunnelbackSimulatorOptions, type FunnelbackUser } from './index';
import { runSimulatorCli } from '../run-cli';

function oneOf<T extends string>(flag: string, v: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) throw new Error(`${flag} expects one of ${allowed.join(', ')}`);
  return v as T;
}

function parseArgs(argv: string[]): FunnelbackSimulatorOptions {
  const opts: FunnelbackSimulatorOptions = {};
  const users: Record<string, FunnelbackUser> = {};
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
      case '--user': {
        const [name = '', password, ...flags] = value().split(':');
        if (name === '' || password === undefined) throw new Error('--user expects name:password[:nonexpiring][:admin]');
        const u: FunnelbackUser = { password };
        if (flags.includes('nonexpiring')) u.canCreateNonExpiring = true;
        if (flags.includes('admin')) u.canReadAdminResources = true;
        users[name] = u;
        break;
      }
      case '--login-token-lifetime-ms':
        opts.loginTokenLifetimeMs = num();
        break;
      case '--login-header-case':
        opts.loginHeaderCase = oneOf(flag, value(), ['X-Security-Token', 'x-security-token'] as const);
        break;
      case '--unknown-collection-status':
        opts.unknownCollectionStatus = num();
        break;
      case '--login-body':
        opts.loginBody = oneOf(flag, value(), ['json', 'empty'] as const);
        break;
      case '--unauthorized-body':
        opts.unauthorizedBody = oneOf(flag, value(), ['json', 'empty'] as const);
        break;
      case '--application-token-create-status':
        opts.applicationTokenCreateStatus = num();
        break;
      case '--result-metadata-field':
        opts.resultMetadataField = oneOf(flag, value(), ['listMetadata', 'metaData'] as const);
        break;
      case '--search-ignores-bad-credentials':
        opts.searchRejectsBadCredentials = false;
        break;
      case '--push-state':
        opts.pushState = value();
        break;
      case '--missing-query':
        opts.missingQuery = oneOf(flag, value(), ['noSearch', 'error'] as const);
        break;
      case '--all-results-error-status':
        opts.allResultsErrorStatus = num();
        break;
      case '--push-key-field':
        opts.pushKeyField = oneOf(flag, value(), ['key', 'canonicalUri'] as const);
        break;
      case '--delete-unknown-key':
        opts.deleteUnknownKey = oneOf(flag, value(), ['ok', 'notFound'] as const);
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  if (Object.keys(users).length > 0) opts.users = users;
  return opts;
}

runSimulatorCli('funnelback', parseArgs, startFunnelbackSimulator);
