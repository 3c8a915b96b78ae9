// A folder given to `retag check` / `retag show` that is a distribution rather than a batch of wheel
// files (DESIGN §9.1): it holds a `*.dist-info` folder with WHEEL and RECORD. One such folder and no
// INSTALLER is an unpacked wheel (a cache entry); an INSTALLER file, several .dist-info folders or a
// folder named site-packages make each an installed distribution, read by its RECORD.
import { promises as fs } from "node:fs";
import { basename, join } from "node:path";
import { TreeError, type TreeSource } from "../model/ports.js";
import { findDistInfos, type TreeLayout } from "../read/tree.js";
import { openTree } from "./tree-source.js";

export interface UnpackedFolder {
  tree: TreeSource;
  distributions: Array<{ distInfo: string; layout: TreeLayout; label: string }>;
}

/** The distributions of a folder, or null when it is not a folder or holds none (a batch, then). */
export async function openUnpacked(path: string): Promise<UnpackedFolder | null> {
  if (!(await fs.stat(path).catch(() => null))?.isDirectory()) return null;
  let tree: TreeSource;
  let distInfos: string[];
  try {
    tree = await openTree(path);
    distInfos = await findDistInfos(tree);
  } catch (error) {
    if (error instanceof TreeError) return null;
    throw error;
  }
  if (distInfos.length === 0) return null;
  const sitePackages = distInfos.length > 1 || /^(site|dist)-packages$/.test(basename(path));
  const distributions = [];
  for (const distInfo of distInfos) {
    const installed = sitePackages || (await tree.stat(`${distInfo}/INSTALLER`)).kind === "file";
    distributions.push({ distInfo, layout: installed ? ("installed" as const) : ("wheel" as const), label: distInfos.length === 1 ? path : join(path, distInfo) });
  }
  return { tree, distributions };
}
