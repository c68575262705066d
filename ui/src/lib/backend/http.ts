// The backend over the dev bridge (`studio bridge`, `src-tauri/api/src/bridge.rs`): the same
// commands as in the app, for the UI in a plain browser and for the UI tests, so both run on
// the real core. A call is `POST /api/<command>` with its arguments as JSON; the answer is a
// stream of JSON lines: events, then `{ok}` or `{error}`, then (for a live run) more events.
import type { ApiError } from '$lib/bindings';
import { CoreBackend, type Transport } from './core';

type Line = { event: unknown } | { ok: unknown } | { error: ApiError };

/** Where the dev bridge listens unless told otherwise (`studio bridge` defaults to this port). */
export const DEFAULT_BRIDGE = 'http://127.0.0.1:8765';

export class HttpBackend extends CoreBackend {
	readonly kind = 'http' as const;
	/** Readers of streams still open (live runs); `close` ends them. */
	private readonly open = new Set<ReadableStreamDefaultReader<Uint8Array>>();

	constructor(readonly base: string = DEFAULT_BRIDGE) {
		super();
	}

	protected readonly transport: Transport = async <T>(command: string, args: Record<string, unknown>, onEvent?: (event: unknown) => void) => {
		const response = await fetch(`${this.base}/api/${command}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(args)
		});
		if (!response.ok || !response.body) throw (await response.json()) as ApiError;
		const reader = response.body.getReader();
		this.open.add(reader);
		return new Promise<T>((resolve, reject) => {
			let settled = false;
			const decoder = new TextDecoder();
			let buffer = '';
			const take = (text: string) => {
				const line = JSON.parse(text) as Line;
				if ('event' in line) onEvent?.(line.event);
				else if (!settled) {
					settled = true;
					if ('ok' in line) resolve(line.ok as T);
					else reject(line.error);
				}
			};
			const pump = async () => {
				for (;;) {
					const { done, value } = await reader.read();
					if (done) break;
					buffer += decoder.decode(value, { stream: true });
					let nl: number;
					while ((nl = buffer.indexOf('\n')) >= 0) {
						const text = buffer.slice(0, nl);
						buffer = buffer.slice(nl + 1);
						if (text) take(text);
					}
				}
			};
			pump()
				.catch((e) => {
					if (!settled) reject(e);
					settled = true;
				})
				.finally(() => {
					this.open.delete(reader);
					if (!settled) reject({ code: 'internal', message: `the bridge closed ${command} without an answer` } satisfies ApiError);
				});
		});
	};

	/** Stop listening to every open stream (a live run then saves itself paused, as when a window closes). */
	async close(): Promise<void> {
		await Promise.all([...this.open].map((r) => r.cancel().catch(() => undefined)));
		this.open.clear();
	}

	// A browser has no native dialogs: the screens' path fields take a typed path instead.
	async pickImportFile(): Promise<string | null> {
		return null;
	}
	async pickSavePath(): Promise<string | null> {
		return null;
	}
	async pickDirectory(): Promise<string | null> {
		return null;
	}
}
