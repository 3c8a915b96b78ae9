// The commit order of a fix batch (src/cli/order.ts): wheels that can meet wait for the earlier ones
// in argument order, others never wait, and the verdicts say what the earlier wheels did.
import { describe, expect, it } from "vitest";
import { commitOrder, type Verdict } from "../../src/cli/order.js";

/** Whether a promise has settled after the microtasks queued so far ran. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
}

const a1 = "/d/pkg-1.0-cp313-cp313-macosx_10_9_universal2.whl";
const a2 = "/d/pkg-1.0-cp313-cp313-macosx_10_13_universal2.whl";
const a3 = "/d/pkg-1.0-cp313-cp313-macosx_11_0_arm64.whl";
const other = "/d/other-1.0-cp313-cp313-macosx_10_9_universal2.whl";
const target = "/d/pkg-1.0-cp313-cp313-macosx_11_0_arm64.whl";

describe("commitOrder", () => {
  it("a wheel that cannot meet an earlier one goes at once, whatever is still running", async () => {
    const order = commitOrder([a1, other], null);
    expect(await settled(order.turn(1)({ target: "/d/other-1.0-cp313-cp313-macosx_11_0_arm64.whl", removesInput: true }))).toBe(true);
  });

  it("a wheel that can meet an earlier one waits until it is done, then hears what it wrote", async () => {
    const order = commitOrder([a1, a2], null);
    const second = order.turn(1)({ target, removesInput: true });
    expect(await settled(second)).toBe(false);
    const first = await order.turn(0)({ target, removesInput: true });
    expect(first).toEqual<Verdict>({ collidesWith: null, targetIsLaterInput: false, targetRemoved: false });
    order.finish(0, { wrote: { target, removesInput: true }, removedInput: true });
    expect(await second).toEqual<Verdict>({ collidesWith: a1, targetIsLaterInput: false, targetRemoved: false });
  });

  it("an earlier wheel that wrote nothing leaves the name free", async () => {
    const order = commitOrder([a1, a2], null);
    order.finish(0, { wrote: null, removedInput: false });
    expect((await order.turn(1)({ target, removesInput: true })).collidesWith).toBeNull();
  });

  it("a target that is a later input is said so; one an earlier wheel removed is said so", async () => {
    const order = commitOrder([a1, a3], null);
    expect((await order.turn(0)({ target, removesInput: true })).targetIsLaterInput).toBe(true);
    const back = commitOrder([a3, a1], null);
    back.finish(0, { wrote: { target: "/d/pkg-1.0-cp313-cp313-macosx_12_0_arm64.whl", removesInput: true }, removedInput: true });
    expect(await back.turn(1)({ target, removesInput: true })).toEqual<Verdict>({ collidesWith: null, targetIsLaterInput: false, targetRemoved: true });
  });

  it("with -w, inputs from different folders meet in the wheel folder", async () => {
    const order = commitOrder(["/x/ok-1.0-py3-none-any.whl", "/y/ok-1.0-py3-none-any.whl"], "/out");
    const second = order.turn(1)({ target: "/out/ok-1.0-py3-none-any.whl", removesInput: false });
    expect(await settled(second)).toBe(false);
    order.finish(0, { wrote: { target: "/out/ok-1.0-py3-none-any.whl", removesInput: false }, removedInput: false });
    expect((await second).collidesWith).toBe("/x/ok-1.0-py3-none-any.whl");
  });

  it("names that differ only in case meet (a case-insensitive file system would make them one)", async () => {
    const order = commitOrder(["/d/Pkg-1.0-py3-none-any.whl", "/d/pkg-1.0-py3-none-any.whl"], null);
    expect(await settled(order.turn(1)({ target: "/d/pkg-1.0-py3-none-any.whl", removesInput: false }))).toBe(false);
  });
});
