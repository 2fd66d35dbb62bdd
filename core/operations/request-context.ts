import { BpmFailure } from '../bpm-error';
import type { Connection } from '../sessions/connection';
import type { Catalogue } from './catalogue';
import type { Operation, OperationSteps, RequestContext } from './operation';

/** What a call needs from the session before it is built: the current user, asked once per session. */
export async function requestContext(connection: Connection, catalogue: Catalogue, needs: Operation['needs'], steps: OperationSteps): Promise<RequestContext> {
	if (!needs?.includes('currentUser')) return {};
	if (!catalogue.currentUser) throw new BpmFailure({ kind: 'input', message: `${catalogue.displayName} cannot tell the current user` });
	return { currentUser: await connection.memo.get(`${catalogue.vendor}:currentUser`, () => catalogue.currentUser!(steps)) };
}
