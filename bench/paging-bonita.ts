import { DEFAULT_PAGING } from '../core';
import { startBonitaSimulator, type BonitaSimulator } from '../test/simulators/bonita';
import { createN8nHome, type N8nHome } from '../test/support/n8n-runner';
import { n8nWorkflow, type WorkflowNode } from '../test/support/n8n-workflow';
import { startNodeRed, type NodeRedInstance } from '../test/support/node-red-runner';
import { ensureN8n, ensureNodeRed4 } from '../test/support/runtimes';
import { executeWorkflow, outputItems, type Execution } from './n8n-workflow';
import { compareRates, formatNumber, median, packedPackage, ratioRow, type Benchmark, type Rates, type Row } from './shared';

const TASKS = 10_000;
const PAGE_SIZE = 100;
const PAGE_DELAY_MS = 20;
const ROUNDS = 3;
/** Pages our nodes keep in flight once the first page told the total. */
const PAGES_IN_FLIGHT = DEFAULT_PAGING.concurrency;
const USERNAME = 'walter.bates';
const PASSWORD = 'bench-pw';
const MINIMUM_RATIO = 4.0;
/** Pages of tasks: the simulator's own few tasks for the user make a last short one. */
const PAGES = Math.ceil(TASKS / PAGE_SIZE) + 1;
/** Page delays ours waits out: the first page's, then one per PAGES_IN_FLIGHT pages. */
const WAITS = 1 + Math.ceil((PAGES - 1) / PAGES_IN_FLIGHT);

/** What both contenders page through, as the benchmark reads it before they run. */
interface TaskList {
	/** The first page's URL without p: the query Task Get Many (Available to Me) sends, for the baselines to send too. */
	pageUrl: string;
	/** Tasks in all, from the Content-Range total. */
	total: number;
}

/** One contender's run: how long it took and the task ids it put out, in its order. */
interface Run {
	ms: number;
	ids: string[];
}

/** Logs in as a user would, asks who that is and how many tasks are available to them, then logs out. */
async function availableTasks(sim: BonitaSimulator): Promise<TaskList> {
	const login = await fetch(`${sim.url}/loginservice`, { method: 'POST', body: new URLSearchParams({ username: USERNAME, password: PASSWORD, redirect: 'false' }) });
	if (login.status !== 204) throw new Error(`the simulator's loginservice answered ${login.status}`);
	const cookie = login.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ');
	const get = async (path: string) => {
		const response = await fetch(`${sim.url}/${path}`, { headers: { cookie } });
		if (!response.ok) throw new Error(`the simulator answered ${response.status} to ${path}`);
		return response;
	};
	const { user_id: userId } = (await (await get('API/system/session/unusedId')).json()) as { user_id: string };
	const pageUrl = `${sim.url}/API/bpm/humanTask?${new URLSearchParams({ f: `user_id=${userId}`, o: 'priority DESC', c: String(PAGE_SIZE) })}`;
	const range = (await get(`API/bpm/humanTask?${new URLSearchParams({ f: `user_id=${userId}`, p: '0', c: '1' })}`)).headers.get('content-range');
	await fetch(`${sim.url}/logoutservice?redirect=false`, { headers: { cookie } });
	const total = Number(/\/(\d+)$/.exec(range ?? '')?.[1]);
	// The about text counts the pages: the bulk tasks and a last short page of the seed's.
	if (!(total > TASKS) || Math.ceil(total / PAGE_SIZE) !== PAGES) throw new Error(`the simulator counts ${range ?? 'no'} tasks available to ${USERNAME}, expected ${PAGES} pages' worth, more than ${TASKS}`);
	return { pageUrl, total };
}

