export declare const ENV: "KVPLACE_CHROMIUM";
export declare const CHROMIUM_ARGS: string[];
export declare function chromiumPath(): Promise<string>;
