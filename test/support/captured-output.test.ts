import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanCapturedOutput } from './captured-output';

describe('the end-of-run secret scan', () => {
	it('finds a marker in any captured file, reporting only its first characters', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bpm-scan-'));
		try {
			fs.writeFileSync(path.join(dir, 'clean.log'), 'nothing to see');
			fs.writeFileSync(path.join(dir, 'leaky.log'), 'error: password=Marker-xyz-123 refused');
			const scan = scanCapturedOutput(['Marker-xyz-123', 'absent-Marker'], dir);
			expect(scan.files).to.equal(2);
			expect(scan.hits).to.deep.equal([{ file: 'leaky.log', secret: 'Mark…' }]);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