/** A timing is worth nothing unless both put out every task, once, in the server's order. */
function checkSameTasks(where: string, list: TaskList, ours: string[], baseline: string[]): void {
	if (ours.length !== list.total || baseline.length !== list.total) throw new Error(`${where}: ours put out ${ours.length} tasks, the baseline ${baseline.length}, of ${list.total}`);
	if (new Set(ours).size !== ours.length) throw new Error(`${where}: ours put out a task twice`);
	const differs = ours.findIndex((id, i) => id !== baseline[i]);
	if (differs >= 0) throw new Error(`${where}: the tasks differ from position ${differs} (ours ${ours[differs]}, the baseline ${baseline[differs]})`);
}

const rate = (list: TaskList, ms: number) => (list.total * 1000) / ms;

function loginRow(runtime: string, runs: number, logins: number): Row {
	return { measure: `${runtime}: logins by ours over ${runs} Return Alls (one session)`, figure: String(logins), target: '1', met: logins === 1 };
}

// ---------------------------------------------------------------- n8n

const WORKFLOW = 'bpmcBenchPaging1';
const CREDENTIAL = { id: 'bonitaPagingBench', name: 'Bonita' };

function bonitaNode(round: number): WorkflowNode {
	return {
		name: `Bonita ${round}`,
		type: '@bpm-connect/n8n-nodes-bpm.bonita',
		typeVersion: 1,
		parameters: { resource: 'task', operation: 'getMany', scope: 'availableToMe', returnAll: true, simplify: true },
		credentials: { bonitaApi: CREDENTIAL },
	};
}

/** How an n8n user logs in to Bonita without our credential: a form POST to loginservice, keeping the response's headers. */
function loginNode(round: number, sim: BonitaSimulator): WorkflowNode {
	const field = (name: string, value: string) => ({ name, value });
	return {
		name: `Login ${round}`,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `${sim.url}/loginservice`,
			sendBody: true,
			contentType: 'form-urlencoded',
			bodyParameters: { parameters: [field('username', USERNAME), field('password', PASSWORD), field('redirect', 'false')] },
			options: { response: { response: { fullResponse: true } } },
		},
	};
}

/** n8n's own paging: p = $pageCount, c = 100, until an empty page, with the login's JSESSIONID as a Cookie header. */
function pagingNode(round: number, list: TaskList): WorkflowNode {
	const url = new URL(list.pageUrl);
	const query = [...url.searchParams].filter(([name]) => name !== 'c').map(([name, value]) => ({ name, value }));
	return {
		name: `HTTP Request ${round}`,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			url: `${url.origin}${url.pathname}`,
			sendQuery: true,
			queryParameters: { parameters: query },
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Cookie', value: "={{ $json.headers['set-cookie'].find((cookie) => cookie.startsWith('JSESSIONID=')).split(';')[0] }}" }] },
			options: {
				pagination: {
					pagination: {
						paginationMode: 'updateAParameterInEachRequest',
						parameters: { parameters: [{ type: 'qs', name: 'p', value: '={{ $pageCount }}' }, { type: 'qs', name: 'c', value: String(PAGE_SIZE) }] },
						paginationCompleteWhen: 'responseIsEmpty',
						limitPagesFetched: true,
						maxRequests: 1000,
					},
				},
			},
		},
	};
}

