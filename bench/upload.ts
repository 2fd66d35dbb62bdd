import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, ftruncateSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTransport, executeRequest, fileFromPath, plainConnection } from '../core';
import { formatNumber, median, startLoopbackServer, timed, type Benchmark } from './shared';

const MiB = 1024 * 1024;
const SIZE = 1024 * MiB;
const ROUNDS = 3;
const RSS_LIMIT_MiB = 64;

/** Sparse: 1 GiB that costs no disk, read back as zeros as fast as the kernel hands them out. */
function sparseFile(dir: string): string {
	const file = path.join(dir, 'upload.bin');
	const fd = openSync(file, 'w');
	ftruncateSync(fd, SIZE);
	closeSync(fd);
	return file;
}

/** Peak growth of this process's resident memory while `work` runs, sampled every 10 ms. */
async function peakRssGrowth(work: () => Promise<unknown>): Promise<number> {
	const baseline = process.memoryUsage().rss;
	let peak = baseline;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
	try {
		await work();
	} finally {
		clearInterval(sampler);
	}
	return Math.max(peak, process.memoryUsage().rss) - baseline;
}

export const upload: Benchmark = {
	name: 'upload',
	title: 'Upload: a 1 GiB file through POST FILE',
	about: [
		`A 1 GiB sparse file in the system's temporary directory, POSTed as the whole body ${ROUNDS} times by the engine (\`executeRequest\` with a \`file\` body from \`fileFromPath\`, as the nodes' POST FILE sends it) and ${ROUNDS} times by \`curl -T <file> -X POST\`, in turns, to a loopback server in its own process that counts the body and drops it. The engine runs inside the benchmark process, whose resident memory (\`process.memoryUsage().rss\`) is sampled every 10 ms: the figure is the largest growth over the value just before an upload. Throughput is the median MiB/s of each.`,
		`Target: peak RSS growth ≤ ${RSS_LIMIT_MiB} MiB. No target is set for throughput; it is reported beside curl's. The engine reads files in 1 MiB chunks (\`core/http/file-source.ts\`): with the default 64 KiB of Node's file streams it ran at about a third of curl's rate, as did Node's bare \`http.request\`.`,
	],
	async run() {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'bpm-bench-upload-'));
		const server = await startLoopbackServer();
		const transport = createTransport();
		try {
			const file = sparseFile(dir);
			const url = `${server.url}/upload`;
			const ours = async () => {
				const outcome = await executeRequest(plainConnection(transport), { method: 'POST', url, file: { source: fileFromPath(file, 'application/octet-stream') } });
				const received = outcome.ok && outcome.value.body.kind === 'json' ? (outcome.value.body.value as { bytes: number }).bytes : undefined;
				if (received !== SIZE) throw new Error(`the engine's upload failed: ${outcome.ok ? `the server received ${received} bytes` : outcome.error.message}`);
			};
			const curl = () => promisify(execFile)('curl', ['--silent', '--show-error', '--fail', '--output', '/dev/null', '-T', file, '-X', 'POST', url]);
			const seconds = { ours: [] as number[], curl: [] as number[] };
			let growth = 0;
			for (let round = 0; round < ROUNDS; round++) {
				seconds.curl.push((await timed(curl)) / 1000);
				growth = Math.max(growth, await peakRssGrowth(async () => seconds.ours.push((await timed(ours)) / 1000)));
			}
			const rate = (list: number[]) => SIZE / MiB / median(list);
			const ratio = rate(seconds.ours) / rate(seconds.curl);
			return [
				{ measure: 'Peak RSS growth, engine uploading 1 GiB', figure: `${(growth / MiB).toFixed(1)} MiB`, target: `≤ ${RSS_LIMIT_MiB} MiB`, met: growth / MiB <= RSS_LIMIT_MiB },
				{ measure: 'Throughput, engine vs curl -T', figure: `${ratio.toFixed(2)} (${formatNumber(rate(seconds.ours))} vs ${formatNumber(rate(seconds.curl))} MiB/s)`, target: 'none set' },
			];
		} finally {
			transport.close();
			await server.close();
			rmSync(dir, { recursive: true, force: true });
		}
	},
};
