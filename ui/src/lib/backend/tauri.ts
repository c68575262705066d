// The backend inside the desktop app: each command goes through the shell's one Tauri command,
// `call`, to the same dispatch the dev bridge serves; events come back on a Channel.
import { Channel, invoke } from '@tauri-apps/api/core';
import { normalised } from './api';
import { CoreBackend, type Transport } from './core';

export class TauriBackend extends CoreBackend {
	readonly kind = 'tauri' as const;

	protected readonly transport: Transport = <T>(command: string, args: Record<string, unknown>, onEvent?: (event: unknown) => void) => {
		const channel = new Channel<unknown>();
		if (onEvent) channel.onmessage = onEvent;
		return invoke<T>('call', { command, args, onEvent: channel });
	};

	async pickImportFile(filterName: string) {
		return normalised(async () => {
			const { open } = await import('@tauri-apps/plugin-dialog');
			const r = await open({
				multiple: false,
				directory: false,
				filters: [{ name: filterName, extensions: ['csv', 'tsv', 'gz', 'jsonl'] }]
			});
			return typeof r === 'string' ? r : null;
		});
	}
	async pickSavePath(defaultName: string, extension: string) {
		return normalised(async () => {
			const { save } = await import('@tauri-apps/plugin-dialog');
			const r = await save({ defaultPath: defaultName, filters: [{ name: extension.toUpperCase(), extensions: [extension] }] });
			return typeof r === 'string' ? r : null;
		});
	}
	async pickDirectory() {
		return normalised(async () => {
			const { open } = await import('@tauri-apps/plugin-dialog');
			const r = await open({ multiple: false, directory: true });
			return typeof r === 'string' ? r : null;
		});
	}
}
