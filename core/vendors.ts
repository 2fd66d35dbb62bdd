import type { VendorDefinition } from './vendor';
import { bonita } from './schemes/bonita';

/** The vendor schemes the adapters offer, in menu order. */
export const VENDORS: readonly VendorDefinition[] = [bonita as VendorDefinition];

export function vendorById(id: string): VendorDefinition | undefined {
	return VENDORS.find((vendor) => vendor.id === id);
}
