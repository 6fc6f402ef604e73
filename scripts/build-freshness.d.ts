/** Types of build-freshness.js, for the TypeScript that shares it (the benchmark runner). */
export declare function isStale(output: string, sources?: string[]): boolean;
export declare const root: string;
