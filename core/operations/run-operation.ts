import { BpmFailure, type BpmError, type Outcome } from '../bpm-error';
import type { CallOptions } from '../calls/call-options';
import { executeRequest, failureDetail, redactError, type CallHooks } from '../calls/execute-request';
import type { HttpResponse } from '../http/http-types';
import { collectPages } from '../paging/collect-pages';
import { jsonArrayItems } from '../http/json-array-items';
import { pageRequestInput } from '../paging/page-request-input';
import { pagingOptions, type PagingOptions } from '../paging/paging-options';
import type { Connection } from '../sessions/connection';
import type { Catalogue, FileResolver } from './catalogue';
import { checkValues } from './check-values';
import { isAmbiguous } from './is-ambiguous';
import type { Operation, OperationRequest, OperationSteps, RequestContext, Values } from './operation';
import { NO_FILES, operationSteps, requestInput, StepFailure } from './operation-steps';
import { outputItems, type OutputItem } from './output-items';
import { requestContext } from './request-context';

export interface OperationInput {
	/** Parameter values as the runtime read them; checked here. */
	values: Readonly<Record<string, unknown>>;
	/** Retry, timeouts, TLS and proxy. The status rules are the operation's: any 4xx or 5xx fails it. */
	options?: CallOptions;
	/** Return All and Limit, for lists. */
	paging?: Partial<Pick<PagingOptions, 'returnAll' | 'limit' | 'pageSize'>>;
	/** Keep only the fields a workflow needs (n8n's Simplify, on by default). */
	simplify?: boolean;
	files?: FileResolver;
}

export interface OperationResult {
	items: OutputItem[];
	/** Pages fetched, for a list. */
	pages?: number;
	/** The first attempt's outcome was unknown and a read-back showed it took effect: it was not sent again. */
	confirmedByReadBack?: boolean;
}

/**
 * Runs one catalogue operation on a connection (its session, TLS, proxy and redaction unchanged). Never throws.
 * A write that is not idempotent is never sent twice blind: after an ambiguous failure it is read back where the
 * operation can tell, and replayed only when the read-back shows the first attempt did not take effect.
 */
export async function runOperation(connection: Connection, catalogue: Catalogue, operation: Operation, input: OperationInput, hooks: CallHooks = {}): Promise<Outcome<OperationResult>> {
	const started = Date.now();
	const run = new OperationRun(connection, catalogue, operation, input, hooks);
	try {
		const value = await run.execute();
		return { ok: true, value, attempts: run.attempts, elapsedMs: Date.now() - started };
	} catch (error) {
		const detail = error instanceof StepFailure ? error.error : { ...failureDetail(error, {}), attempts: run.attempts, elapsedMs: 0 };
		const explained = operation.explainFailure?.(detail, input.values) ?? detail;
		return { ok: false, error: redactError({ ...explained, attempts: run.attempts, elapsedMs: Date.now() - started }, connection.secrets()) };
	}
}

class OperationRun {
	attempts = 0;
	private readonly options: CallOptions;
	private readonly steps: OperationSteps;

	constructor(
		private readonly connection: Connection,
		private readonly catalogue: Catalogue,
		private readonly operation: Operation,
		private readonly input: OperationInput,
		private readonly hooks: CallHooks,
	) {
		this.options = callOptions(operation, input.options);
		this.steps = operationSteps(connection, this.options, hooks, input.files ?? NO_FILES, (attempts) => (this.attempts += attempts));
	}

	async execute(): Promise<OperationResult> {
		const { operation, input } = this;
		const values = await checkValues(operation, input.values, input.files ?? NO_FILES);
		const context = await requestContext(this.connection, this.catalogue, operation.needs, this.steps);
		if (operation.paging) return this.list(values, context);
		if (operation.streamed) return this.stream(values, context);
		for (let sending = 1; ; sending++) {
			const prepared = operation.prepare ? await operation.prepare(values, this.steps, context) : values;
			const outcome = this.checked(await this.send(operation.request(prepared, context)), prepared);
			if (outcome.ok) return { items: outputItems(operation, prepared, outcome.value, input.simplify ?? true) };
			const error = outcome.error;
			if (error.status === 404 && operation.onNotFound) {
				return { items: outputItems(operation, prepared, undefined, input.simplify ?? true, await operation.onNotFound(prepared, this.steps, context)) };
			}
			if (operation.replay !== 'nonIdempotent' || !isAmbiguous(error)) throw new StepFailure(error);
			if (!operation.readBack) throw new StepFailure(this.mayHaveTakenEffect(error, operation.ambiguousHint?.(prepared)));
			const readBack = await operation.readBack(prepared, this.steps, context);
			if (readBack.tookEffect) return { items: outputItems(operation, prepared, undefined, input.simplify ?? true, readBack.value), confirmedByReadBack: true };
			// Shown not to have taken effect: sent once more, with fresh uploads (the first were consumed); never a third time.
			if (sending >= 2) throw new StepFailure(this.mayHaveTakenEffect(error, 'It was read back twice and had not taken effect; it was not sent a third time'));
		}
	}

