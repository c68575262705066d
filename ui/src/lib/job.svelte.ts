// Runs one long backend job (import / train / create campaign) with a job id,
// collects its progress events for the ProgressBar and maps the outcome.
import type { ApiError, Progress } from './bindings';
import { toApiError, type Backend, type ProgressFn } from './backend';
import { newJobId } from './format';
import { emptyJobProgress, onProgressEvent, type JobProgress } from './progress';

export type JobOutcome<T> =
	| { kind: 'ok'; value: T }
	| { kind: 'cancelled' }
	| { kind: 'error'; error: ApiError };

export class Job {
	running = $state(false);
	cancelling = $state(false);
	jobId = $state<string | null>(null);
	progress = $state.raw<JobProgress>(emptyJobProgress());

	constructor(private now: () => number = () => Date.now()) {}

	async run<T>(work: (jobId: string, onProgress: ProgressFn) => Promise<T>): Promise<JobOutcome<T>> {
		const id = newJobId();
		this.jobId = id;
		this.running = true;
		this.cancelling = false;
		this.progress = emptyJobProgress();
		const onProgress = (p: Progress) => {
			// Late events of an earlier job are ignored.
			if (this.jobId === id) this.progress = onProgressEvent(this.progress, p, this.now());
		};
		try {
			return { kind: 'ok', value: await work(id, onProgress) };
		} catch (e) {
			const error = toApiError(e);
			return error.code === 'cancelled' ? { kind: 'cancelled' } : { kind: 'error', error };
		} finally {
			if (this.jobId === id) {
				this.running = false;
				this.cancelling = false;
			}
		}
	}

	async cancel(backend: Backend): Promise<ApiError | null> {
		if (!this.running || !this.jobId) return null;
		this.cancelling = true;
		try {
			await backend.cancelJob(this.jobId);
			return null;
		} catch (e) {
			this.cancelling = false;
			return toApiError(e);
		}
	}
}
