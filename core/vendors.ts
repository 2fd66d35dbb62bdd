import type { VendorDefinition } from './vendor';
import { baw } from './schemes/baw';
import { bonita } from './schemes/bonita';
import { funnelback } from './schemes/funnelback';
import { simplicite } from './schemes/simplicite';

/** The vendor schemes the adapters offer, in menu order. */
export const VENDORS: readonly VendorDefinition[] = [bonita, baw, simplicite, funnelback] as VendorDefinition[];

export function vendorById(id: string): VendorDefinition | undefined {
	return VENDORS.find((vendor) => vendor.id === id);
}
