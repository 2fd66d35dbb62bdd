import type { SchemeDefinition } from './scheme-definition';
import { baw } from './baw';
import { bonita } from './bonita';
import { funnelback } from './funnelback';
import { simplicite } from './simplicite';

/** The vendor schemes the adapters offer, in menu order. */
export const VENDORS: readonly SchemeDefinition[] = [bonita, baw, simplicite, funnelback] as SchemeDefinition[];
