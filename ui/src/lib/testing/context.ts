// What vitest-global-setup.ts hands the tests (`inject('studio')`).

/** The CLI and the folder of the template projects. */
export interface StudioContext {
	cli: string;
	dir: string;
}

declare module 'vitest' {
	export interface ProvidedContext {
		studio: StudioContext;
	}
}
