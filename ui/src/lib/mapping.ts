// Column mapping for files in no known format: the `user=COL,item=COL,time=COL[,event=COL]…`
// text that `import_file` takes. The mapping to start from (remembered or guessed from the
// column names) is the core's (`preview_import`'s `mapping`), and so are the field lists.
import { MAPPING_FIELDS, REQUIRED_MAPPING_FIELDS, type SuggestedMapping } from '$lib/bindings';

export { MAPPING_FIELDS };
export type MappingField = (typeof MAPPING_FIELDS)[number];
export const REQUIRED_FIELDS: readonly MappingField[] = REQUIRED_MAPPING_FIELDS;

/** Field → column name; a missing or empty entry means "not mapped". */
export type ColumnMapping = Partial<Record<MappingField, string>>;

/** The core's suggestion as the mapping step edits it. */
export function fromSuggestion(s: SuggestedMapping): { mapping: ColumnMapping; source: 'remembered' | 'guessed' } {
	const mapping: ColumnMapping = {};
	for (const f of MAPPING_FIELDS) if (s.columns[f]) mapping[f] = s.columns[f];
	return { mapping, source: s.remembered ? 'remembered' : 'guessed' };
}

/** The mapping as `key=COL` text, fields in canonical order, unmapped fields left out. */
export function formatMapping(m: ColumnMapping): string {
	return MAPPING_FIELDS.filter((f) => m[f]).map((f) => `${f}=${m[f]}`).join(',');
}

/** True when user, item and time are all mapped. */
export function isComplete(m: ColumnMapping): boolean {
	return REQUIRED_FIELDS.every((f) => !!m[f]);
}

/** Fields mapped to a column that another field also uses. */
export function duplicateFields(m: ColumnMapping): MappingField[] {
	const seen = new Map<string, number>();
	for (const f of MAPPING_FIELDS) if (m[f]) seen.set(m[f]!, (seen.get(m[f]!) ?? 0) + 1);
	return MAPPING_FIELDS.filter((f) => m[f] && (seen.get(m[f]!) ?? 0) > 1);
}
