// The installed package's version and where to report a bug (package.json is beside dist/ and src/
// alike).
import { readFileSync } from "node:fs";

const PACKAGE = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string; bugs?: { url?: string } };

export const VERSION = PACKAGE.version;

/** The line printed after an internal error (exit 3). */
export const BUG_REPORT = `This is a bug in retag ${VERSION}: please report it at ${PACKAGE.bugs?.url ?? "the project's issue tracker"} (RETAG_DEBUG=1 prints the stack trace).`;
