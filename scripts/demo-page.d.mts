import type { Browser } from "playwright-core";

export declare function buildDemo(outDir: string): Promise<void>;
export declare function serveStatic(dir: string): Promise<{ url: string; close(): Promise<void> }>;
export declare function launchChromium(): Promise<Browser>;
