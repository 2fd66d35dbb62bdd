import type { ListSource } from '../../operations/catalogue';

/**
 * Funnelback has no documented call that lists collections (vendor notes 4.2): the dropdown offers those the user
 * lists in the credential or config node, and a typed ID always works.
 */
export const funnelbackLists: Record<string, ListSource> = {
	collections: { configured: 'collections' },
};
