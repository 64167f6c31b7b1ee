// The paths that answer without credentials on every port: the probes and the metrics scrape (api/health.ts).
export const PROBE_PATHS: readonly string[] = ['/health', '/ready', '/live', '/metrics']
