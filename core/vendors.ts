import type { SchemeDefinition } from './scheme-definition';
import { baw } from './schemes/baw';
import { bonita } from './schemes/bonita';
import { funnelback } from './schemes/funnelback';
import { simplicite } from './schemes/simplicite';

/** The vendor schemes the adapters offer, in menu order. */
export const VENDORS: readonly SchemeDefinition[] = [bonita, baw, simplicite, funnelback] as SchemeDefinition[];
