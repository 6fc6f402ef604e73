/** Types of free-port.js, for the TypeScript that shares it (the tests' helpers). */
export declare function freePort(): Promise<number>;