	private async list(values: Values, context: RequestContext): Promise<OperationResult> {
		const { operation, input } = this;
		const paging = pagingOptions(input.paging ?? {});
		const pageSize = paging.returnAll ? paging.pageSize : Math.min(paging.pageSize, paging.limit);
		const prepared = operation.prepare ? await operation.prepare(values, this.steps, context) : values;
		const first = requestInput(operation.request(prepared, { ...context, pageSize }), this.options);
		const style = typeof operation.paging === 'function' ? operation.paging(prepared) : operation.paging!;
		const collected = await collectPages(style, async (page) => this.checked(await executeRequest(this.connection, pageRequestInput(first, page), this.hooks), prepared), paging);
		if (!collected.ok) {
			this.attempts += collected.error.attempts;
			throw new StepFailure(collected.error);
		}
		this.attempts += collected.attempts;
		if (collected.value.items.length === 0) await operation.explainEmpty?.(prepared, this.steps, context);
		return { items: outputItems(operation, prepared, undefined, input.simplify ?? true, collected.value.items), pages: collected.value.pages };
	}

	private async stream(values: Values, context: RequestContext): Promise<OperationResult> {
		const { operation, input } = this;
		const paging = pagingOptions(input.paging ?? {});
		const sink = jsonArrayItems(paging.returnAll ? Infinity : paging.limit);
		const outcome = await executeRequest(this.connection, { ...requestInput(operation.request(values, context), this.options), bodySink: sink }, this.hooks);
		this.attempts += outcome.ok ? outcome.attempts : outcome.error.attempts;
		if (!outcome.ok) throw new StepFailure(outcome.error);
		const problem = sink.problem();
		if (problem) {
			const other = sink.notArray();
			if (other !== undefined) operation.checkAnswer?.(other, values, outcome.value.status);
			throw new BpmFailure({ kind: 'http', status: outcome.value.status, message: `${operation.action}: ${problem}` });
		}
		const items = sink.items();
		if (items.length === 0) await operation.explainEmpty?.(values, this.steps, context);
		return { items: outputItems(operation, values, undefined, input.simplify ?? true, items) };
	}

	/** A success whose body reports a failure (checkAnswer throws) is that failure. */
	private checked(outcome: Outcome<HttpResponse>, values: Values): Outcome<HttpResponse> {
		if (outcome.ok && this.operation.checkAnswer && outcome.value.body.kind === 'json') this.operation.checkAnswer(outcome.value.body.value, values, outcome.value.status);
		return outcome;
	}

	private async send(request: OperationRequest): Promise<Outcome<HttpResponse>> {
		const outcome = await executeRequest(this.connection, requestInput(request, this.options), this.hooks);
		this.attempts += outcome.ok ? outcome.attempts : outcome.error.attempts;
		return outcome;
	}

	private mayHaveTakenEffect(error: BpmError, hint: string | undefined): BpmError {
		const what = `${this.operation.action} may have taken effect: the server was sent the call and gave no clear answer (${error.message})`;
		return { ...error, mayHaveTakenEffect: true, message: hint ? `${what}. ${hint}` : `${what}. It was not sent again.` };
	}
}

/** The operation's status rules (every 4xx and 5xx fails) and its replay class over the user's retry settings. */
function callOptions(operation: Operation, given: CallOptions = {}): CallOptions {
	return { ...given, failOn4xx: true, failOn5xx: true, exceptCodes: '', safeToRepeat: operation.replay !== 'nonIdempotent', neverRepeat: operation.replay === 'nonIdempotent', responseFormat: undefined, ignoreBody: false };
}
