import { describe, expect, it } from "vitest";
import { createMemoryCoordination } from "../../src/coordination/memory-coordination.ts";
import { UserFacingError } from "../../src/errors.ts";
import { RepeatGuard, repeatWindowMs } from "../../src/service/repeat-guard.ts";

function setup() {
  const clock = { now: 1_000_000 };
  // One store shared by two guards: two bot instances behind one coordination store.
  const coordination = createMemoryCoordination({ now: () => clock.now });
  return { clock, first: new RepeatGuard(coordination), second: new RepeatGuard(coordination) };
}

const subject = {
  origin: { platform: "discord", userId: "u1" },
  sourceJobId: "job1",
  action: "regenerate",
};

describe("RepeatGuard", () => {
  it("lets one attempt through per user, source job and action within the window, across instances", async () => {
    const { clock, first, second } = setup();
    let made = 0;
    const make = async () => ++made;
    expect(await first.run(subject, undefined, make)).toBe(1);
    await expect(second.run(subject, undefined, make)).rejects.toThrow(UserFacingError);
    await expect(first.run(subject, "event-2", make)).rejects.toThrow(/already asked/);
    // Another user, job or action is another request.
    await first.run({ ...subject, origin: { platform: "discord", userId: "u2" } }, undefined, make);
    await first.run({ ...subject, sourceJobId: "job2" }, undefined, make);
    await first.run({ ...subject, action: "remix" }, undefined, make);
    expect(made).toBe(4);
    clock.now += repeatWindowMs;
    expect(await second.run(subject, undefined, make)).toBe(5);
  });

  it("passes a replay of the same event (the service answers it with the job it made)", async () => {
    const { first } = setup();
    let made = 0;
    await first.run(subject, "interaction-1", async () => ++made);
    await first.run(subject, "interaction-1", async () => ++made);
    expect(made).toBe(2);
  });

  it("a refused first attempt does not block the user's next try", async () => {
    const { first } = setup();
    const refused = first.run(subject, undefined, async () => {
      throw new UserFacingError("The daily budget is spent.");
    });
    await expect(refused).rejects.toThrow(/budget/);
    expect(await first.run(subject, undefined, async () => "made")).toBe("made");
  });
});
