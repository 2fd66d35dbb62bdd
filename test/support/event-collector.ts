/**
 * Where the end-to-end flows post each event they receive ({eventId, id, instance} as JSON): the test counts events by
 * task id and event id, and by the instance that handled them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CollectedEvent {
	eventId: string;
	id: string;
	instance?: string;
}

export interface EventCollector {
	url: string;
	/** The task ids received, in order, repeats included. */
	ids(): string[];
	eventIds(): string[];
	byInstance(): Record<string, string[]>;
	clear(): void;
	close(): Promise<void>;
}

export async function eventCollector(): Promise<EventCollector> {
	let events: CollectedEvent[] = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += chunk.toString()));
		req.on('end', () => {
			try {
				const event = JSON.parse(body) as CollectedEvent;
				if (typeof event.eventId !== 'string' || event.id === undefined) throw new Error('no eventId or id');
				events.push({ ...event, id: String(event.id) });
				res.writeHead(204).end();
			} catch (error) {
				res.writeHead(400).end((error as Error).message);
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		ids: () => events.map((event) => event.id),
		eventIds: () => events.map((event) => event.eventId),
		byInstance: () => {
			const out: Record<string, string[]> = {};
			for (const event of events) (out[event.instance ?? ''] ??= []).push(event.id);
			return out;
		},
		clear: () => {
			events = [];
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