/** One workflow: a warm-up pair, then ROUNDS pairs taking turns at going first; each contender its own chain from the trigger (one item in). */
async function inN8n(sim: BonitaSimulator, list: TaskList): Promise<Row[]> {
	const runtime = await ensureN8n();
	let home: N8nHome | undefined;
	try {
		home = await createN8nHome({ runtime, packageTgz: packedPackage() });
		await home.importCredentials([{ ...CREDENTIAL, type: 'bonitaApi', data: { url: sim.url, username: USERNAME, password: PASSWORD } }]);
		const rounds = Array.from({ length: ROUNDS + 1 }, (_, round) => round);
		const chains = rounds.flatMap((round) => {
			const pair = [[bonitaNode(round)], [loginNode(round, sim), pagingNode(round, list)]];
			return round % 2 ? pair.reverse() : pair;
		});
		await home.importWorkflows([n8nWorkflow(WORKFLOW, 'paging', chains)]);
		const loginsBefore = sim.stats.logins;
		const execution = await executeWorkflow(home, runtime.node, WORKFLOW);
		const logins = sim.stats.logins - loginsBefore;
		if (execution.status !== 'success') throw new Error(`the paging workflow ended ${execution.status}: ${JSON.stringify(execution.error)}`);
		const runs = rounds.map((round) => n8nRuns(execution, round));
		runs.forEach(({ ours, baseline }, round) => checkSameTasks(`n8n round ${round}`, list, ours.ids, baseline.ids));
		const measured = runs.slice(1);
		const rates: Rates = { ours: median(measured.map(({ ours }) => rate(list, ours.ms))), baseline: median(measured.map(({ baseline }) => rate(list, baseline.ms))) };
		return [
			ratioRow(`n8n ${runtime.version}: Bonita Task Get Many (Return All, ${PAGES_IN_FLIGHT} pages in flight) vs HTTP Request v4.2 with Pagination`, rates, MINIMUM_RATIO),
			// Every Login node logged in once (n8nRuns checks its 204): the rest are ours.
			loginRow(`n8n ${runtime.version}`, rounds.length, logins - rounds.length),
		];
	} finally {
		await home?.remove();
	}
}

/** Each node's time as n8n recorded it; the baseline's includes its Login node, as ours includes its own login. */
function n8nRuns(execution: Execution, round: number): { ours: Run; baseline: Run } {
	const time = (node: string) => execution.runData[node]![0].executionTime;
	const ids = (node: string) => outputItems(execution, node).map((item) => String((item as { json: { id: unknown } }).json.id));
	const [login] = outputItems(execution, `Login ${round}`) as Array<{ json: { statusCode?: number } }>;
	if (login?.json.statusCode !== 204) throw new Error(`Login ${round} answered ${login?.json.statusCode}`);
	return {
		ours: { ms: time(`Bonita ${round}`), ids: ids(`Bonita ${round}`) },
		baseline: { ms: time(`Login ${round}`) + time(`HTTP Request ${round}`), ids: ids(`HTTP Request ${round}`) },
	};
}

// ---------------------------------------------------------------- Node-RED

const TAB = 'bench-paging';
const SERVER = 'bench-paging-bonita';

/** Answers the time since the run began and the tasks' ids, or the failure. */
const ANSWER = `
if (msg.error) {
	msg.statusCode = 500;
	msg.payload = { error: msg.error.message };
	return msg;
}
msg.payload = { elapsedMs: Date.now() - msg.began, ids: msg.payload.map((task) => task.id) };
return msg;
`;

/** The baseline's first step: the login POST, as the core http request node sends what msg says. */
const loginMessage = (sim: BonitaSimulator) => `
msg.began = Date.now();
msg.method = 'POST';
msg.url = ${JSON.stringify(`${sim.url}/loginservice`)};
msg.headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
msg.payload = ${JSON.stringify(new URLSearchParams({ username: USERNAME, password: PASSWORD, redirect: 'false' }).toString())};
return msg;
`;

/**
 * The baseline's loop: the login's cookies become msg.cookies, then p = 0, 1, 2 … until an empty page, the
 * items concatenated. The response's msg.headers would go out with the next request, and msg.headers and
 * msg.cookies with the answer: both are dropped.
 */
const pager = (list: TaskList) => `
const answer = (statusCode, payload) => {
	delete msg.headers;
	delete msg.cookies;
	msg.statusCode = statusCode;
	msg.payload = payload;
	return [null, msg];
};
if (msg.paging === undefined) {
	if (msg.statusCode !== 204) return answer(500, { error: 'the login answered ' + msg.statusCode });
	msg.cookies = msg.responseCookies;
	msg.paging = { page: 0, items: [] };
} else {
	if (msg.statusCode !== 200 || !Array.isArray(msg.payload)) return answer(500, { error: 'page ' + msg.paging.page + ' answered ' + msg.statusCode });
	if (msg.payload.length === 0) return answer(200, { elapsedMs: Date.now() - msg.began, ids: msg.paging.items.map((task) => task.id) });
	msg.paging.items.push(...msg.payload);
	msg.paging.page++;
}
delete msg.headers;
msg.method = 'GET';
msg.url = ${JSON.stringify(`${list.pageUrl}&p=`)} + msg.paging.page;
return [msg, null];
`;

