// The page: drop or pick wheels, or name one by URL or `pypi:name==version`; each is checked by the
// same core as the CLI, in this browser, and offered fixed. Files never leave the machine; a URL or
// an index is fetched by the browser itself, from the server it names.
import { isPypiSpec, resolveRemoteInput, type RemoteWheel } from "../../src/remote/index.js";
import { RemoteError } from "../../src/model/remote.js";
import { el } from "./dom.js";
import { inspectPartial, inspectWhole } from "./inspect.js";
import { blobSource, browserPorts, openUrl, openWhole } from "./sources.js";
import { codeReference, errorCard, pendingCard, wheelCard, type FixOffer } from "./view.js";

const results = document.getElementById("results") as HTMLElement;
const picker = document.getElementById("picker") as HTMLInputElement;
const drop = document.getElementById("drop") as HTMLElement;
const form = document.getElementById("remote") as HTMLFormElement;
const input = document.getElementById("url") as HTMLInputElement;
const platform = document.getElementById("platform") as HTMLSelectElement;
const status = document.getElementById("status") as HTMLElement;

/** `?index=URL`: another index (a mirror) for `pypi:` names; default https://pypi.org. */
const indexUrl = new URL(location.href).searchParams.get("index");

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs the inputs one after another, each card appearing as soon as its wheel is read. */
let queue: Promise<void> = Promise.resolve();
let running = 0;
function enqueue(work: () => Promise<void>): void {
  running++;
  document.body.dataset["busy"] = "true";
  queue = queue.then(work).finally(() => {
    if (--running === 0) delete document.body.dataset["busy"];
  });
}

async function checkFile(file: File): Promise<void> {
  const pending = pendingCard(file.name);
  results.append(pending.card);
  try {
    const source = await blobSource(file);
    const { result, fix } = await inspectWhole(file.name, source, file);
    pending.card.replaceWith(wheelCard(result, { kind: "file", size: file.size }, fix));
  } catch (error) {
    pending.card.replaceWith(errorCard(file.name, message(error)));
  }
}

async function checkRemoteWheel(w: RemoteWheel): Promise<void> {
  const pending = pendingCard(w.label);
  results.append(pending.card);
  try {
    const { source, fellBack } = await openUrl(w.url, pending.progress);
    const note = fellBack !== null ? `downloaded whole (ranges were refused: ${fellBack})` : source.mode === "full" ? "the server ignored Range: downloaded whole" : null;
    const provenance = () => ({
      kind: "url" as const,
      size: source.size,
      href: w.url,
      fetched: { bytes: source.stats.bytesFetched, requests: source.stats.requests, mode: source.mode, note },
    });
    if (source.mode === "full") {
      const { result, fix } = await inspectWhole(w.filename, source, null);
      pending.card.replaceWith(wheelCard({ ...result, wheel: w.label }, provenance(), fix));
      return;
    }
    const result = await inspectPartial(w.filename, source);
    const fetchFirst: FixOffer = {
      kind: "fetch-first",
      run: async () => {
        return (await inspectWhole(w.filename, await openWhole(w.url), null)).fix;
      },
    };
    pending.card.replaceWith(wheelCard({ ...result, wheel: w.label }, provenance(), result.needsRewrite ? fetchFirst : { kind: "nothing", reason: result.ok ? "Nothing to fix: retag fix leaves this wheel as it is." : "retag fix would not rewrite this wheel's tags." }));
  } catch (error) {
    pending.card.replaceWith(errorCard(w.label, message(error)));
  }
}

async function checkInput(text: string): Promise<void> {
  const value = text.trim();
  if (value === "") return;
  status.textContent = isPypiSpec(value) ? `Looking up ${value}…` : "";
  try {
    const resolved = await resolveRemoteInput(value, browserPorts, {
      platform: platform.value === "" ? null : platform.value,
      redirects: "follow",
      ifRange: false,
      ...(indexUrl === null ? {} : { indexUrl }),
    });
    status.textContent = isPypiSpec(value) ? `${value}: ${resolved.wheels.length} wheel${resolved.wheels.length === 1 ? "" : "s"}` : "";
    for (const w of resolved.wheels) {
      await checkRemoteWheel(w);
      for (const note of w.notes) results.append(el("p", { class: "note" }, note));
    }
  } catch (error) {
    status.textContent = "";
    results.append(errorCard(value, error instanceof RemoteError ? error.message : message(error)));
  }
}

function checkFiles(files: FileList | File[]): void {
  const wheels = [...files];
  if (wheels.length === 0) return;
  results.replaceChildren();
  for (const file of wheels) enqueue(() => checkFile(file));
}

picker.addEventListener("change", () => {
  if (picker.files !== null) checkFiles(picker.files);
  picker.value = "";
});
for (const type of ["dragenter", "dragover"]) {
  drop.addEventListener(type, (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
}
for (const type of ["dragleave", "drop"]) drop.addEventListener(type, () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  if (event.dataTransfer !== null) checkFiles(event.dataTransfer.files);
});
// A file dropped anywhere else must not make the browser navigate away to it.
window.addEventListener("dragover", (event) => event.preventDefault());
window.addEventListener("drop", (event) => {
  event.preventDefault();
  if (event.dataTransfer !== null && event.target instanceof Node && !drop.contains(event.target)) checkFiles(event.dataTransfer.files);
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  results.replaceChildren();
  const value = input.value;
  const url = new URL(location.href);
  url.searchParams.set("q", value.trim());
  history.replaceState(null, "", url);
  enqueue(() => checkInput(value));
});

/** A finding code's link opens its entry in the reference below. */
function openCode(): void {
  const target = location.hash.length > 1 ? document.getElementById(location.hash.slice(1)) : null;
  if (target instanceof HTMLDetailsElement) target.open = true;
}
window.addEventListener("hashchange", openCode);

(document.getElementById("codes") as HTMLElement).append(...codeReference());
openCode();
// `?q=pypi:name==version` (a shared link) runs at once.
const shared = new URL(location.href).searchParams.get("q");
if (shared !== null && shared.trim() !== "") {
  input.value = shared;
  enqueue(() => checkInput(shared));
}
document.body.dataset["ready"] = "true";
