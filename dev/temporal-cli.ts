import { ensureGoTool, findGoTool, TEMPORAL_CLI } from './go-tools';

export const findTemporalCli = () => findGoTool(TEMPORAL_CLI);

/**
 * TEMPORAL_CLI_PATH → PATH → cache → `go install` into the cache. Undefined when none works:
 * callers then let the SDK download the CLI (for users with internet).
 */
export const ensureTemporalCli = (log?: (line: string) => void) => ensureGoTool(TEMPORAL_CLI, log);