function nodeRedFlows(sim: BonitaSimulator, list: TaskList): object[] {
	const on = { z: TAB };
	const coreRequest = (ret: string) => ({ type: 'http request', method: 'use', ret, paytoqs: 'ignore', url: '', persist: true, senderr: false, headers: [] });
	return [
		{ id: TAB, type: 'tab', label: 'paging' },
		{ id: SERVER, type: 'bpm-bonita', url: sim.url, credentials: { username: USERNAME, password: PASSWORD } },
		{ ...on, id: 'ours-in', type: 'http in', url: '/paging/ours', method: 'post', wires: [['ours-start']] },
		{ ...on, id: 'ours-start', type: 'function', func: 'msg.began = Date.now();\nreturn msg;', outputs: 1, wires: [['ours-op']] },
		{
			...on,
			id: 'ours-op',
			type: 'bpm-bonita-operation',
			server: SERVER,
			resource: 'task',
			operation: 'getMany',
			parameters: { scope: { v: 'availableToMe', vt: 'str' } },
			returnAll: true,
			simplify: true,
			wires: [['ours-answer'], ['ours-answer']],
		},
		{ ...on, id: 'ours-answer', type: 'function', func: ANSWER, outputs: 1, wires: [['ours-out']] },
		{ ...on, id: 'ours-out', type: 'http response', wires: [] },
		{ ...on, id: 'core-in', type: 'http in', url: '/paging/core', method: 'post', wires: [['core-login-message']] },
		{ ...on, id: 'core-login-message', type: 'function', func: loginMessage(sim), outputs: 1, wires: [['core-login']] },
		{ ...on, id: 'core-login', ...coreRequest('txt'), wires: [['core-pager']] },
		{ ...on, id: 'core-pager', type: 'function', func: pager(list), outputs: 2, wires: [['core-page'], ['core-out']] },
		{ ...on, id: 'core-page', ...coreRequest('obj'), wires: [['core-pager']] },
		{ ...on, id: 'core-out', type: 'http response', wires: [] },
	];
}

async function nodeRedRun(nodeRed: NodeRedInstance, contender: 'ours' | 'core'): Promise<Run> {
	const response = await fetch(`${nodeRed.url}/paging/${contender}`, { method: 'POST', signal: AbortSignal.timeout(120_000) });
	const answer = (await response.json()) as { elapsedMs: number; ids: unknown[] } | { error: string };
	if ('error' in answer) throw new Error(`the ${contender} flow failed: ${answer.error}\n${nodeRed.logs().slice(-3000)}`);
	return { ms: answer.elapsedMs, ids: answer.ids.map(String) };
}

/** The same warm-up and turns as n8n's, through compareRates; each pair's tasks compared, ours' logins counted run by run. */
async function inNodeRed(sim: BonitaSimulator, list: TaskList): Promise<Row[]> {
	const runtime = ensureNodeRed4();
	let nodeRed: NodeRedInstance | undefined;
	try {
		nodeRed = await startNodeRed({ runtime, packageTgz: packedPackage(), flows: nodeRedFlows(sim, list) });
		const runs: Record<'ours' | 'core', Run[]> = { ours: [], core: [] };
		let oursLogins = 0;
		const contender = (who: 'ours' | 'core') => async () => {
			const before = sim.stats.logins;
			const run = await nodeRedRun(nodeRed!, who);
			if (who === 'ours') oursLogins += sim.stats.logins - before;
			runs[who].push(run);
			return run.ms;
		};
		const rates = await compareRates(list.total, ROUNDS, contender('ours'), contender('core'));
		runs.ours.forEach((ours, i) => checkSameTasks(`Node-RED round ${i}`, list, ours.ids, runs.core[i].ids));
		return [
			ratioRow(`Node-RED ${runtime.version}: bpm-bonita-operation Task Get Many (Return All, ${PAGES_IN_FLIGHT} pages in flight) vs an http request loop`, rates, MINIMUM_RATIO),
			loginRow(`Node-RED ${runtime.version}`, runs.ours.length, oursLogins),
		];
	} finally {
		await nodeRed?.stop();
	}
}

