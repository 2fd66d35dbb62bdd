/** The n8n method behind a dropdown list ("processes" → searchProcesses) and behind a form ("taskContract" → getTaskContractFields). */
export function listSearchMethod(list: string): string {
	return `search${capitalized(list)}`;
}

export function resourceMapperMethod(formKind: string): string {
	return `get${capitalized(formKind)}Fields`;
}

function capitalized(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
