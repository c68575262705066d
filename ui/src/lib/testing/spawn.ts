// Starting and stopping a `studio bridge` process: shared by the per-run template setup
// (vitest-global-setup.ts, which may not import vitest) and the per-test bridges (bridge.ts).
import { spawn, type ChildProcess } from 'node:child_process';

/** A running `studio bridge`. */
export interface Spawned {
	child: ChildProcess;
	/** Its base URL, e.g. `http://127.0.0.1:41011`. */
	url: string;
	/** SIGTERM, then wait until it has exited (it checkpoints the project into one file). */
	stop(): Promise<void>;
}

/** Serve `project` with the CLI `cli` on a free port; resolves once it accepts connections.
 * Rejects with its stderr when it exits first. */
export async function spawnBridge(cli: string, project: string): Promise<Spawned> {
	const child = spawn(cli, ['bridge', '--project', project, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
	let err = '';
	child.stderr!.on('data', (d: Buffer) => (err += d));
	const exited = new Promise<void>((done) => child.once('exit', () => done()));
	const url = await new Promise<string>((done, fail) => {
		let out = '';
		child.stdout!.on('data', (d: Buffer) => {
			out += d;
			const m = /bridge on (http:\/\/\S+)/.exec(out);
			if (m) done(m[1]);
		});
		child.once('exit', (code) => fail(new Error(`studio bridge exited (${code}): ${err}`)));
	});
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
		await exited;
	};
	return { child, url, stop };
}