export const pagingBonita: Benchmark = {
	name: 'paging-bonita',
	title: 'Paging: Bonita Task Get Many (Return All) vs the runtimes’ own paging',
	about: [
		`The Bonita simulator (test/simulators/bonita) in the benchmark process with ${formatNumber(TASKS)} extra ready tasks available to ${USERNAME}, every list answer held back ${PAGE_DELAY_MS} ms; each contender lists all of them, ${PAGE_SIZE} a page (\`GET API/bpm/humanTask?f=user_id=…&o=priority DESC&p=…&c=${PAGE_SIZE}\`). Ours: Task → Get Many, Available to Me, Return All, with a Bonita credential (config node): it logs in, asks who the user is, reads the first page, whose \`Content-Range\` tells the total, then fetches the other pages ${PAGES_IN_FLIGHT} in flight and keeps their order. The baselines page one after another until an empty page, as the runtimes offer it, after a login of their own.`,
		`n8n (real n8n, the packed package installed as a community package): one workflow run with \`n8n execute\`, a warm-up pair then ${ROUNDS} pairs taking turns at going first. Ours is the Bonita node; the baseline an HTTP Request (typeVersion 4.2) POSTing the login form to \`loginservice\` (full response), then an HTTP Request with its Pagination option (Update a Parameter in Each Request: query \`p\` = \`{{ $pageCount }}\`, \`c\` = ${PAGE_SIZE}; Complete When the response is empty; Max Pages 1000) sending the login's \`JSESSIONID\` as a Cookie header. Times are the \`executionTime\` n8n records: the Bonita node's, and the two HTTP Request nodes' together. Node-RED 4 (the devDependency, on the machine's Node): an \`http in\` endpoint runs \`bpm-bonita-operation\` and answers the time and the tasks; the baseline endpoint POSTs the login with a core \`http request\` node, puts \`msg.responseCookies\` in \`msg.cookies\`, and a function node loops through a second \`http request\` (persistent connections) asking p = 0, 1, 2 … and concatenating until an empty page. One warm-up round, then ${ROUNDS} rounds taking turns. Medians.`,
		`Every pair must put out the same tasks (all of them, by the Content-Range total) in the same order, or the benchmark fails. Ours must log in once: its session is shared by all its runs in a runtime, so that is one login for all of them (counted by the simulator; the baselines' logins are their own). Target: ratio (ours / baseline, in tasks/s) ≥ ${MINIMUM_RATIO.toFixed(1)}. In page delays alone the baseline waits ${PAGES + 1} times (${PAGES} pages and the empty one), ours ${WAITS} times (the first page, then ${PAGES - 1} pages ${PAGES_IN_FLIGHT} at a time): a ratio of ${((PAGES + 1) / WAITS).toFixed(2)}. Every page also costs the simulator a search through all ${formatNumber(TASKS)} tasks, a few milliseconds in its one thread: the baseline pays it page after page, ours ${PAGES_IN_FLIGHT} pages' worth in every wave.`,
	],
	async run() {
		const sim = await startBonitaSimulator({ users: { [USERNAME]: PASSWORD }, bulkTasks: TASKS, pageDelayMs: PAGE_DELAY_MS });
		try {
			const list = await availableTasks(sim);
			return [...(await inN8n(sim, list)), ...(await inNodeRed(sim, list))];
		} finally {
			await sim.close();
		}
	},
};
